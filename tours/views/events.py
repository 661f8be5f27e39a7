"""A departure's page: inline editing over Datastar, and cancelling with a confirmation."""

from __future__ import annotations

import json
from typing import Any

from datastar_py.django import DatastarResponse
from datastar_py.django import ServerSentEventGenerator as SSE
from datastar_py.sse import DatastarEvent
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saas.datastar import BadSignals, bad_signals_response, patch_template, signals_of
from tours import services
from tours.access import actor_of, staff_required
from tours.forms import EventEditForm, local_input_value
from tours.models import TourEvent
from tours.views.common import business_of, error_list, form_error_dict, validation_error_dict

FIELD_LABELS = {
    "title": "Title",
    "starts_at": "Start",
    "capacity": "Capacity",
    "guide_name": "Guide",
    "notes": "Notes",
}


def _event_or_404(event_id: int) -> TourEvent:
    # Inside the business's schema: a departure of another business does not exist here.
    return get_object_or_404(TourEvent.objects.select_related("tour"), pk=event_id)


def _editor_signals(event: TourEvent, request: HttpRequest) -> dict[str, Any]:
    return {
        "title": event.title,
        "startsAt": local_input_value(event.starts_at, business_of(request).zone),
        "capacity": event.capacity,
        "guideName": event.guide_name,
        "notes": event.notes,
        "loading": False,
        "success": False,
    }


@staff_required
@require_GET
def tour_event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_or_404(event_id)
    return render(
        request,
        "tenant/event_detail.html",
        {"event": event, "editor_signals": json.dumps(_editor_signals(event, request))},
    )


def _error_patches(request: HttpRequest, errors: dict[str, list[str]]) -> list[DatastarEvent]:
    return [
        patch_template(
            "partials/form_errors.html",
            {"errors": error_list(errors, FIELD_LABELS)},
            request=request,
            selector="#errors",
        ),
        SSE.patch_signals({"loading": False}),
    ]


@staff_required
@require_POST
def tour_event_update(request: HttpRequest, event_id: int) -> HttpResponseBase:
    """Inline edit (seed "Basic View Pattern"): 200 + error patches, or the re-rendered detail.

    Everything that can fail runs before the response starts streaming.
    """
    event = _event_or_404(event_id)
    try:
        signals = signals_of(request)
    except BadSignals as exc:
        return bad_signals_response(exc)
    form = EventEditForm(signals, zone=business_of(request).zone)
    if not form.is_valid():
        return DatastarResponse(_error_patches(request, form_error_dict(form)))
    try:
        event = services.tour_event_update(
            actor=actor_of(request), event=event, **form.cleaned_data
        )
    except ValidationError as exc:
        return DatastarResponse(_error_patches(request, validation_error_dict(exc)))
    return DatastarResponse(
        [
            patch_template(
                "partials/form_errors.html", {"errors": []}, request=request, selector="#errors"
            ),
            patch_template(
                "partials/event_detail.html",
                {"event": event},
                request=request,
                selector="#event-detail",
            ),
            SSE.patch_signals({"loading": False, "success": True}),
        ]
    )


@staff_required
@require_http_methods(["GET", "POST"])
def tour_event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    """GET asks for confirmation; POST cancels."""
    event = _event_or_404(event_id)
    if request.method == "POST":
        try:
            services.tour_event_cancel(
                actor=actor_of(request), event=event, reason=request.POST.get("reason", "")[:500]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The departure “{event.title}” is cancelled.")
        return redirect("tour-event-detail", event_id=event.pk)
    return render(request, "tenant/event_cancel.html", {"event": event})
