"""Live streams against a real stream server (gunicorn + uvicorn worker) and real NOTIFY."""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import TenantFixture, _provision
from tests.live import LiveServer, committed, request, staff_cookie
from tests.sse_client import SSEReader
from tours.models import TourEvent
from tours.services import events as event_services
from tours.services import tours as tour_services

pytestmark = pytest.mark.django_db


@dataclass
class World:
    server: LiveServer
    a: TenantFixture
    b: TenantFixture
    event_a: int
    event_b: int
    cookie_a: str
    cookie_b: str

    def open(self, tenant: TenantFixture, path: str, cookie: str = "") -> SSEReader:
        return SSEReader(self.server.port, tenant.host, path, cookie=cookie)

    def stats(self) -> dict[str, Any]:
        status, _, body = request(self.server, "anything.localhost", "/healthz/live")
        assert status == 200
        return json.loads(body)


def schedule_event(tenant: TenantFixture) -> int:
    with tenant.schema():
        tour = tour_services.tour_create(
            actor="tests",
            name="Harbour Walk",
            duration_minutes=60,
            price=Decimal("20"),
            default_capacity=10,
        )
        event = event_services.tour_event_schedule(
            actor="tests", tour=tour, starts_at=timezone.now() + timedelta(days=3)
        )
        return event.pk


def retitle(event_pk: int, title: str, capacity: int = 10) -> Callable[[], None]:
    def change() -> None:
        event = TourEvent.objects.get(pk=event_pk)
        event_services.tour_event_update(
            actor="tests",
            event=event,
            title=title,
            starts_at=event.starts_at,
            capacity=capacity,
            guide_name=event.guide_name,
            notes=event.notes,
        )

    return change


