"""Export every row of a business's schema as JSON, and restore such an export into a new one."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from saas.db import tenant_db
from tenants.models import Business, BusinessEvent, Domain
from tenants.services.provisioning import _business_with_schema, _no_step
from tenants.services.subdomains import schema_name_for, subdomain_problem
from tenants.sqlnames import ident

EXPORT_FORMAT = "tourdesk-business-export"
EXPORT_VERSION = 1
MIGRATIONS_TABLE = "django_migrations"


def _tables(schema_name: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
            [schema_name],
        )
        return [row[0] for row in cursor.fetchall()]


def _migrations(schema_name: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT app, name FROM {ident(schema_name, MIGRATIONS_TABLE)} ORDER BY app, name"  # noqa: S608
        )
        return [[app, name] for app, name in cursor.fetchall()]


def _read_tables(schema_name: str) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows, read by ONE statement: one snapshot, consistent across tables."""
    names = [t for t in _tables(schema_name) if t != MIGRATIONS_TABLE]
    if not names:
        return {}
    selects = [
        # Identifiers come from pg_tables and are quoted by ident().
        "SELECT %s, (SELECT coalesce(json_agg(t), '[]'::json) "  # noqa: S608
        f"FROM {ident(schema_name, name)} AS t)::text"
        for name in names
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), names)
        return {name: json.loads(rows) for name, rows in cursor.fetchall()}


def business_export(*, business: Business, actor: str) -> dict[str, Any]:
    """Every row of every table in the business's schema, as a JSON-ready dict.

    All tables are read by one statement (one snapshot), so the rows agree with each other. The
    export
    names the migrations it was taken at; ``business_restore`` refuses a different set.
    """
    tenant_db().set_schema_to_public()
    with transaction.atomic():
        tables = _read_tables(business.schema_name)
        export = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": timezone.now().isoformat(),
            "business": {
                "name": business.name,
                "schema_name": business.schema_name,
                "status": business.status,
                "time_zone": business.time_zone,
                "created_at": business.created_at.isoformat(),
                "domains": list(
                    business.domains.order_by("domain").values_list("domain", flat=True)  # type: ignore[attr-defined]
                ),
            },
            "migrations": _migrations(business.schema_name),
            "tables": tables,
        }
        BusinessEvent.objects.create(
            business=business,
            kind="exported",
            actor=actor,
            detail={"rows": sum(len(rows) for rows in tables.values())},
        )
    return export


def business_restore(
    *, export: dict[str, Any], subdomain: str, name: str | None = None, actor: str
) -> Business:
    """Create a new business at ``subdomain`` holding exactly the rows of ``export``.

    The new schema (claimed from the pool, or migrated) must be at the same migrations as the
    export. Its tables are emptied and refilled from the export, and identity sequences continue
    after the highest restored id. All in one transaction: a failure leaves nothing behind.
    """
    if not isinstance(export, dict) or export.get("format") != EXPORT_FORMAT:
        raise ValidationError("This is not a Tourdesk business export.")
    if export.get("version") != EXPORT_VERSION:
        raise ValidationError(f"Unsupported export version {export.get('version')!r}.")
    label = subdomain.strip().lower()
    problem = subdomain_problem(label)
    if problem:
        raise ValidationError({"subdomain": [problem]})
    source = export["business"]
    tables: dict[str, list[dict[str, Any]]] = export["tables"]
    host = f"{label}.{settings.SAAS_BASE_DOMAIN}"
    try:
        with transaction.atomic():
            business, path = _business_with_schema(
                schema_name=schema_name_for(label),
                name=(name or source["name"]).strip(),
                time_zone=source.get("time_zone", "UTC"),
                step=_no_step,
            )
            Domain.objects.create(domain=host, tenant=business, is_primary=True)
            schema = business.schema_name
            if sorted(map(list, export["migrations"])) != _migrations(schema):
                raise ValidationError(
                    "The export was taken at different migrations than this server's; "
                    "restore it on a server running the same Tourdesk version."
                )
            present = set(_tables(schema)) - {MIGRATIONS_TABLE}
            unknown = set(tables) - present
            if unknown:
                raise ValidationError(
                    f"The export has unknown tables: {', '.join(sorted(unknown))}."
                )
            _replace_rows(schema=schema, tables=tables, present=sorted(present))
            BusinessEvent.objects.create(
                business=business,
                kind="restored",
                actor=actor,
                detail={
                    "from_schema": source.get("schema_name"),
                    "rows": sum(len(rows) for rows in tables.values()),
                    "path": path,
                },
            )
    finally:
        tenant_db().set_schema_to_public()
    return business


def _replace_rows(
    *, schema: str, tables: dict[str, list[dict[str, Any]]], present: list[str]
) -> None:
    with connection.cursor() as cursor:
        if present:
            names = ", ".join(ident(schema, table) for table in present)
            cursor.execute(f"TRUNCATE {names} CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, rows in tables.items():
            if not rows:
                continue
            target = ident(schema, table)
            cursor.execute(
                f"INSERT INTO {target} "  # noqa: S608  (identifiers quoted by ident())
                f"SELECT * FROM json_populate_recordset(NULL::{target}, %s::json)",
                [json.dumps(rows)],
            )
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = %s AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')
            """,
            [schema],
        )
        for table, column in cursor.fetchall():
            qualified, col = ident(schema, table), ident(column)
            cursor.execute(  # identifiers quoted by ident()
                f"SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max({col}), 1), "  # noqa: S608
                f"max({col}) IS NOT NULL) FROM {qualified}",
                [qualified, column],
            )
