"""Demo data for a business: staff, tours, departures, clients and bookings."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Business, Domain

DEMO_STAFF = [
    ("maria@demo.tourdesk.example", "Maria", "Costa"),
    ("tom@demo.tourdesk.example", "Tom", "Okafor"),
]
DEMO_STAFF_PASSWORD = "demo-staff-pass"


class DemoError(Exception):
    pass


# name, description, minutes, price, seats, weekdays (0 = Monday), local start times, guide
DEMO_TOURS = [
    (
        "Old Town Walking Tour",
        "Two hours through the alleys, viewpoints and tiled churches of the old town.",
        120,
        Decimal("25.00"),
        15,
        frozenset({0, 1, 2, 3, 4, 5}),
        (time(10, 0), time(15, 0)),
        "Maria Costa",
    ),
    (
        "Sunset Sailing",
        "A small-boat sail along the river as the sun goes down, with a glass of wine.",
        150,
        Decimal("59.00"),
        10,
        frozenset({2, 4, 5, 6}),
        (time(18, 30),),
        "Tom Okafor",
    ),
    (
        "Wine Cellar Tasting",
        "Five regional wines with cheese in a 17th-century cellar.",
        90,
        Decimal("39.00"),
        12,
        frozenset({3, 5}),
        (time(17, 0),),
        "",
    ),
]
DEMO_DAYS = 21


def _seed_tours(business: Business) -> tuple[int, int]:
    """Tours (found by name, else created) and three weeks of departures; returns the counts
    created. Uses the real services, so a second run adds only what is missing."""
    from tours import services
    from tours.models import Tour
    from tours.recurrence import RecurrencePattern

    tours_made = departures_made = 0
    today = timezone.localdate(timezone.now(), business.zone)
    for name, description, minutes, price, seats, weekdays, times, guide in DEMO_TOURS:
        tour = Tour.objects.filter(name=name).first()
        if tour is None:
            tour = services.tour_create(
                actor="seed_demo",
                name=name,
                description=description,
                duration_minutes=minutes,
                price=price,
                default_capacity=seats,
            )
            tours_made += 1
        if not tour.is_active:
            continue
        pattern = RecurrencePattern(
            weekdays=weekdays,
            times=times,
            first_day=today,
            last_day=today + timedelta(days=DEMO_DAYS - 1),
        )
        try:
            outcome = services.tour_events_schedule_recurring(
                actor="seed_demo", tour=tour, pattern=pattern, zone=business.zone, guide_name=guide
            )
        except ValidationError:  # nothing new to schedule: the demo is already seeded
            continue
        departures_made += len(outcome.created)
    return tours_made, departures_made


def seed_demo(*, subdomain: str) -> str:
    """Add demo staff, tours, three weeks of departures, clients and bookings; idempotent."""
    host = f"{subdomain.strip().lower()}.{settings.SAAS_BASE_DOMAIN}"
    domain = Domain.objects.select_related("tenant").filter(domain=host).first()
    if domain is None:
        raise DemoError(f"No business at {host}. Create it first with create_business.")
    business = domain.tenant
    created = 0
    with schema_context(business.schema_name):
        User = get_user_model()
        for email, first, last in DEMO_STAFF:
            _user, made = User.objects.get_or_create(
                username=email,
                defaults={"email": email, "first_name": first, "last_name": last, "is_staff": True},
            )
            if made:
                _user.set_password(DEMO_STAFF_PASSWORD)
                _user.save(update_fields=["password"])
                created += 1
        tours_made, departures_made = _seed_tours(business)
        from bookings.demo import seed_bookings

        bookings_made = seed_bookings()
    summary = f"{created} staff accounts, {tours_made} tours and {departures_made} departures added"
    return f"{summary}; {bookings_made} bookings added" if bookings_made else summary
