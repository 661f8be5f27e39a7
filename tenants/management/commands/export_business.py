"""``manage.py export_business SUB --output FILE``: every row of the business's schema as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tenants.management.commands._lookup import business_or_error
from tenants.services import business_export


def write_export(data: dict[str, Any], path: Path) -> int:
    """Write atomically (temp file, then rename); returns the number of rows written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.replace(path)
    return sum(len(rows) for rows in data["tables"].values())


class Command(BaseCommand):
    help = "Export the business at SUB (restorable with restore_business)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subdomain")
        parser.add_argument("--output", required=True, type=Path, help="The JSON file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        business = business_or_error(options["subdomain"])
        data = business_export(business=business, actor="command:export_business")
        rows = write_export(data, options["output"])
        self.stdout.write(
            f"Exported {rows} rows in {len(data['tables'])} tables to {options['output']}."
        )
