"""``manage.py fill_schema_pool --size N``: create migrated spare schemas for instant sign-ups."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tenants.selectors import schema_pool_level
from tenants.services import schema_pool_fill


class Command(BaseCommand):
    help = "Top the warm pool of spare schemas up to --size (default SCHEMA_POOL_SIZE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, help="How many spares the pool should hold.")

    def handle(self, *args: Any, **options: Any) -> None:
        size = options["size"] if options["size"] is not None else settings.SCHEMA_POOL_SIZE
        created = schema_pool_fill(size=size, actor="command:fill_schema_pool")
        self.stdout.write(
            f"Created {created} spare schema(s); the pool holds {schema_pool_level()}."
        )
