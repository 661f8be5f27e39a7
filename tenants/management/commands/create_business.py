"""``manage.py create_business``: provision a business from the command line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.services import business_provision


class Command(BaseCommand):
    help = "Create a business with its subdomain, its schema and its owner account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The business's display name.")
        parser.add_argument("--subdomain", required=True, help="A DNS label, e.g. acme.")
        parser.add_argument("--owner-email", required=True, help="The owner's login e-mail.")
        parser.add_argument("--owner-password", help="Generated and printed when omitted.")
        parser.add_argument("--time-zone", default="UTC", help="IANA time zone (default UTC).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = business_provision(
                name=options["name"],
                subdomain=options["subdomain"],
                owner_email=options["owner_email"],
                owner_password=options["owner_password"],
                time_zone=options["time_zone"],
                actor="command:create_business",
            )
        except ValidationError as exc:
            reasons = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
            )
            raise CommandError(f"Business not created: {reasons}") from exc
        self.stdout.write(f"Created {result.business.name} at {result.url}")
        self.stdout.write(f"Owner login: {result.owner_email}")
        if result.owner_password:
            self.stdout.write(f"Owner password: {result.owner_password}")
