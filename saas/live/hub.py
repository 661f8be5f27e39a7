"""The hub: one LISTEN connection per server process, fanning changes out to streams in memory.

- One dedicated asyncio psycopg connection runs ``LISTEN tourdesk``; it reconnects with capped
  exponential backoff when PostgreSQL restarts or drops it, and after a reconnect re-renders every
  topic that has subscribers (NOTIFY has no replay, so a change during the outage would be lost).
- Subscribers are kept per ``(schema, topic)``. A change is rendered ONCE (in a small thread
  pool, inside the business's schema) and the same text is offered to every subscriber.
- Each subscriber has a bounded queue; when a slow client's queue is full the oldest message is
  dropped. Every message is a topic's full state, so the newest one is all a client needs.
- Renders of one topic are coalesced: changes arriving while a render runs cause one more render,
  not one per change.
- The latest rendered state of a topic is kept while it has subscribers, so a new subscriber gets
  it without touching the database.
Idle streams cost no database connection and no thread: they wait on their queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from saas.live.notify import CHANNEL
from saas.live.registry import Registry, Rendered, parse_payload, registry
from saas.routing import clear_routing_cache
from saas.routing_listener import CHANNEL as ROUTING_CHANNEL

logger = logging.getLogger(__name__)

Topic = tuple[str, str]  # (schema, topic name)
LISTENER_APPLICATION_NAME = "tourdesk-live-listener"


def listener_conninfo() -> str:
    db = settings.DATABASES["default"]
    params: dict[str, Any] = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "application_name": LISTENER_APPLICATION_NAME,
    }
    return psycopg.conninfo.make_conninfo(**{k: v for k, v in params.items() if v is not None})


class Subscription:
    """One stream's mailbox: bounded, newest state wins. ``None`` in it means "stop"."""

    def __init__(self, topic: Topic, maxsize: int) -> None:
        self.topic = topic
        self.queue: asyncio.Queue[Rendered | None] = asyncio.Queue(maxsize)
        self.dropped = 0

    def offer(self, rendered: Rendered | None) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(rendered)

    def close(self) -> None:
        """Wake the stream so that it ends (its client has gone)."""
        self.offer(None)


@dataclass
class HubStats:
    notifications: int = 0
    renders: int = 0
    render_queries: int = 0
    deliveries: int = 0
    dropped: int = 0
    reconnects: int = 0
    listener_connected: bool = False
    by_kind: dict[str, int] = field(default_factory=dict)


