"""Owner-only pages: the team (staff accounts) and the business's settings."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tenants.services import business_update_settings
from tours import services
from tours.access import actor_of, owner_required
from tours.forms import BusinessSettingsForm, StaffAddForm
from tours.views.common import add_errors_to_form, business_of


@owner_required
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest) -> HttpResponse:
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_add(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"{user.email} can now log in.")
            return redirect("team")
    members = get_user_model().objects.filter(is_active=True).order_by("-is_superuser", "email")
    return render(request, "tenant/team.html", {"form": form, "members": members})


@owner_required
@require_POST
def team_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    try:
        services.staff_remove(actor=actor_of(request), user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{user.email} can no longer log in.")
    return redirect("team")


@owner_required
@require_http_methods(["GET", "POST"])
def business_settings(request: HttpRequest) -> HttpResponse:
    business = business_of(request)
    initial = {
        "name": business.name,
        "time_zone": business.time_zone,
        "currency": business.currency,
    }
    form = BusinessSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            business_update_settings(
                business=business, actor=actor_of(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("business-settings")
    return render(
        request,
        "tenant/business_settings.html",
        {"form": form, "time_zones": sorted(zoneinfo.available_timezones())},
    )
