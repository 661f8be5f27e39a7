"""seed_demo adds clients and bookings in every status, with consistent seat counts, once."""

from __future__ import annotations

from bookings.models import Booking, Client
from bookings.selectors import seats_held
from tenants.demo import seed_demo
from tests.conftest import TenantFixture
from tours.models import TourEvent


def test_seed_demo_adds_bookings_in_every_status_once(tenant_a: TenantFixture) -> None:
    first = seed_demo(subdomain="alpha")
    second = seed_demo(subdomain="alpha")
    assert first.endswith("; 12 bookings added")
    assert second == "0 staff accounts, 0 tours and 0 departures added"
    with tenant_a.schema():
        assert Client.objects.count() == 8
        assert Booking.objects.count() == 12
        statuses = set(Booking.objects.values_list("status", flat=True))
        assert statuses == {s.value for s in Booking.Status}
        for event in TourEvent.objects.all():
            assert event.seats_booked == seats_held(event)
