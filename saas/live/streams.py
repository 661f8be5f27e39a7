"""The streams: a small ASGI app in front of Django for the long-lived Datastar streams.

Django's handler would hold an OS thread (and, once the ORM is touched, a pooled connection) per
open stream. This app instead resolves the business from the Host header with the same routing
code and cache as the page server, authenticates staff from the session cookie (one short query in
a worker thread at connect), subscribes to the hub and then only awaits its queue (DESIGN.md §5).
Every stream starts with the topic's full state (also after a reconnect: NOTIFY has no replay),
sends a keep-alive comment every ``LIVE_KEEPALIVE_SECONDS`` (15 s), and unsubscribes when the
client goes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from http.cookies import SimpleCookie
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from saas.live.hub import Hub, Subscription, get_hub
from saas.live.registry import Access, Rendered, registry
from saas.routing import normalise_host, resolve_host
from tenants.models import Business

logger = logging.getLogger(__name__)

SSE_HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),  # nginx: do not buffer this response
]
STATS_PATH = "/healthz/live"

Scope = dict[str, Any]


def is_stream_path(path: str) -> bool:
    return path == STATS_PATH or registry.match(path) is not None


async def _plain(send: Any, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


def _business_for_host(raw_host: str) -> Business | str | None:
    """The business for a host; "public" for the public site; None when unknown."""
    try:
        hostname = normalise_host(raw_host)
        if hostname is None:
            return None
        route = resolve_host(hostname)
        if route.public:
            return "public"
        return route.business
    finally:
        connection.close()


def _is_staff(schema: str, session_key: str) -> bool:
    """Whether the session cookie belongs to an active staff user of this business."""
    from django.contrib.auth import get_user
    from django.contrib.sessions.backends.db import SessionStore

    class _Request:  # the two attributes django.contrib.auth.get_user reads
        def __init__(self, session: SessionStore) -> None:
            self.session = session

    try:
        with schema_context(schema):
            user = get_user(_Request(SessionStore(session_key)))  # type: ignore[arg-type]
            return bool(user.is_authenticated and user.is_active and user.is_staff)
    finally:
        connection.close()


async def stream_app(scope: Scope, receive: Any, send: Any) -> None:
    if scope["method"] not in ("GET", "HEAD"):
        await _plain(send, 405, "Method Not Allowed\n")
        return
    hub = get_hub()
    if scope["path"] == STATS_PATH:
        await _stats(hub, send)
        return
    matched = registry.match(scope["path"])
    if matched is None:
        await _plain(send, 404, "Not found\n")
        return
    topic, access = matched

    business = await sync_to_async(_business_for_host, thread_sensitive=False)(
        _header(scope, b"host")
    )
    if business is None or business == "public":
        await _plain(send, 404, "Not found\n")
        return
    assert isinstance(business, Business)
    if business.status == Business.Status.SUSPENDED:
        await _plain(send, 403, "This business is suspended.\n")
        return
    schema = business.schema_name

    if access is Access.STAFF:
        cookie = SimpleCookie()
        try:
            cookie.load(_header(scope, b"cookie"))
        except Exception:  # a malformed Cookie header is simply no session
            cookie = SimpleCookie()
        morsel = cookie.get(settings.SESSION_COOKIE_NAME)
        session_key = morsel.value if morsel else ""
        if not session_key or not await sync_to_async(_is_staff, thread_sensitive=False)(
            schema, session_key
        ):
            await _plain(send, 403, "Log in as staff of this business to follow this page.\n")
            return

    subscription = hub.subscribe(schema, topic)
    try:
        initial = await hub.current(schema, topic)
        if initial is None:
            await _plain(send, 404, "Not found\n")
            return
        await send({"type": "http.response.start", "status": 200, "headers": SSE_HEADERS})
        await _pump(initial, subscription, receive, send)
    finally:
        hub.unsubscribe(subscription)


async def _pump(initial: Rendered, subscription: Subscription, receive: Any, send: Any) -> None:
    """Send the initial state, then every update, until the client leaves or the topic ends.

    The stream waits on its queue alone; a watcher task turns the client's disconnect into a
    "stop" in that queue. (Racing a fresh queue.get() task against the disconnect on every
    message cost more than the send itself at 10,000 streams.)
    """

    async def body(text: str) -> None:
        await send({"type": "http.response.body", "body": text.encode(), "more_body": True})

    async def watch_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        subscription.close()

    watcher = asyncio.ensure_future(watch_disconnect())
    keepalive = settings.LIVE_KEEPALIVE_SECONDS
    try:
        await body(initial.message)
        if initial.final:
            return
        while True:
            try:
                async with asyncio.timeout(keepalive):
                    rendered = await subscription.queue.get()
            except TimeoutError:
                await body(": keep-alive\n\n")
                continue
            if rendered is None:
                return  # the client has gone
            await body(rendered.message)
            if rendered.final:
                return
    except OSError:
        return  # the client went away mid-write
    finally:
        watcher.cancel()
        with contextlib.suppress(Exception):  # already disconnected: nothing left to close
            await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _stats(hub: Hub, send: Any) -> None:
    """Counts only (no tenant data): for operators' monitoring and the tests."""
    stats = hub.stats
    body = json.dumps(
        {
            "listener_connected": stats.listener_connected,
            "subscribers": hub.subscriber_count,
            "topics": hub.topic_count,
            "notifications": stats.notifications,
            "renders": stats.renders,
            "render_queries": stats.render_queries,
            "deliveries": stats.deliveries,
            "dropped": stats.dropped,
            "reconnects": stats.reconnects,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
