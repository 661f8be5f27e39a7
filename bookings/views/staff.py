"""Staff pages for bookings: the filtered list and its CSV export, a booking's page with its
lifecycle buttons (Datastar JSON posts), and a departure's manifest with check-in toggles."""

from __future__ import annotations

import csv
from collections.abc import Callable

from datastar_py.django import DatastarResponse
from datastar_py.django import ServerSentEventGenerator as SSE
from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bookings import services
from bookings.models import Booking
from bookings.selectors import (
    BookingFilters,
    booking_timeline,
    bookings_filtered,
    manifest_context,
)
from saas.datastar import BadSignals, bad_signals_response, patch_template, signals_of
from tours.access import actor_of, staff_required
from tours.models import TourEvent
from tours.views.common import business_of


class BookingFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Booking.Status.choices], required=False
    )
    event = forms.IntegerField(required=False, min_value=1)
    date_from = forms.DateField(required=False, label="From")
    date_to = forms.DateField(required=False, label="To")
    q = forms.CharField(required=False, max_length=200, label="Client")

    def filters(self) -> BookingFilters:
        """The valid filters (an invalid one is ignored and shown as an error on the form)."""
        data = self.cleaned_data if self.is_valid() else {}
        return BookingFilters(
            status=data.get("status") or "",
            event_id=data.get("event"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            search=(data.get("q") or "").strip(),
        )


def _filtered(request: HttpRequest) -> tuple[BookingFilterForm, BookingFilters]:
    form = BookingFilterForm(request.GET or None)
    return form, form.filters() if request.GET else BookingFilters()


@staff_required
@require_GET
def booking_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filtered(request)
    bookings = bookings_filtered(filters=filters, zone=business_of(request).zone)
    page = Paginator(bookings, 50).get_page(request.GET.get("page"))
    event = TourEvent.objects.filter(pk=filters.event_id).first() if filters.event_id else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "bookings/booking_list.html",
        {"form": form, "page": page, "event": event, "query": query.urlencode()},
    )


def _csv_cell(value: object) -> str:
    """Neutralise spreadsheet formulas (a client named "=HYPERLINK(…)" stays text)."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@staff_required
@require_GET
def booking_export(request: HttpRequest) -> HttpResponse:
    """The list's bookings, with the same filters, as CSV (times in the business's zone)."""
    _, filters = _filtered(request)
    zone = business_of(request).zone
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate(timezone=zone).isoformat()
    response["Content-Disposition"] = f'attachment; filename="bookings-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "reference",
            "status",
            "tour",
            "departure",
            "participants",
            "client",
            "email",
            "phone",
            "booked_at",
            "source",
        ]
    )
    for b in bookings_filtered(filters=filters, zone=zone).iterator(chunk_size=500):
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    b.reference,
                    b.status,
                    b.event.tour.name,
                    timezone.localtime(b.event.starts_at, zone).strftime("%Y-%m-%d %H:%M"),
                    b.participants,
                    b.client.name,
                    b.client.email,
                    b.client.phone,
                    timezone.localtime(b.created_at, zone).strftime("%Y-%m-%d %H:%M"),
                    b.source,
                )
            ]
        )
    return response


def _booking_or_404(booking_id: int) -> Booking:
    # Inside the business's schema: another business's booking does not exist here.
    return get_object_or_404(
        Booking.objects.select_related("client", "event", "event__tour"), pk=booking_id
    )


@staff_required
@require_GET
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking_or_404(booking_id)
    return render(
        request,
        "bookings/booking_detail.html",
        {"booking": booking, "timeline": booking_timeline(booking)},
    )


Transition = Callable[..., Booking]
LIFECYCLE: dict[str, Transition] = {
    "confirm": services.booking_confirm,
    "check-in": services.booking_check_in,
    "complete": services.booking_complete,
    "cancel": services.booking_cancel,
}


def _lifecycle_patches(request: HttpRequest, booking: Booking, error: str = "") -> DatastarResponse:
    booking = _booking_or_404(booking.pk)
    return DatastarResponse(
        [
            patch_template(
                "bookings/partials/booking_lifecycle.html",
                {"booking": booking, "error": error},
                request=request,
                selector="#booking-lifecycle",
            ),
            patch_template(
                "bookings/partials/booking_timeline.html",
                {"timeline": booking_timeline(booking)},
                request=request,
                selector="#booking-timeline",
            ),
            SSE.patch_signals(
                {"busy": False, "status": booking.status, "progress": booking.progress_percentage}
            ),
        ]
    )


def _lifecycle_view(action: str) -> Callable[[HttpRequest, int], HttpResponseBase]:
    service = LIFECYCLE[action]

    @staff_required
    @require_POST
    def view(request: HttpRequest, booking_id: int) -> HttpResponseBase:
        booking = _booking_or_404(booking_id)
        try:
            signals_of(request)  # a Datastar JSON post; malformed or oversized bodies get a 4xx
        except BadSignals as exc:
            return bad_signals_response(exc)
        try:
            booking = service(actor=actor_of(request), booking=booking)
        except ValidationError as exc:
            return _lifecycle_patches(request, booking, error=" ".join(exc.messages))
        return _lifecycle_patches(request, booking)

    view.__name__ = f"booking_{action.replace('-', '_')}"
    return view


booking_confirm = _lifecycle_view("confirm")
booking_check_in = _lifecycle_view("check-in")
booking_complete = _lifecycle_view("complete")
booking_cancel = _lifecycle_view("cancel")


# ---- manifest ----------------------------------------------------------------------------------


def _event_or_404(event_id: int) -> TourEvent:
    return get_object_or_404(TourEvent.objects.select_related("tour"), pk=event_id)


@staff_required
@require_GET
def event_manifest_page(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_or_404(event_id)
    return render(request, "bookings/manifest.html", manifest_context(event))


@staff_required
@require_POST
def manifest_toggle_check_in(
    request: HttpRequest, event_id: int, booking_id: int
) -> HttpResponseBase:
    """Tick or untick a booking on the manifest (confirmed ⇄ checked in)."""
    event = _event_or_404(event_id)
    booking = get_object_or_404(
        Booking.objects.select_related("client"), pk=booking_id, event=event
    )
    try:
        signals_of(request)
    except BadSignals as exc:
        return bad_signals_response(exc)
    error = ""
    toggle = (
        services.booking_undo_check_in
        if booking.status == Booking.Status.CHECKED_IN
        else services.booking_check_in
    )
    try:
        toggle(actor=actor_of(request), booking=booking)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    context = manifest_context(event)
    context["error"] = error
    return DatastarResponse(
        [
            patch_template(
                "bookings/partials/manifest_table.html",
                context,
                request=request,
                selector="#manifest-table",
            ),
            SSE.patch_signals({"busy": False}),
        ]
    )
