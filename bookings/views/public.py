"""The public booking page of a business (no login): departures with seats left, and a form that
books through the same service as the staff, under the same lock."""

from __future__ import annotations

import json

from datastar_py.django import DatastarResponse
from datastar_py.django import ServerSentEventGenerator as SSE
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from bookings import services
from bookings.forms import PublicBookingForm, error_dict, validation_error_dict
from bookings.selectors import public_departures_by_tour
from bookings.views.common import form_errors_response, unexpected_failure_response
from saas.datastar import patch_template
from tours.models import TourEvent
from tours.views.common import business_of


def seats_signals(events: list[TourEvent]) -> str:
    """The initial ``seats`` signals of a public page; the /book/live stream keeps them current."""
    return json.dumps({"seats": {f"e{event.pk}": event.seats_left for event in events}})


@require_GET
def book_index(request: HttpRequest) -> HttpResponse:
    groups = public_departures_by_tour()
    events = [event for group in groups for event in group.events]
    return render(
        request, "book/index.html", {"groups": groups, "seats_signals": seats_signals(events)}
    )


def _public_event_or_404(event_id: int) -> TourEvent:
    """A departure of this business (the schema) of an active tour; another business's id is 404."""
    return get_object_or_404(
        TourEvent.objects.select_related("tour").filter(tour__is_active=True), pk=event_id
    )


@ensure_csrf_cookie
@require_GET
def book_event(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _public_event_or_404(event_id)
    bookable = not event.is_cancelled and event.starts_at > timezone.now() and event.seats_left > 0
    return render(
        request,
        "book/event.html",
        {"event": event, "bookable": bookable, "seats_signals": seats_signals([event])},
    )


@require_POST
def book_event_create(request: HttpRequest, event_id: int) -> HttpResponseBase:
    """Posted with ``contentType: 'form'`` (name, email, participants, csrfmiddlewaretoken)."""
    event = _public_event_or_404(event_id)
    try:
        form = PublicBookingForm(request.POST)
        if not form.is_valid():
            return form_errors_response(request, error_dict(form))
        try:
            booking = services.booking_create_public(
                business=business_of(request), event=event, **form.cleaned_data
            )
        except ValidationError as exc:
            return form_errors_response(request, validation_error_dict(exc))
    except Exception as exc:
        return unexpected_failure_response(request, exc)
    event.refresh_from_db()
    return DatastarResponse(
        [
            patch_template(
                "book/partials/confirmation.html",
                {"booking": booking, "event": event},
                request=request,
                selector="#booking-form-container",
            ),
            patch_template(
                "book/partials/seats_left.html",
                {"event": event},
                request=request,
                selector=f"#seats-left-{event.pk}",
            ),
            SSE.patch_signals(
                {
                    "loading": False,
                    "showSuccess": True,
                    "errors": {},
                    "seats": {f"e{event.pk}": event.seats_left},  # what the badge shows
                }
            ),
        ]
    )
