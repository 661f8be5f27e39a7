"""The default connection as django-tenants' backend, whose schema methods django-stubs lacks."""

from __future__ import annotations

from typing import Any, cast

from django.db import connection


def tenant_db() -> Any:
    """``django.db.connection`` with ``set_tenant``, ``set_schema_to_public``, ``schema_name``."""
    return cast(Any, connection)
