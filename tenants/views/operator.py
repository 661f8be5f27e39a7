"""The platform operator's console on the public site (staff of the public schema only)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from tenants.forms import DomainForm
from tenants.models import Business
from tenants.selectors import business_overviews, schema_pool_level
from tenants.services import (
    business_add_domain,
    business_export,
    business_resume,
    business_suspend,
)


def _is_platform_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


staff_required: Callable[..., Any] = user_passes_test(
    _is_platform_staff, login_url="/accounts/login/"
)


def _actor(request: HttpRequest) -> str:
    return f"operator:{request.user.get_username()}"


@staff_required
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:200]
    overviews = business_overviews(search=search)
    return render(
        request,
        "operator/console.html",
        {
            "overviews": overviews,
            "search": search,
            "pool_level": schema_pool_level(),
            "domain_form": DomainForm(),
        },
    )


def _business(pk: int) -> Business:
    return get_object_or_404(Business, pk=pk, is_spare=False)


@staff_required
@require_POST
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(pk)
    try:
        business_suspend(business=business, actor=_actor(request))
        messages.success(request, f"{business.name} is suspended.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("operator-console")


@staff_required
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(pk)
    try:
        business_resume(business=business, actor=_actor(request))
        messages.success(request, f"{business.name} is active again.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("operator-console")


@staff_required
@require_POST
def add_domain(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(pk)
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            added = business_add_domain(
                business=business, domain=form.cleaned_data["domain"], actor=_actor(request)
            )
            messages.success(request, f"{added.domain} now routes to {business.name}.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "Enter a host name.")
    return redirect("operator-console")


@staff_required
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(pk)
    data = business_export(business=business, actor=_actor(request))
    response = HttpResponse(
        json.dumps(data, indent=1, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{business.schema_name}.json"'
    return response
