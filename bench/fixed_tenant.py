"""The no-tenancy baseline for bench/routing.py: one business, chosen once, no host lookup."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

from tenants.models import Business


class FixedTenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.business: Business | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.business is None:
            self.business = Business.objects.get(schema_name=os.environ["BENCH_SCHEMA"])
        request.tenant = self.business  # type: ignore[attr-defined]
        connection.set_tenant(self.business)  # type: ignore[attr-defined]
        request.urlconf = settings.ROOT_URLCONF
        return self.get_response(request)
