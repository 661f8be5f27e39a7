"""Live topics of the tours app (saas/live): a departure's page and the staff dashboard."""

from __future__ import annotations

from datastar_py.django import ServerSentEventGenerator as SSE
from django.db import connection
from django.template.loader import render_to_string

from saas.live.registry import Access, Change, Rendered, registry
from tenants.models import Business
from tours import selectors
from tours.models import TourEvent


def current_business() -> Business:
    """The business whose schema the hub is rendering in."""
    return Business.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]


@registry.on_change("tour_event")
def tour_event_topics(change: Change) -> list[str]:
    # Seats, status or details of a departure changed: its page, its manifest, the public
    # availability and the staff dashboard follow it.
    return [f"tour_event:{change.pk}", f"manifest:{change.pk}", "availability", "dashboard"]


@registry.renderer("tour_event")
def render_tour_event(topic: str) -> Rendered | None:
    """The departure summary (#event-detail) as it is now, in the business's time zone."""
    pk = int(topic.split(":", 1)[1])
    event = TourEvent.objects.select_related("tour").filter(pk=pk).first()
    if event is None:
        return None
    context = {"event": event, "business": current_business()}
    html = render_to_string("partials/event_detail.html", context)
    signals = SSE.patch_signals({"seatsLeft": event.seats_left, "eventStatus": str(event.status)})
    return Rendered(SSE.patch_elements(html) + signals)


@registry.renderer("dashboard")
def render_dashboard(topic: str) -> Rendered:
    """The dashboard's today panel (#today): today's and the next seven days' departures."""
    business = current_business()
    figures = selectors.dashboard_today(business=business)
    html = render_to_string(
        "partials/dashboard_today.html", {"today": figures, "business": business}
    )
    return Rendered(SSE.patch_elements(html))


registry.stream(
    r"/events/(?P<pk>[0-9]{1,19})/live",
    name="tour-event-live",
    topic=lambda found: f"tour_event:{found['pk']}",
    access=Access.STAFF,
)
registry.stream(
    r"/dashboard/live", name="dashboard-live", topic=lambda found: "dashboard", access=Access.STAFF
)
