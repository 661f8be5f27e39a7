"""``manage.py delete_business SUB --confirm``: export (unless --no-export), then drop it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tenants.management.commands._lookup import business_or_error
from tenants.management.commands.export_business import write_export
from tenants.services import business_delete, business_export


class Command(BaseCommand):
    help = "Delete the business at SUB: its schema, row and domains. Exports it first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subdomain")
        parser.add_argument("--confirm", action="store_true", help="Required: yes, delete it.")
        parser.add_argument("--no-export", action="store_true", help="Skip the export.")
        parser.add_argument(
            "--output", type=Path, help="Export file (default exports/<schema>-<time>.json)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        business = business_or_error(options["subdomain"])
        if not options["confirm"]:
            raise CommandError(
                f"This deletes {business.name} and all its data. Run again with --confirm."
            )
        if not options["no_export"]:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
            path = options["output"] or Path("exports") / f"{business.schema_name}-{stamp}.json"
            data = business_export(business=business, actor="command:delete_business")
            rows = write_export(data, path)
            self.stdout.write(f"Exported {rows} rows to {path}.")
        name, schema = business.name, business.schema_name
        business_delete(business=business, actor="command:delete_business")
        self.stdout.write(f"Deleted {name} (schema {schema} dropped).")
