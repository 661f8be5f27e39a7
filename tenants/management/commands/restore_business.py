"""``manage.py restore_business FILE --subdomain NEW``: a new business from an export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.services import business_restore


class Command(BaseCommand):
    help = "Create a new business at --subdomain holding every row of an export_business file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--subdomain", required=True)
        parser.add_argument("--name", help="Display name (default: the exported business's).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        try:
            business = business_restore(
                export=data,
                subdomain=options["subdomain"],
                name=options["name"],
                actor="command:restore_business",
            )
        except ValidationError as exc:
            raise CommandError(f"Not restored: {' '.join(exc.messages)}") from exc
        self.stdout.write(f"Restored into {business.name} at {business.primary_domain}.")