class Hub:
    def __init__(
        self,
        *,
        registry: Registry = registry,
        conninfo: str | None = None,
        render_threads: int = 4,
        queue_size: int = 8,
        max_backoff: float = 5.0,
    ) -> None:
        self.registry = registry
        self.conninfo = conninfo
        self.queue_size = queue_size
        self.max_backoff = max_backoff
        self.stats = HubStats()
        self.connected = asyncio.Event()
        self._subscribers: dict[Topic, set[Subscription]] = {}
        self._latest: dict[Topic, Rendered] = {}
        self._inflight: dict[Topic, asyncio.Future[Rendered | None]] = {}
        self._rendering: set[Topic] = set()
        self._dirty: set[Topic] = set()
        self._executor = ThreadPoolExecutor(render_threads, thread_name_prefix="live-render")
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._listen_forever())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _listen_forever(self) -> None:
        backoff = 0.1
        while True:
            try:
                conninfo = self.conninfo or listener_conninfo()
                async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    # The same connection keeps this process's routing cache fresh (the stream
                    # server runs without saas.routing_listener's own connection).
                    await conn.execute(f"LISTEN {ROUTING_CHANNEL}")
                    self.stats.listener_connected = True
                    self.connected.set()
                    backoff = 0.1
                    if self.stats.reconnects:
                        clear_routing_cache()  # a business change may have been missed too
                        self._resync_all()  # changes made while we were away were not heard
                    async for notify in conn.notifies():
                        if notify.channel == ROUTING_CHANNEL:
                            clear_routing_cache()
                        else:
                            self._on_notify(notify.payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database went away: retry, never give up
                logger.warning("live listener lost its connection (%s); retrying", exc)
            self.stats.listener_connected = False
            self.connected.clear()
            self.stats.reconnects += 1
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.max_backoff)

    # -- subscriptions ---------------------------------------------------------------------------
    def subscribe(self, schema: str, topic: str) -> Subscription:
        sub = Subscription((schema, topic), self.queue_size)
        self._subscribers.setdefault(sub.topic, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self._subscribers.get(sub.topic)
        if subs is None:
            return
        subs.discard(sub)
        self.stats.dropped += sub.dropped
        if not subs:
            del self._subscribers[sub.topic]
            self._latest.pop(sub.topic, None)

    @property
    def subscriber_count(self) -> int:
        return sum(len(subs) for subs in self._subscribers.values())

    @property
    def topic_count(self) -> int:
        return len(self._subscribers)

    async def current(self, schema: str, topic: str) -> Rendered | None:
        """The topic's full state now: cached while it has subscribers, else rendered.

        Concurrent callers for one topic share a single render: a reconnect storm of thousands
        of streams costs one query, not one each.
        """
        key = (schema, topic)
        cached = self._latest.get(key)
        if cached is not None:
            return cached
        inflight = self._inflight.get(key)
        if inflight is None:
            inflight = asyncio.ensure_future(self._render(key))
            self._inflight[key] = inflight
            inflight.add_done_callback(lambda _done: self._inflight.pop(key, None))
        rendered = await asyncio.shield(inflight)
        if rendered is not None and key in self._subscribers:
            self._latest.setdefault(key, rendered)
        return rendered

    # -- changes ---------------------------------------------------------------------------------
    def _on_notify(self, payload: str) -> None:
        self.stats.notifications += 1
        change = parse_payload(payload)
        if change is None:
            logger.warning("ignoring malformed live notification %r", payload[:200])
            return
        self.stats.by_kind[change.kind] = self.stats.by_kind.get(change.kind, 0) + 1
        for name in self.registry.topics(change):
            topic = (change.schema, name)
            if topic in self._subscribers:
                self._schedule(topic)

    def _resync_all(self) -> None:
        self._latest.clear()
        for topic in list(self._subscribers):
            self._schedule(topic)

    def _schedule(self, topic: Topic) -> None:
        if topic in self._rendering:
            self._dirty.add(topic)
            return
        self._rendering.add(topic)
        task = asyncio.get_running_loop().create_task(self._render_and_fan_out(topic))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _render_and_fan_out(self, topic: Topic) -> None:
        try:
            while True:
                self._dirty.discard(topic)
                rendered = await self._render(topic)
                subs = self._subscribers.get(topic)
                if rendered is not None and subs:
                    self._latest[topic] = rendered
                    for sub in list(subs):
                        sub.offer(rendered)
                    self.stats.deliveries += len(subs)
                if topic not in self._dirty:
                    return
        except Exception:
            logger.exception("live render of %s failed", topic)
        finally:
            self._rendering.discard(topic)

    async def _render(self, topic: Topic) -> Rendered | None:
        loop = asyncio.get_running_loop()
        self.stats.renders += 1
        return await loop.run_in_executor(self._executor, self._render_in_thread, topic)

    def _render_in_thread(self, topic: Topic) -> Rendered | None:
        schema, name = topic
        counter = QueryCounter()
        try:
            with connection.execute_wrapper(counter), schema_context(schema):
                return self.registry.render(name)
        finally:
            self.stats.render_queries += counter.count
            # Give the connection back at once: an idle hub holds no database connection.
            connection.close()


class QueryCounter:
    """A Django execute wrapper that counts the queries the hub itself makes."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


_hub: Hub | None = None
_hub_lock = threading.Lock()


def get_hub() -> Hub:
    """This process's hub, started on the running event loop the first time it is asked for."""
    global _hub
    with _hub_lock:
        if _hub is None:
            _hub = Hub()
        _hub.start()
        return _hub
