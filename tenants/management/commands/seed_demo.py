"""``manage.py seed_demo SUB``: fill a business with believable demo data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.demo import DemoError, seed_demo


class Command(BaseCommand):
    help = "Fill the business at SUB with demo data (safe to run again: it adds nothing twice)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subdomain")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = seed_demo(subdomain=options["subdomain"])
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo data in {options['subdomain']}: {summary}")
