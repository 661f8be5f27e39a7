"""Demo clients and bookings (called by tenants.demo.seed_demo inside the business's schema)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone

from bookings import services
from bookings.models import Booking, Client
from tours.models import TourEvent

DEMO_CLIENTS = [
    ("Ana Ribeiro", "ana.ribeiro@example.com", "+351 912 000 101"),
    ("Ben Carter", "ben.carter@example.com", "+44 7700 900123"),
    ("Chloé Martin", "chloe.martin@example.com", ""),
    ("David Kim", "david.kim@example.com", "+1 415 555 0142"),
    ("Elif Yılmaz", "elif.yilmaz@example.com", ""),
    ("Femi Adeyemi", "femi.adeyemi@example.com", "+234 803 555 0199"),
    ("Greta Lind", "greta.lind@example.com", "+46 70 555 01 23"),
    ("Hugo Silva", "hugo.silva@example.com", ""),
]
Status = Booking.Status
# (client index, departure index, participants, final status)
DEMO_BOOKINGS = [
    (0, 0, 2, Status.CHECKED_IN),
    (1, 0, 3, Status.CONFIRMED),
    (2, 0, 1, Status.PENDING),
    (3, 0, 2, Status.COMPLETED),
    (4, 1, 4, Status.CONFIRMED),
    (5, 1, 1, Status.CANCELLED),
    (6, 2, 2, Status.PENDING),
    (7, 2, 2, Status.CONFIRMED),
    (0, 3, 2, Status.CONFIRMED),
    (1, 4, 1, Status.PENDING),
    (2, 5, 3, Status.CONFIRMED),
    (3, 6, 2, Status.CANCELLED),
]
STEPS: dict[str, list[Callable[..., Booking]]] = {
    Status.PENDING: [],
    Status.CONFIRMED: [services.booking_confirm],
    Status.CHECKED_IN: [services.booking_confirm, services.booking_check_in],
    Status.COMPLETED: [
        services.booking_confirm,
        services.booking_check_in,
        services.booking_complete,
    ],
    Status.CANCELLED: [services.booking_cancel],
}


def seed_bookings() -> int:
    """Clients and bookings in every status on the next departures, through the real services.

    Runs once: when the first demo client exists, nothing is added. Returns the bookings made.
    """
    if Client.objects.filter(email__iexact=DEMO_CLIENTS[0][1]).exists():
        return 0
    clients = [
        services.client_create(actor="seed_demo", name=name, email=email, phone=phone)
        for name, email, phone in DEMO_CLIENTS
    ]
    departures = list(
        TourEvent.objects.scheduled().filter(starts_at__gt=timezone.now()).order_by("starts_at")[:7]
    )
    made = 0
    for client_index, departure_index, participants, status in DEMO_BOOKINGS:
        if departure_index >= len(departures):
            continue
        try:
            booking = services.booking_create(
                actor="seed_demo",
                event=departures[departure_index],
                client=clients[client_index],
                participants=participants,
            )
        except ValidationError:  # a small departure filled up: skip this one
            continue
        for step in STEPS[status]:
            booking = step(actor="seed_demo", booking=booking)
        made += 1
    return made
