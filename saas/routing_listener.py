"""Cross-process invalidation of the routing cache over PostgreSQL LISTEN/NOTIFY (DESIGN.md §2, §5).

Every change to a Business or Domain row sends ``NOTIFY tourdesk_routing`` inside its transaction
(tenants.signals), which PostgreSQL delivers when, and only if, it commits. Each server process
holds ONE listening connection in a daemon thread that clears the cache on every notification.

The cache is trusted only while the listener is connected. A request also checks, with a
zero-timeout ``select`` on the listener's socket (a syscall, no query), whether a notification
has arrived that the thread has not processed yet; if so it bypasses the cache.

That leaves one gap: the moment between a commit and the notification reaching each listener's
socket (microseconds, or milliseconds on a loaded host). The writer closes it: after the commit
it sends a token on the same channel and waits (at most ROUTING_BARRIER_TIMEOUT) until every
listening process has acknowledged it on ``tourdesk_routing_ack``; listeners process their
notifications in order, so an acknowledgement means the change's notification was handled. Only
writes to businesses and domains (rare) pay this, never requests. So a suspend committed
anywhere is seen by the very next request of every process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import select
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg

logger = logging.getLogger(__name__)

CHANNEL = "tourdesk_routing"
ACK_CHANNEL = "tourdesk_routing_ack"
LISTENER_APPLICATION_NAME = "tourdesk-routing-listener"


class RoutingListener:
    def __init__(self, conninfo: dict[str, Any], on_change: Callable[[], None]) -> None:
        self.conninfo = conninfo
        self.on_change = on_change
        self.pid = os.getpid()
        self._conn: psycopg.Connection[Any] | None = None
        self._fileno = -1
        self._healthy = False
        self._processing = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="routing-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._healthy = False
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(psycopg.Error):
                conn.close()
        self._thread.join(timeout=5)

    def cache_is_trustworthy(self) -> bool:
        """True when no change can have committed without this process having cleared its cache."""
        if not self._healthy or self._processing:
            return False
        try:
            readable, _, _ = select.select([self._fileno], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def _run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                self._listen()
                backoff = 0.5
            except (psycopg.Error, OSError) as exc:
                if self._stop.is_set():
                    return
                logger.warning("routing listener lost its connection (%s); reconnecting", exc)
            finally:
                self._healthy = False
                self.on_change()  # notifications may have been missed meanwhile
            self._stop.wait(backoff)
            backoff = min(backoff * 2, 10.0)

    def _listen(self) -> None:
        conn = psycopg.connect(**self.conninfo, autocommit=True)
        self._conn = conn
        try:
            conn.execute(f"LISTEN {CHANNEL}")
            # Named only once listening: writers count listeners by this name and wait for each.
            conn.execute(f"SET application_name = '{LISTENER_APPLICATION_NAME}'")
            self._fileno = conn.fileno()
            self.on_change()  # anything cached before LISTEN took effect may be stale
            self._healthy = True
            last_ping = time.monotonic()
            while not self._stop.is_set():
                readable, _, _ = select.select([self._fileno], [], [], 5.0)
                if readable:
                    # Flag first: requests distrust the cache from the moment the bytes are taken
                    # off the socket until the cache has been cleared.
                    self._processing = True
                    try:
                        self._drain(conn)
                    finally:
                        self._processing = False
                elif time.monotonic() - last_ping > 30:
                    conn.execute("SELECT 1")  # notices a dead connection
                    last_ping = time.monotonic()
        finally:
            self._healthy = False
            conn.close()
            self._conn = None

    def _drain(self, conn: psycopg.Connection[Any]) -> None:
        # Notifications that arrive while an acknowledgement is sent wait in psycopg's backlog,
        # not on the socket: loop until nothing is left.
        while True:
            tokens = {notify.payload for notify in conn.notifies(timeout=0)}
            if not tokens:
                return
            self.on_change()
            for token in sorted(tokens - {""}):
                conn.execute("SELECT pg_notify(%s, %s)", [ACK_CHANNEL, token])


_listener: RoutingListener | None = None
_listener_lock = threading.Lock()


def conninfo_from_settings(settings_dict: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {"dbname": settings_dict["NAME"]}
    for key, name in (
        ("USER", "user"),
        ("PASSWORD", "password"),
        ("HOST", "host"),
        ("PORT", "port"),
    ):
        if settings_dict.get(key):
            params[name] = settings_dict[key]
    params["application_name"] = "tourdesk"
    return params


def ensure_listener(on_change: Callable[[], None]) -> RoutingListener:
    """The process's listener, started on first use (and again in a forked child)."""
    global _listener
    listener = _listener
    if listener is not None and listener.pid == os.getpid():
        return listener
    with _listener_lock:
        if _listener is None or _listener.pid != os.getpid():
            from django.db import connection

            _listener = RoutingListener(conninfo_from_settings(connection.settings_dict), on_change)
            _listener.start()
        return _listener


def stop_listener() -> None:
    global _listener
    with _listener_lock:
        if _listener is not None and _listener.pid == os.getpid():
            _listener.stop()
        _listener = None


def notify_routing_change(cursor: Any) -> None:
    """Queue the notification in the current transaction (delivered on commit only)."""
    cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])


def routing_change_barrier(*, timeout: float | None = None) -> int:
    """After a committed change to routing: wait until every listening process has handled it.

    Returns how many listeners acknowledged. With none listening it costs one short query.
    """
    from django.conf import settings
    from django.db import connection

    limit = settings.ROUTING_BARRIER_TIMEOUT if timeout is None else timeout
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",
            [LISTENER_APPLICATION_NAME],
        )
        (expected,) = cursor.fetchone()
    if not expected:
        return 0
    token = secrets.token_hex(8)
    acknowledged = 0
    deadline = time.monotonic() + limit
    with psycopg.connect(
        **conninfo_from_settings(connection.settings_dict), autocommit=True
    ) as conn:
        conn.execute(f"LISTEN {ACK_CHANNEL}")
        conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, token])
        while acknowledged < expected:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                logger.warning(
                    "routing change: %d of %d listeners acknowledged within %.1fs",
                    acknowledged,
                    expected,
                    limit,
                )
                break
            for notify in conn.notifies(timeout=remaining, stop_after=expected - acknowledged):
                if notify.payload == token:
                    acknowledged += 1
    return acknowledged
