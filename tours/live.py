"""Live topics of the tours app: a departure's state, for its staff page (saas/live)."""

from __future__ import annotations

from datastar_py.django import ServerSentEventGenerator as SSE
from django.db import connection
from django.template.loader import render_to_string

from saas.live.registry import Access, Change, Rendered, registry
from tenants.models import Business
from tours.models import TourEvent


@registry.on_change("tour_event")
def tour_event_topics(change: Change) -> list[str]:
    # A departure's page follows the departure; the public booking page follows availability.
    return [f"tour_event:{change.pk}", "availability"]


@registry.renderer("tour_event")
def render_tour_event(topic: str) -> Rendered | None:
    """The departure summary (#event-detail) as it is now, in the business's time zone."""
    pk = int(topic.split(":", 1)[1])
    event = TourEvent.objects.select_related("tour").filter(pk=pk).first()
    if event is None:
        return None
    business = Business.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]
    html = render_to_string("partials/event_detail.html", {"event": event, "business": business})
    signals = SSE.patch_signals({"seatsLeft": event.seats_left, "eventStatus": str(event.status)})
    return Rendered(SSE.patch_elements(html) + signals)


registry.stream(
    r"/events/(?P<pk>[0-9]{1,19})/live",
    topic=lambda found: f"tour_event:{found['pk']}",
    access=Access.STAFF,
)
