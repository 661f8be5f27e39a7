"""Reads the bookings pages share (inside the business's schema: no business filter)."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from bookings.models import Booking, BookingSettings, Client
from tours.models import AuditEntry, Tour, TourEvent
from tours.selectors import local_day_bounds


def booking_settings() -> BookingSettings:
    """The business's booking settings (the row is created with defaults on first use)."""
    settings, _ = BookingSettings.objects.get_or_create(pk=BookingSettings.SINGLETON_PK)
    return settings


def tour_events_bookable() -> QuerySet[TourEvent]:
    """Scheduled departures that have not left and have a seat left, soonest first."""
    return (
        TourEvent.objects.scheduled()
        .filter(starts_at__gt=timezone.now(), seats_booked__lt=F("capacity"))
        .select_related("tour")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class TourDepartures:
    tour: Tour
    events: list[TourEvent]


def public_departures_by_tour(*, limit_per_tour: int = 12) -> list[TourDepartures]:
    """Upcoming bookable departures of active tours, grouped by tour (for the public page)."""
    grouped: dict[int, TourDepartures] = {}
    for event in tour_events_bookable().filter(tour__is_active=True):
        group = grouped.setdefault(event.tour_id, TourDepartures(event.tour, []))  # type: ignore[attr-defined]
        if len(group.events) < limit_per_tour:
            group.events.append(event)
    return sorted(grouped.values(), key=lambda g: (g.tour.name, g.tour.pk))


@dataclass(frozen=True)
class BookingFilters:
    status: str = ""
    event_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""


def bookings_filtered(*, filters: BookingFilters, zone: zoneinfo.ZoneInfo) -> QuerySet[Booking]:
    """Bookings matching the list page's filters; dates are the departure's local days."""
    bookings = Booking.objects.select_related("client", "event", "event__tour")
    if filters.status:
        bookings = bookings.filter(status=filters.status)
    if filters.event_id is not None:
        bookings = bookings.filter(event_id=filters.event_id)
    if filters.date_from is not None:
        bookings = bookings.filter(
            event__starts_at__gte=local_day_bounds(filters.date_from, zone)[0]
        )
    if filters.date_to is not None:
        bookings = bookings.filter(event__starts_at__lt=local_day_bounds(filters.date_to, zone)[1])
    if filters.search:
        term = filters.search
        bookings = bookings.filter(
            Q(client__name__icontains=term)
            | Q(client__email__icontains=term)
            | Q(reference__iexact=term)
        )
    return bookings.order_by("event__starts_at", "event_id", "created_at", "pk")


def booking_timeline(booking: Booking) -> list[AuditEntry]:
    """Every change to a booking, oldest first."""
    return list(
        AuditEntry.objects.filter(
            target_type=Booking._meta.label_lower, target_id=str(booking.pk)
        ).order_by("created_at", "id")
    )


def event_manifest(event: TourEvent) -> list[Booking]:
    """Who is coming on a departure: its bookings that hold seats, by client name."""
    return list(
        event.bookings.active()  # type: ignore[attr-defined]
        .select_related("client")
        .order_by("client__name", "pk")
    )


def manifest_context(event: TourEvent) -> dict[str, object]:
    """What the manifest table shows: the bookings and who of them is here."""
    bookings = event_manifest(event)
    return {
        "event": event,
        "bookings": bookings,
        "people": sum(b.participants for b in bookings),
        "people_checked_in": sum(
            b.participants for b in bookings if b.status == Booking.Status.CHECKED_IN
        ),
    }


def seats_held(event: TourEvent) -> int:
    """Participants of a departure's active bookings (what seats_booked must equal)."""
    total = event.bookings.active().aggregate(total=Sum("participants"))["total"]  # type: ignore[attr-defined]
    return int(total or 0)


def clients_matching(search: str = "") -> QuerySet[Client]:
    clients = Client.objects.all()
    if search:
        clients = clients.filter(
            Q(name__icontains=search) | Q(email__icontains=search) | Q(phone__icontains=search)
        )
    return clients.order_by("name", "pk")


def client_bookings(client: Client) -> list[Booking]:
    return list(
        client.bookings.select_related("event", "event__tour").order_by("-event__starts_at", "-pk")  # type: ignore[attr-defined]
    )
