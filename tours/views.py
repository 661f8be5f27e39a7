"""Staff back office: dashboard."""

from __future__ import annotations

from collections.abc import Iterator

from datastar_py.django import datastar_response
from datastar_py.sse import DatastarEvent
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saas.datastar import patch_template
from tours import selectors


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    figures = selectors.dashboard_today(business=request.tenant)  # type: ignore[attr-defined]
    return render(request, "tenant/dashboard.html", {"today": figures})


@login_required
@require_GET
@datastar_response
def dashboard_today(request: HttpRequest) -> Iterator[DatastarEvent]:
    """Refresh the dashboard's today panel in place (a Datastar @get answered by a patch)."""
    figures = selectors.dashboard_today(business=request.tenant)  # type: ignore[attr-defined]
    yield patch_template("partials/dashboard_today.html", {"today": figures}, request=request)
