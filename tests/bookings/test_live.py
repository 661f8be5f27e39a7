"""Booking status, manifest and public seats-left streams against the real stream server."""

from __future__ import annotations

import json
import queue
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from bookings.models import Booking
from bookings.services import bookings as booking_services
from bookings.services.bookings import ClientDetails
from tests.conftest import TenantFixture, _provision
from tests.live import LiveServer, committed, staff_cookie
from tests.sse_client import SSEReader, StreamEvent
from tours.models import TourEvent
from tours.services import events as event_services
from tours.services import tours as tour_services

pytestmark = pytest.mark.django_db


@dataclass
class Shop:
    server: LiveServer
    tenant: TenantFixture
    other: TenantFixture
    event_pk: int
    cookie: str

    def open(self, path: str, *, cookie: str | None = None, tenant: TenantFixture | None = None):
        host = (tenant or self.tenant).host
        return SSEReader(
            self.server.port, host, path, cookie=self.cookie if cookie is None else cookie
        )


def schedule(capacity: int) -> int:
    tour = tour_services.tour_create(
        actor="tests",
        name="Tram 28 Ride",
        duration_minutes=45,
        price=Decimal("15"),
        default_capacity=capacity,
    )
    return event_services.tour_event_schedule(
        actor="tests", tour=tour, starts_at=timezone.now() + timedelta(days=2)
    ).pk


def book(event_pk: int, name: str, participants: int, status: str = "pending") -> int:
    return booking_services.booking_create(
        actor="tests",
        event=TourEvent.objects.get(pk=event_pk),
        client=ClientDetails(name=name, email=f"{name.lower().replace(' ', '.')}@example.org"),
        participants=participants,
        status=Booking.Status(status),
    ).pk


@pytest.fixture(scope="module")
def shop(stream_server: LiveServer, django_db_blocker) -> Shop:
    with django_db_blocker.unblock():
        tenant = _provision("liveshop", "Live Shop")
        other = _provision("othershop", "Other Shop")
        with tenant.schema():
            event_pk = schedule(capacity=10)
        with other.schema():
            schedule(capacity=10)  # same departure id, another business
        cookie = staff_cookie(tenant)
        connection.set_schema_to_public()
    return Shop(stream_server, tenant, other, event_pk, cookie)


def until(stream: SSEReader, predicate, timeout: float = 2.0) -> StreamEvent:
    """The first event within ``timeout`` for which ``predicate`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        event = stream.next(timeout=max(deadline - time.monotonic(), 0.001))
        assert event is not None, "the stream ended"
        if predicate(event):
            return event


def signals(event: StreamEvent) -> dict:
    assert event.type == "datastar-patch-signals"
    return json.loads(event.text.removeprefix("signals "))


def test_a_confirmation_reaches_the_booking_stream_within_two_seconds(shop: Shop) -> None:
    booking_pk = committed(shop.tenant, lambda: book(shop.event_pk, "Ana Lima", 2))
    stream = shop.open(f"/bookings/{booking_pk}/live")
    try:
        assert stream.status == 200
        first = stream.next()
        assert 'id="booking-status"' in first.text
        assert "Pending" in first.text
        # when staff confirm the booking elsewhere
        started = time.monotonic()
        committed(
            shop.tenant,
            lambda: booking_services.booking_confirm(
                actor="tests", booking=Booking.objects.get(pk=booking_pk)
            ),
        )
        # then the status block and the signals arrive within 2 s
        status = until(
            stream, lambda e: e.type == "datastar-patch-elements" and "Confirmed" in e.text
        )
        assert status.received_at - started < 2.0
        assert 'id="booking-status"' in status.text
        assert signals(until(stream, lambda e: e.type == "datastar-patch-signals")) == {
            "status": "confirmed",
            "progress": Booking(status="confirmed").progress_percentage,
        }
    finally:
        stream.close()


def test_the_booking_stream_ends_when_the_booking_is_completed(shop: Shop) -> None:
    booking_pk = committed(shop.tenant, lambda: book(shop.event_pk, "Rui Costa", 1, "confirmed"))
    stream = shop.open(f"/bookings/{booking_pk}/live")
    try:
        stream.next()

        def finish() -> None:
            booking = Booking.objects.get(pk=booking_pk)
            booking = booking_services.booking_check_in(actor="tests", booking=booking)
            booking_services.booking_complete(actor="tests", booking=booking)

        committed(shop.tenant, finish)
        final = until(
            stream,
            lambda e: e.type == "datastar-patch-signals" and signals(e)["status"] == "completed",
            timeout=3.0,
        )
        assert signals(final)["progress"] == 100
        deadline = time.monotonic() + 3
        while (event := stream.next(timeout=3.0, skip_comments=False)) is not None:
            assert time.monotonic() < deadline, "the stream did not end"
        assert event is None
    finally:
        stream.close()


def test_a_public_booking_changes_the_seats_on_an_open_book_stream(shop: Shop) -> None:
    # given a customer's /book/ page following availability (no login)
    stream = shop.open("/book/live", cookie="")
    try:
        assert stream.status == 200
        before = signals(stream.next())["seats"][f"e{shop.event_pk}"]
        # when another customer books 3 seats on the public page
        committed(
            shop.tenant,
            lambda: booking_services.booking_create_public(
                business=shop.tenant.business,
                event=TourEvent.objects.get(pk=shop.event_pk),
                name="Joana Dias",
                email="joana@example.org",
                participants=3,
            ),
        )
        # then the open page's seats go down by 3, and the stream carried only seat counts
        update = until(stream, lambda e: e.type == "datastar-patch-signals")
        assert signals(update)["seats"][f"e{shop.event_pk}"] == before - 3
        assert list(signals(update)) == ["seats"]
        assert "Joana" not in update.text and "joana" not in update.text
    finally:
        stream.close()


def test_the_manifest_stream_shows_a_new_booking(shop: Shop) -> None:
    stream = shop.open(f"/events/{shop.event_pk}/manifest/live")
    try:
        assert 'id="manifest-table"' in stream.next().text
        committed(shop.tenant, lambda: book(shop.event_pk, "Marta Sousa", 1, "confirmed"))
        update = until(stream, lambda e: "Marta Sousa" in e.text)
        assert 'id="manifest-table"' in update.text
        assert "$csrf" in update.text  # the buttons take the page's token, not a rendered one
    finally:
        stream.close()


def test_a_book_stream_of_another_business_hears_nothing(shop: Shop) -> None:
    stream = shop.open("/book/live", cookie="", tenant=shop.other)
    try:
        stream.next()
        committed(shop.tenant, lambda: book(shop.event_pk, "Nuno Reis", 1))
        with pytest.raises(queue.Empty):
            stream.next(timeout=1.5)
    finally:
        stream.close()


@pytest.mark.parametrize("path", ["/bookings/1/live", "/events/1/manifest/live", "/dashboard/live"])
def test_staff_streams_refuse_the_public_and_other_businesses(shop: Shop, path: str) -> None:
    assert shop.open(path, cookie="").status == 403
    assert shop.open(path, tenant=shop.other).status == 403  # this cookie's session is not B's


def test_a_booking_id_of_another_business_is_404(shop: Shop) -> None:
    other_pk = committed(shop.other, lambda: book(TourEvent.objects.get().pk, "Only B", 1))
    missing = other_pk + 10_000
    assert shop.open(f"/bookings/{missing}/live").status == 404
