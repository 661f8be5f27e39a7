"""Tours: list, create, edit, archive/restore, and scheduling departures (one or recurring)."""

from __future__ import annotations

from datetime import timedelta

from datastar_py.django import DatastarResponse
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saas.datastar import patch_template
from tours import selectors, services
from tours.access import actor_of, staff_required
from tours.forms import DepartureForm, RecurrenceForm, TourForm
from tours.models import Tour
from tours.recurrence import MAX_DEPARTURES_PER_PATTERN
from tours.views.common import add_errors_to_form, business_of, error_list, form_error_dict


@staff_required
@require_GET
def tour_list(request: HttpRequest) -> HttpResponse:
    show_archived = request.GET.get("archived") == "1"
    now = timezone.now()
    upcoming = Q(events__status="scheduled", events__starts_at__gte=now)
    tours = (
        selectors.tours_for_listing(include_archived=show_archived)
        .annotate(
            upcoming_count=Count("events", filter=upcoming),
            next_start=Min("events__starts_at", filter=upcoming),
        )
        .order_by("-is_active", "name", "id")
    )
    archived_count = Tour.objects.filter(is_active=False).count()
    return render(
        request,
        "tenant/tour_list.html",
        {"tours": tours, "show_archived": show_archived, "archived_count": archived_count},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def tour_create(request: HttpRequest) -> HttpResponse:
    form = TourForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tour = services.tour_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"“{tour.name}” is created. Now schedule its departures.")
            return redirect("tour-schedule", tour_id=tour.pk)
    return render(request, "tenant/tour_form.html", {"form": form, "tour": None})


@staff_required
@require_http_methods(["GET", "POST"])
def tour_edit(request: HttpRequest, tour_id: int) -> HttpResponse:
    tour = get_object_or_404(Tour, pk=tour_id)
    initial = {
        "name": tour.name,
        "description": tour.description,
        "duration_minutes": tour.duration_minutes,
        "price": tour.price,
        "default_capacity": tour.default_capacity,
    }
    form = TourForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tour = services.tour_update(actor=actor_of(request), tour=tour, **form.cleaned_data)
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"“{tour.name}” is saved.")
            return redirect("tour-detail", tour_id=tour.pk)
    return render(request, "tenant/tour_form.html", {"form": form, "tour": tour})


@staff_required
@require_GET
def tour_detail(request: HttpRequest, tour_id: int) -> HttpResponse:
    tour = get_object_or_404(Tour, pk=tour_id)
    return render(
        request,
        "tenant/tour_detail.html",
        {"tour": tour, "events": selectors.tour_upcoming_events(tour=tour, limit=30)},
    )


@staff_required
@require_POST
def tour_archive(request: HttpRequest, tour_id: int) -> HttpResponse:
    tour = services.tour_archive(actor=actor_of(request), tour=get_object_or_404(Tour, pk=tour_id))
    messages.success(request, f"“{tour.name}” is archived. Its departures are kept.")
    return redirect("tour-detail", tour_id=tour.pk)


@staff_required
@require_POST
def tour_restore(request: HttpRequest, tour_id: int) -> HttpResponse:
    tour = services.tour_restore(actor=actor_of(request), tour=get_object_or_404(Tour, pk=tour_id))
    messages.success(request, f"“{tour.name}” is active again.")
    return redirect("tour-detail", tour_id=tour.pk)


def _schedule_page(
    request: HttpRequest,
    tour: Tour,
    *,
    one: DepartureForm | None = None,
    recurring: RecurrenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    zone = business_of(request).zone
    today = timezone.localdate(timezone.now(), zone)
    return render(
        request,
        "tenant/tour_schedule.html",
        {
            "tour": tour,
            "one": one or DepartureForm(zone=zone, initial={"capacity": tour.default_capacity}),
            "recurring": recurring
            or RecurrenceForm(
                initial={
                    "first_day": today,
                    "last_day": today + timedelta(days=27),
                    "capacity": tour.default_capacity,
                    "times": "10:00",
                    "weekdays": [],
                }
            ),
            "max_departures": MAX_DEPARTURES_PER_PATTERN,
        },
        status=status,
    )


@staff_required
@require_GET
def tour_schedule(request: HttpRequest, tour_id: int) -> HttpResponse:
    return _schedule_page(request, get_object_or_404(Tour, pk=tour_id))


@staff_required
@require_POST
def tour_schedule_one(request: HttpRequest, tour_id: int) -> HttpResponse:
    tour = get_object_or_404(Tour, pk=tour_id)
    form = DepartureForm(request.POST, zone=business_of(request).zone)
    if form.is_valid():
        try:
            event = services.tour_event_schedule(
                actor=actor_of(request), tour=tour, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "The departure is scheduled.")
            return redirect("tour-event-detail", event_id=event.pk)
    return _schedule_page(request, tour, one=form, status=400)


@staff_required
@require_POST
def tour_schedule_recurring(request: HttpRequest, tour_id: int) -> HttpResponse:
    tour = get_object_or_404(Tour, pk=tour_id)
    form = RecurrenceForm(request.POST)
    if form.is_valid():
        try:
            outcome = services.tour_events_schedule_recurring(
                actor=actor_of(request),
                tour=tour,
                pattern=form.pattern(),
                zone=business_of(request).zone,
                capacity=form.cleaned_data["capacity"],
                guide_name=form.cleaned_data["guide_name"],
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            created = len(outcome.created)
            skipped = outcome.skipped_duplicates
            note = f", skipped {skipped} that already existed" if skipped else ""
            messages.success(request, f"Scheduled {created} departure{'s' * (created != 1)}{note}.")
            return redirect("tour-detail", tour_id=tour.pk)
    return _schedule_page(request, tour, recurring=form, status=400)


@staff_required
@require_POST
def tour_schedule_preview(request: HttpRequest, tour_id: int) -> HttpResponseBase:
    """Live preview of a recurring pattern (a Datastar post of the form, contentType 'form')."""
    tour = get_object_or_404(Tour, pk=tour_id)
    form = RecurrenceForm(request.POST)
    plan, problems = None, []
    if not form.is_valid():
        labels = {name: str(field.label or name) for name, field in form.fields.items()}
        problems = error_list(form_error_dict(form), labels)
    else:
        plan = selectors.recurrence_plan(
            tour=tour, pattern=form.pattern(), zone=business_of(request).zone
        )
    return DatastarResponse(
        patch_template(
            "partials/schedule_preview.html",
            {"plan": plan, "problems": problems},
            request=request,
            selector="#preview",
        )
    )
