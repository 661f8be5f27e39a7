"""On a business's own host: redeem the single-use login link that sign-up sends the owner to."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tenants.services import LoginLinkRefused, login_link_redeem


@require_GET
def login_link(request: HttpRequest, token: str) -> HttpResponse:
    business = request.tenant  # type: ignore[attr-defined]
    try:
        user = login_link_redeem(business=business, token=token)
    except LoginLinkRefused as exc:
        return render(request, "tenant/login_link_refused.html", {"reason": str(exc)}, status=403)
    login(request, cast(Any, user), backend="django.contrib.auth.backends.ModelBackend")
    return redirect("/")
