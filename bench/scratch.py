"""A scratch database for a benchmark: created, migrated, and dropped afterwards."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def scratch_database(name: str) -> Iterator[str]:
    """Yield a DATABASE_URL for a fresh, migrated database `name`; Django is set up on it."""
    from saas.embedded_db import ensure_database_url

    server_url = ensure_database_url(ROOT)
    admin = psycopg.conninfo.make_conninfo(server_url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = psycopg.conninfo.make_conninfo(server_url, dbname=name)
    # make_conninfo gives "key=value" pairs; the settings take a URL, so rebuild one.
    params = psycopg.conninfo.conninfo_to_dict(url)
    host = params.get("host", "127.0.0.1")
    user = params.get("user", "postgres")
    if str(host).startswith("/"):
        db_url = f"postgresql://{user}@/{name}?host={host}"
    else:
        db_url = f"postgresql://{user}@{host}:{params.get('port', 5432)}/{name}"
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    try:
        yield db_url
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
