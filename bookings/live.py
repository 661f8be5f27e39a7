"""Live topics of the bookings app (saas/live): a booking's status, a departure's manifest, and
the seats left on the public booking pages."""

from __future__ import annotations

from datastar_py.attributes import SignalValue
from datastar_py.django import ServerSentEventGenerator as SSE
from django.template.loader import render_to_string
from django.utils import timezone

from bookings.models import Booking
from bookings.selectors import booking_timeline, manifest_context
from saas.live.registry import Access, Change, Rendered, registry
from tours.live import current_business
from tours.models import TourEvent

# A booking stream ends with these: nothing can change any more.
FINAL_STATUSES = frozenset({Booking.Status.COMPLETED, Booking.Status.CANCELLED})


@registry.on_change("booking")
def booking_topics(change: Change) -> list[str]:
    return [f"booking:{change.pk}"]


@registry.renderer("booking")
def render_booking(topic: str) -> Rendered | None:
    """The booking's status block (#booking-status inside #booking-lifecycle), its history, and
    signals {status, progress}; final once the booking is completed or cancelled."""
    pk = int(topic.split(":", 1)[1])
    booking = Booking.objects.select_related("client", "event", "event__tour").filter(pk=pk).first()
    if booking is None:
        return None
    business = current_business()
    lifecycle = render_to_string(
        "bookings/partials/booking_lifecycle.html", {"booking": booking, "business": business}
    )
    timeline = render_to_string(
        "bookings/partials/booking_timeline.html",
        {"timeline": booking_timeline(booking), "business": business},
    )
    signals: dict[str, SignalValue] = {
        "status": str(booking.status),
        "progress": booking.progress_percentage,
    }
    return Rendered(
        SSE.patch_elements(lifecycle) + SSE.patch_elements(timeline) + SSE.patch_signals(signals),
        final=booking.status in FINAL_STATUSES,
    )


@registry.renderer("manifest")
def render_manifest(topic: str) -> Rendered | None:
    """A departure's manifest table (#manifest-table): who is coming and who is here."""
    pk = int(topic.split(":", 1)[1])
    event = TourEvent.objects.select_related("tour").filter(pk=pk).first()
    if event is None:
        return None
    context = {**manifest_context(event), "business": current_business()}
    return Rendered(
        SSE.patch_elements(render_to_string("bookings/partials/manifest_table.html", context))
    )


@registry.renderer("availability")
def render_availability(topic: str) -> Rendered:
    """Seats left of every upcoming departure (0 when sold out or cancelled), as signals only:
    public, no personal data. Sold-out and cancelled ones are included so that pages showing
    them stop offering seats."""
    upcoming = TourEvent.objects.filter(starts_at__gt=timezone.now()).values_list(
        "pk", "capacity", "seats_booked", "status"
    )
    seats: dict[str, SignalValue] = {
        f"e{pk}": max(capacity - booked, 0) if status == TourEvent.Status.SCHEDULED else 0
        for pk, capacity, booked, status in upcoming
    }
    return Rendered(SSE.patch_signals({"seats": seats}))


registry.stream(
    r"/bookings/(?P<pk>[0-9]{1,19})/live",
    name="booking-live",
    topic=lambda found: f"booking:{found['pk']}",
    access=Access.STAFF,
)
registry.stream(
    r"/events/(?P<pk>[0-9]{1,19})/manifest/live",
    name="manifest-live",
    topic=lambda found: f"manifest:{found['pk']}",
    access=Access.STAFF,
)
registry.stream(
    r"/book/live", name="book-live", topic=lambda found: "availability", access=Access.PUBLIC
)
