"""``manage.py add_business_domain SUB HOST``: route another host name to a business."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.management.commands._lookup import business_or_error
from tenants.services import business_add_domain


class Command(BaseCommand):
    help = "Add an extra host name (e.g. book.example.com) that routes to the business at SUB."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subdomain")
        parser.add_argument("host")

    def handle(self, *args: Any, **options: Any) -> None:
        business = business_or_error(options["subdomain"])
        try:
            added = business_add_domain(
                business=business, domain=options["host"], actor="command:add_business_domain"
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{added.domain} now routes to {business.name}.")
