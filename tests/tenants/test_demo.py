"""seed_demo fills a business with staff, tours and departures, and adds nothing twice."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from tenants.demo import DEMO_DAYS, seed_demo
from tests.conftest import TenantFixture
from tours.models import Tour, TourEvent


def test_seed_demo_creates_tours_and_upcoming_departures_once(tenant_a: TenantFixture) -> None:
    # when the demo is seeded twice
    first = seed_demo(subdomain="alpha")
    second = seed_demo(subdomain="ALPHA")
    # then the first run created staff, three tours and their departures, the second nothing
    assert first.startswith("2 staff accounts, 3 tours and ")
    assert second == "0 staff accounts, 0 tours and 0 departures added"
    with tenant_a.schema():
        assert list(Tour.objects.values_list("name", flat=True)) == [
            "Old Town Walking Tour",
            "Sunset Sailing",
            "Wine Cellar Tasting",
        ]
        events = list(TourEvent.objects.select_related("tour"))
        assert f"and {len(events)} departures added" in first
        assert len(events) > 20
        now = timezone.now()
        assert all(now < e.starts_at < now + timedelta(days=DEMO_DAYS + 1) for e in events)
        local_times = {
            timezone.localtime(e.starts_at, tenant_a.business.zone).strftime("%H:%M")
            for e in events
            if e.tour.name == "Sunset Sailing"
        }
        assert local_times == {"18:30"}
        assert get_user_model().objects.filter(is_staff=True, is_superuser=False).count() == 2
