"""``manage.py list_businesses [--json]``: every business with its status, domains and counts."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tenants.selectors import business_overviews, schema_pool_level


class Command(BaseCommand):
    help = "List businesses (a table, or JSON with --json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print a JSON object.")
        parser.add_argument("--search", default="", help="Only businesses matching this text.")

    def handle(self, *args: Any, **options: Any) -> None:
        overviews = business_overviews(search=options["search"], limit=100_000)
        rows = [
            {
                "subdomain": (o.primary_domain or "").split(".")[0],
                "name": o.name,
                "schema_name": o.business.schema_name,
                "status": o.status,
                "created_at": o.created_at.isoformat(),
                "primary_domain": o.primary_domain,
                "domains": o.domains,
                "staff": o.staff_count,
                "bookings": o.booking_count,
            }
            for o in overviews
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"businesses": rows, "spare_pool": schema_pool_level()}))
            return
        header = ("DOMAIN", "NAME", "STATUS", "CREATED", "STAFF", "BOOKINGS")
        table = [header] + [
            (
                r["primary_domain"] or "-",
                r["name"],
                r["status"],
                r["created_at"][:16].replace("T", " "),
                str(r["staff"]),
                "-" if r["bookings"] is None else str(r["bookings"]),
            )
            for r in rows
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
        self.stdout.write(f"{len(rows)} business(es); {schema_pool_level()} spare schema(s) ready.")
