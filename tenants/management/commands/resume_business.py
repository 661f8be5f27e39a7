"""``manage.py resume_business SUB``: serve a suspended business again."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.management.commands._lookup import business_or_error
from tenants.services import business_resume


class Command(BaseCommand):
    help = "Resume the suspended business at SUB (takes effect on its very next request)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subdomain")

    def handle(self, *args: Any, **options: Any) -> None:
        business = business_or_error(options["subdomain"])
        try:
            business_resume(business=business, actor="command:resume_business")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Resumed {business.name} ({business.primary_domain}).")
