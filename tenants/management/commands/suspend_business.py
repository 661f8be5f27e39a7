"""``manage.py suspend_business SUB``: the business's hosts answer "suspended" from now on."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.management.commands._lookup import business_or_error
from tenants.services import business_suspend


class Command(BaseCommand):
    help = "Suspend the business at SUB (takes effect on its very next request)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subdomain")
        parser.add_argument("--reason", default="", help="Kept in the audit trail.")

    def handle(self, *args: Any, **options: Any) -> None:
        business = business_or_error(options["subdomain"])
        try:
            business_suspend(
                business=business, actor="command:suspend_business", reason=options["reason"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Suspended {business.name} ({business.primary_domain}).")
