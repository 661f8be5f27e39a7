"""50 customers race for a departure of 10 seats, each on its own database connection.

The departure must be committed for the other connections to see it, so this module provisions a
business of its own (committed, like the session's businesses) and never touches the shared
ones; what it books is removed afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from bookings import services
from bookings.models import Booking, Client
from bookings.selectors import seats_held
from bookings.services import ClientDetails
from tests.conftest import TenantFixture, _provision
from tests.tours.conftest import make_event, make_tour
from tours.models import AuditEntry, TourEvent

ATTEMPTS = 50
CAPACITY = 10


@dataclass(frozen=True)
class Race:
    tenant: TenantFixture
    event_id: int


@pytest.fixture(scope="module")
def race(django_db_setup, django_db_blocker) -> Iterator[Race]:
    with django_db_blocker.unblock():
        tenant = _provision("racers", "Racing Tours")
        with tenant.schema():
            event = make_event(make_tour("Sunset Cruise", default_capacity=CAPACITY), days=5)
        connection.set_schema_to_public()
    yield Race(tenant, event.pk)
    with django_db_blocker.unblock(), tenant.schema():
        Booking.objects.all().delete()
        Client.objects.all().delete()
        AuditEntry.objects.filter(target_type__startswith="bookings.").delete()
        TourEvent.objects.filter(pk=event.pk).update(seats_booked=0)


@pytest.mark.django_db
def test_fifty_concurrent_bookings_never_oversell(race: Race) -> None:
    # given a committed departure with 10 seats and 50 customers released at the same instant
    start = threading.Barrier(ATTEMPTS)
    booked: list[str] = []
    refused: list[list[str]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def customer(n: int) -> None:
        try:
            with schema_context(race.tenant.business.schema_name):
                event = TourEvent.objects.get(pk=race.event_id)
                start.wait(timeout=60)
                try:
                    booking = services.booking_create(
                        actor=f"customer-{n}",
                        event=event,
                        client=ClientDetails(name=f"Customer {n}", email=f"c{n}@example.com"),
                        participants=1,
                    )
                except ValidationError as exc:
                    with lock:
                        refused.append(exc.messages)
                else:
                    with lock:
                        booked.append(booking.reference)
        except BaseException as exc:  # anything else is a failure of the guarantee
            with lock:
                failures.append(exc)
        finally:
            connection.close()

    # when they all book one seat at once, each on its own connection
    threads = [threading.Thread(target=customer, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then exactly ten got a seat, the forty others a clear refusal, and nothing else happened
    assert failures == []
    assert len(booked) == CAPACITY
    assert len(set(booked)) == CAPACITY
    assert refused == [["This departure is sold out."]] * (ATTEMPTS - CAPACITY)
    with race.tenant.schema():
        event = TourEvent.objects.get(pk=race.event_id)
        assert event.seats_booked == CAPACITY == seats_held(event)
        assert Booking.objects.filter(event=event).count() == CAPACITY
        assert Client.objects.count() == CAPACITY  # refused customers left no client behind
        assert AuditEntry.objects.filter(action="booking.created").count() == CAPACITY
