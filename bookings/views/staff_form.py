"""The staff booking form: the seed's "Form Submission Pattern" (Django Forms variant), with the
business isolation done by the schema, the write done by the service, and every failure mapped to
a 200 stream of patches before the response starts."""

from __future__ import annotations

from datastar_py.django import DatastarResponse
from datastar_py.django import ServerSentEventGenerator as SSE
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from bookings import services
from bookings.forms import StaffBookingForm, error_dict, validation_error_dict
from bookings.models import Booking, Client
from bookings.selectors import tour_events_bookable
from bookings.services import ClientDetails
from bookings.views.common import form_errors_response, unexpected_failure_response
from saas.datastar import patch_template
from tours.access import actor_of, staff_required


@staff_required
@require_GET
def booking_new(request: HttpRequest) -> HttpResponse:
    context = {
        "clients": Client.objects.order_by("name", "pk")[:1000],
        "events": tour_events_bookable()[:200],
        "selected_event": request.GET.get("event", ""),
        "selected_client": request.GET.get("client", ""),
    }
    return render(request, "bookings/booking_new.html", context)


def _create(request: HttpRequest, form: StaffBookingForm) -> Booking:
    data = form.cleaned_data
    client = data["client"] or ClientDetails(
        name=data["new_client_name"],
        email=data["new_client_email"],
        phone=data["new_client_phone"],
    )
    return services.booking_create(
        actor=actor_of(request),
        event=data["event"],
        client=client,
        participants=data["participants"],
        notes=data["notes"],
        status=form.initial_status,
    )


@staff_required
@require_POST
def booking_create(request: HttpRequest) -> DatastarResponse:
    """Posted with ``contentType: 'form'``: the fields and the CSRF token are in request.POST."""
    try:
        form = StaffBookingForm(request.POST)
        if not form.is_valid():
            return form_errors_response(request, error_dict(form))
        try:
            booking = _create(request, form)
        except ValidationError as exc:
            return form_errors_response(request, validation_error_dict(exc))
    except Exception as exc:
        return unexpected_failure_response(request, exc)
    return DatastarResponse(
        [
            patch_template(
                "bookings/partials/booking_success.html",
                {"booking": booking},
                request=request,
                selector="#booking-form-container",
            ),
            SSE.patch_signals({"loading": False, "showSuccess": True, "errors": {}}),
        ]
    )
