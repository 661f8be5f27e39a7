"""Fixtures for the bookings app: departures and bookings built with the real services."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.test import Client as DjangoClient

from bookings import services
from bookings.models import Booking, Client
from bookings.services import ClientDetails
from tests.conftest import TenantFixture
from tests.tours.conftest import in_a, in_b, make_event, make_tour  # noqa: F401 - fixtures
from tours.models import AuditEntry, TourEvent


def book(
    event: TourEvent,
    participants: int = 2,
    *,
    email: str = "maria@example.com",
    name: str = "Maria Silva",
    status: Booking.Status = Booking.Status.PENDING,
) -> Booking:
    return services.booking_create(
        actor="tests",
        event=event,
        client=ClientDetails(name=name, email=email),
        participants=participants,
        status=status,
    )


def booking_in(status: Booking.Status, event: TourEvent, **kwargs: object) -> Booking:
    """A booking driven through the real transitions to ``status``."""
    booking = book(event, **kwargs)  # type: ignore[arg-type]
    steps = {
        Booking.Status.PENDING: [],
        Booking.Status.CONFIRMED: [services.booking_confirm],
        Booking.Status.CHECKED_IN: [services.booking_confirm, services.booking_check_in],
        Booking.Status.COMPLETED: [
            services.booking_confirm,
            services.booking_check_in,
            services.booking_complete,
        ],
        Booking.Status.CANCELLED: [services.booking_cancel],
    }
    for step in steps[status]:
        booking = step(actor="tests", booking=booking)
    return booking


@dataclass(frozen=True)
class State:
    """Everything a refused request must leave as it was."""

    bookings: list[tuple[object, ...]]
    clients: list[tuple[object, ...]]
    events: list[tuple[object, ...]]
    audit_entries: int


def state() -> State:
    """A snapshot of the current schema's booking data."""
    return State(
        bookings=list(
            Booking.objects.order_by("pk").values_list(
                "pk", "reference", "status", "participants", "event_id", "client_id", "updated_at"
            )
        ),
        clients=list(Client.objects.order_by("pk").values_list("pk", "name", "email", "phone")),
        events=list(
            TourEvent.objects.order_by("pk").values_list("pk", "seats_booked", "status", "capacity")
        ),
        audit_entries=AuditEntry.objects.count(),
    )


def state_of(fixture: TenantFixture) -> State:
    with fixture.schema():
        return state()


@pytest.fixture
def departure(in_a: TenantFixture) -> TourEvent:  # noqa: F811
    """A departure of business A with 12 seats, ten days ahead."""
    return make_event(make_tour("Old Town Walk"), days=10)


def post_form(client: DjangoClient, url: str, data: dict[str, object], **extra: object):
    """What Datastar sends for ``contentType: 'form'``: the form's fields, URL-encoded."""
    return client.post(
        url,
        data=urlencode({k: v for k, v in data.items() if v is not None}, doseq=True),
        content_type="application/x-www-form-urlencoded",
        headers={"Datastar-Request": "true"},
        **extra,
    )


def post_json(client: DjangoClient, url: str, body: object = None, **extra: object):
    """A Datastar JSON post (the lifecycle buttons): the page's signals as the body."""
    data = body if isinstance(body, str | bytes) else json.dumps(body or {"busy": True})
    return client.post(
        url,
        data=data,
        content_type="application/json",
        headers={"Datastar-Request": "true"},
        **extra,
    )
