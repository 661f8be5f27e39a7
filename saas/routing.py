"""Tenant routing from the Host header, with an in-process cache (DESIGN.md §2).

django-tenants looks the domain up in the public schema on every request. Tourdesk caches the
answer per host name in the process and clears the cache whenever a Business or Domain row is
saved or deleted: in this process directly (``tenants.signals``), and in every other process
through PostgreSQL LISTEN/NOTIFY (``saas.routing_listener``), so that a suspension committed
anywhere applies to the very next request. Without a connected listener (ROUTING_LISTENER off)
entries expire after ``ROUTING_CACHE_SECONDS``.
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.template.loader import render_to_string
from django_tenants.middleware.main import TenantMainMiddleware

from saas.db import tenant_db
from saas.routing_listener import ensure_listener
from tenants.models import Business, Domain


@dataclass(frozen=True)
class Route:
    """What a host name resolves to: the public site, or one business (None: unknown)."""

    public: bool
    business: Business | None


_PUBLIC = Route(public=True, business=None)
_UNKNOWN = Route(public=False, business=None)

_cache: dict[str, tuple[float, Route]] = {}
_cache_lock = threading.Lock()
# Bumped by every clear: a lookup that started before a clear must not store its (maybe stale)
# answer after it.
_generation = 0


def clear_routing_cache() -> None:
    global _generation
    with _cache_lock:
        _generation += 1
        _cache.clear()


def _cache_usable() -> bool:
    if not settings.ROUTING_LISTENER:
        return True  # entries still expire after ROUTING_CACHE_SECONDS
    return ensure_listener(clear_routing_cache).cache_is_trustworthy()


def normalise_host(raw_host: str) -> str | None:
    """Lower-case host name without port or trailing dot; None when it is not a valid host."""
    domain, _port = split_domain_port(raw_host)
    if not domain or len(domain) > 253:
        return None
    domain = domain.rstrip(".")
    return domain or None


def _lookup(hostname: str) -> Route:
    base = settings.SAAS_BASE_DOMAIN
    if hostname in (base, f"www.{base}"):
        return _PUBLIC
    domain = (
        Domain.objects.select_related("tenant")
        .filter(domain=hostname, tenant__is_spare=False)
        .first()
    )
    if domain is None:
        return _UNKNOWN
    return Route(public=False, business=domain.tenant)


def resolve_host(hostname: str) -> Route:
    ttl = settings.ROUTING_CACHE_SECONDS
    now = time.monotonic()
    generation = _generation
    usable = _cache_usable()
    cached = _cache.get(hostname)
    if usable and cached is not None and now - cached[0] < ttl:
        return cached[1]
    route = _lookup(hostname)
    with _cache_lock:
        if usable and generation == _generation:
            if len(_cache) >= settings.ROUTING_CACHE_MAX_ENTRIES:
                _cache.clear()  # hostile hosts cannot grow memory without bound
            _cache[hostname] = (now, route)
    return route


class TenantRoutingMiddleware(TenantMainMiddleware):
    """Routes a request to the public site or to one business's schema and urlconf."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        tenant_db().set_schema_to_public()
        raw_host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
        hostname = normalise_host(raw_host)
        if hostname is None:
            return HttpResponse(
                "Bad Request: invalid Host header.\n", status=400, content_type="text/plain"
            )

        route = resolve_host(hostname)
        if route.public:
            # No request.tenant at all on the public site: django-tenants' admin templates test
            # hasattr(request, "tenant") (a None there broke /admin/).
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return None
        if route.business is None:
            html = render_to_string("public/unknown_host.html")
            return HttpResponse(html, status=404)

        business = copy.copy(route.business)  # each request gets its own instance
        if business.status == Business.Status.SUSPENDED:
            html = render_to_string("public/suspended.html", {"business": business})
            return HttpResponse(html, status=403)

        business.domain_url = hostname
        request.tenant = business  # type: ignore[attr-defined]
        tenant_db().set_tenant(business)
        request.urlconf = settings.ROOT_URLCONF
        return None
