"""Fixtures for the tours app: a tour and departures built with the real services."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.conftest import TenantFixture
from tours import services
from tours.models import Tour, TourEvent


def future_start(days: int = 10, hour: int = 9, minute: int = 30) -> datetime:
    """A minute-precise instant ``days`` from now at ``hour:minute`` Lisbon time (the fixtures'
    businesses are in Europe/Lisbon)."""
    lisbon = ZoneInfo("Europe/Lisbon")
    day = (timezone.now().astimezone(lisbon) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=lisbon)


@pytest.fixture
def in_a(tenant_a: TenantFixture) -> Iterator[TenantFixture]:
    """Run the test inside business A's schema."""
    with tenant_a.schema():
        yield tenant_a


@pytest.fixture
def in_b(tenant_b: TenantFixture) -> Iterator[TenantFixture]:
    with tenant_b.schema():
        yield tenant_b


def make_tour(name: str = "Old Town Walk", **overrides: object) -> Tour:
    fields: dict[str, object] = {
        "actor": "tests",
        "name": name,
        "description": "Two hours through the alleys.",
        "duration_minutes": 120,
        "price": Decimal("25.00"),
        "default_capacity": 12,
    }
    fields.update(overrides)
    return services.tour_create(**fields)  # type: ignore[arg-type]


def make_event(tour: Tour, *, days: int = 10, **overrides: object) -> TourEvent:
    fields: dict[str, object] = {"actor": "tests", "tour": tour, "starts_at": future_start(days)}
    fields.update(overrides)
    return services.tour_event_schedule(**fields)  # type: ignore[arg-type]


def book_seats(event: TourEvent, seats: int) -> TourEvent:
    """Stand-in for the bookings issue's service: seats_booked is its counter."""
    TourEvent.objects.filter(pk=event.pk).update(seats_booked=seats)
    event.refresh_from_db()
    return event