@pytest.fixture(scope="module")
def world(stream_server: LiveServer, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        a = _provision("streama", "Stream A")
        b = _provision("streamb", "Stream B")
        event_a, event_b = schedule_event(a), schedule_event(b)
        cookie_a, cookie_b = staff_cookie(a), staff_cookie(b)
        connection.set_schema_to_public()
    return World(stream_server, a, b, event_a, event_b, cookie_a, cookie_b)


def test_a_change_reaches_an_open_staff_stream_within_two_seconds(world: World) -> None:
    # given a staff member following a departure
    stream = world.open(world.a, f"/events/{world.event_a}/live", world.cookie_a)
    try:
        assert stream.status == 200
        assert stream.response.getheader("Content-Type") == "text/event-stream"
        initial = stream.next()
        assert initial is not None and initial.type == "datastar-patch-elements"
        assert 'id="event-detail"' in initial.text
        assert stream.next().type == "datastar-patch-signals"
        # when the departure is changed and committed elsewhere
        started = time.monotonic()
        committed(world.a, retitle(world.event_a, "Sunset Harbour Walk", capacity=12))
        update = stream.next(timeout=2.0)
        # then the stream carries the re-rendered departure within 2 s
        assert update is not None and update.received_at - started < 2.0
        assert '<h2 id="event-title">Sunset Harbour Walk</h2>' in update.text
        assert '<dd id="event-seats-left">12</dd>' in update.text
        signals = stream.next(timeout=1.0)
        assert signals.data == ['signals {"seatsLeft":12,"eventStatus":"scheduled"}']
    finally:
        stream.close()


def test_streams_send_keep_alive_comments(world: World) -> None:
    stream = world.open(world.a, f"/events/{world.event_a}/live", world.cookie_a)
    try:
        stream.next(), stream.next()  # the initial state
        comment = stream.next(timeout=3.0, skip_comments=False)
        assert comment is not None
        assert comment.type == "comment"
        assert comment.data == [": keep-alive"]
    finally:
        stream.close()


def test_a_subscriber_of_b_never_receives_a_change_of_a(world: World) -> None:
    # given followers of "the same" departure id in A and in B (ids are per schema)
    stream_a = world.open(world.a, f"/events/{world.event_a}/live", world.cookie_a)
    stream_b = world.open(world.b, f"/events/{world.event_b}/live", world.cookie_b)
    try:
        for stream in (stream_a, stream_b):
            stream.next(), stream.next()
        # when A's departure changes
        committed(world.a, retitle(world.event_a, "Only In A"))
        # then A hears it and B hears nothing but keep-alives
        assert "Only In A" in stream_a.next(timeout=2.0).text
        with pytest.raises(queue.Empty):
            stream_b.next(timeout=1.5)
    finally:
        stream_a.close()
        stream_b.close()


@pytest.mark.parametrize(
    ("host_of", "cookie_of", "status"),
    [("a", "", 403), ("a", "b", 403), ("b", "a", 403), ("a", "junk", 403)],
)
def test_staff_streams_need_a_staff_session_of_that_business(
    world: World, host_of: str, cookie_of: str, status: int
) -> None:
    tenant = world.a if host_of == "a" else world.b
    event = world.event_a if host_of == "a" else world.event_b
    cookie = {"a": world.cookie_a, "b": world.cookie_b, "": "", "junk": 'sessionid="x;y'}[cookie_of]
    before = world.stats()["subscribers"]
    stream = world.open(tenant, f"/events/{event}/live", cookie)
    assert stream.status == status
    assert "Log in as staff" in stream.body
    assert world.stats()["subscribers"] == before


@pytest.mark.parametrize(
    ("host", "path", "status"),
    [
        ("streama.localhost", "/events/999999/live", 404),
        ("nobody.localhost", "/events/1/live", 404),
        ("localhost", "/events/1/live", 404),
        ("bad host", "/events/1/live", 404),
    ],
)
def test_unknown_things_get_a_404(world: World, host: str, path: str, status: int) -> None:
    code, _, body = request(world.server, host, path)
    if host == "streama.localhost":  # needs the session to get as far as the lookup
        stream = SSEReader(world.server.port, host, path, cookie=world.cookie_a)
        code, body = stream.status, stream.body.encode()
    assert code == status
    assert b"Stream" not in body


def test_closing_the_client_frees_its_subscription(world: World) -> None:
    base = world.stats()["subscribers"]
    stream = world.open(world.a, f"/events/{world.event_a}/live", world.cookie_a)
    stream.next()
    assert world.stats()["subscribers"] == base + 1
    stream.close()
    deadline = time.monotonic() + 5
    while world.stats()["subscribers"] != base and time.monotonic() < deadline:
        time.sleep(0.05)
    assert world.stats()["subscribers"] == base


def test_the_listener_recovers_after_postgresql_drops_it(world: World) -> None:
    stream = world.open(world.a, f"/events/{world.event_a}/live", world.cookie_a)
    try:
        stream.next(), stream.next()
        reconnects = world.stats()["reconnects"]
        # when PostgreSQL terminates the listening connection
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'tourdesk-live-listener'"
            )
            assert cursor.fetchone()[0] == 1
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            stats = world.stats()
            if stats["reconnects"] > reconnects and stats["listener_connected"]:
                break
            time.sleep(0.05)
        assert stats["reconnects"] == reconnects + 1
        # then a change made afterwards still reaches the stream
        committed(world.a, retitle(world.event_a, "After The Outage"))
        texts = []
        deadline = time.monotonic() + 3
        while not any("After The Outage" in t for t in texts) and time.monotonic() < deadline:
            event = stream.next(timeout=3.0)
            texts.append(event.text if event else "")
        assert any("After The Outage" in t for t in texts)
    finally:
        stream.close()


def test_a_suspension_reaches_the_stream_servers_routing_at_once(world: World) -> None:
    from tenants.models import Business
    from tenants.services import business_resume, business_suspend

    path = f"/events/{world.event_a}/live"

    def status_within(expected: int, seconds: float) -> int:
        """Open streams until one answers ``expected`` (at most ``seconds``); the last status."""
        deadline = time.monotonic() + seconds
        while True:
            stream = world.open(world.a, path, world.cookie_a)
            stream.close()
            if stream.status == expected or time.monotonic() > deadline:
                return stream.status
            time.sleep(0.02)

    def set_suspended(suspended: bool) -> None:
        business = Business.objects.get(pk=world.a.business.pk)
        change = business_suspend if suspended else business_resume
        change(business=business, actor="tests")

    # given A's route is cached in the stream server (ROUTING_CACHE_SECONDS is 10 s)
    assert status_within(200, 0) == 200
    # when an operator suspends A in another process, then new streams are refused within 1 s
    committed(world.a, lambda: set_suspended(True))
    try:
        assert status_within(403, 1.0) == 403
    finally:
        committed(world.a, lambda: set_suspended(False))
    assert status_within(200, 1.0) == 200
