"""Sentry error reporting, on only when SENTRY_DSN is set (DESIGN.md §7)."""

from __future__ import annotations

from typing import Any


def tag_tenant_schema(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Tag every event with the schema of the tenant the current connection is routed to."""
    from django.db import connection

    schema = getattr(connection, "schema_name", None) or "public"
    event.setdefault("tags", {})["tenant.schema"] = schema
    return event


def init_sentry(*, dsn: str, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,  # no e-mail addresses, names or IPs unless an operator opts in
        before_send=tag_tenant_schema,  # type: ignore[arg-type]
        traces_sample_rate=0.0,
    )
