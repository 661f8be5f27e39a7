"""Fixtures for provisioning tests that need real commits (pool, concurrency, live servers).

Most tests run inside pytest-django's rolled-back transaction. What must be seen by another
connection (a second sign-up racing this one, a server process) is done through ``committed``:
the function runs in a fresh thread, on its own connection, in autocommit mode, so its
transactions really commit. Such tests clean up after themselves with ``committed`` too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

from tenants.models import Business, Domain
from tenants.selectors import schema_pool_level
from tenants.services import business_delete, schema_pool_fill


def committed[T](fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` on another connection whose writes commit (outside the test's transaction)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "committed() timed out"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def schemas(prefix: str = "") -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            [prefix.replace("_", r"\_") + "%"],
        )
        return {row[0] for row in cursor.fetchall()}


def delete_committed(*subdomains: str) -> None:
    """Remove businesses a test committed (schema, row, domains), if they exist."""

    def delete() -> None:
        for sub in subdomains:
            domain = (
                Domain.objects.filter(domain=f"{sub}.localhost").select_related("tenant").first()
            )
            if domain is not None:
                business_delete(business=domain.tenant, actor="tests:cleanup")

    committed(delete)


@pytest.fixture
def spare_pool(db: None) -> Callable[[int], int]:
    """Call with N: makes sure at least N committed spare schemas exist; returns the level."""

    def ensure(size: int) -> int:
        if schema_pool_level() < size:
            committed(schema_pool_fill, size=size, actor="tests")
        return schema_pool_level()

    return ensure


_committed_subdomains: list[str] = []


@pytest.fixture(scope="session")
def _delete_committed_at_end(django_db_setup, django_db_blocker) -> Iterator[None]:
    yield
    if _committed_subdomains:
        with django_db_blocker.unblock():
            delete_committed(*_committed_subdomains)


@pytest.fixture
def cleanup(_delete_committed_at_end: None) -> list[str]:
    """Append subdomains a test commits; they are deleted at the end of the session.

    Not at the test's own teardown: the test's open transaction may still hold locks in the
    new schema (a login writes a session there), which DROP SCHEMA would wait for. So tests
    that commit use subdomains no other test uses.
    """
    return _committed_subdomains


class SpareLock:
    """Holds every spare row locked from another connection, as concurrent sign-ups would."""

    def __init__(self) -> None:
        self.locked = threading.Event()
        self.release = threading.Event()
        self.count = 0
        self.thread = threading.Thread(target=self._hold)

    def _hold(self) -> None:
        from django.db import transaction

        try:
            with transaction.atomic():
                self.count = len(list(Business.objects.select_for_update().filter(is_spare=True)))
                self.locked.set()
                self.release.wait(timeout=60)
        finally:
            connection.close()

    def __enter__(self) -> SpareLock:
        self.thread.start()
        assert self.locked.wait(timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(timeout=30)
