"""Announcing changes to live state (DESIGN.md §5).

A change is announced as ``pg_notify('tourdesk', '<schema>:<kind>:<id>')``.

Services call :func:`notify_on_commit` inside their transaction; the notification is sent only if
and when that transaction commits, so a listener never hears about a change that was rolled back.
"""

from __future__ import annotations

from django.db import connection, transaction

CHANNEL = "tourdesk"


def topic(schema: str, kind: str, pk: int | str) -> str:
    return f"{schema}:{kind}:{pk}"


def notify_on_commit(*, kind: str, pk: int | str) -> None:
    """Announce ``kind`` ``pk`` of the current schema once the transaction commits."""
    payload = topic(connection.schema_name, kind, pk)  # type: ignore[attr-defined]

    def send() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])

    transaction.on_commit(send)
