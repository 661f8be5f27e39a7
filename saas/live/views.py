"""The page server's answer on a stream URL: the topic's current state, once.

The long-lived streams are served by the stream server (saas.live.streams), which the proxy
puts in front of these paths. A request that reaches the page server instead (a deployment
without the split, a test client) still gets correct current state in one response, produced
by the same renderer. The URL patterns are derived from the registry's stream routes.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern, re_path
from django.views.decorators.http import require_GET

from saas.live.registry import Access, registry


@require_GET
def current_state(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    matched = registry.match(request.path)
    if matched is None:
        raise Http404
    topic, access = matched
    user = request.user
    if access is Access.STAFF and not (user.is_authenticated and user.is_staff):
        return HttpResponseForbidden("Log in as staff of this business to follow this page.\n")
    rendered = registry.render(topic)
    if rendered is None:
        raise Http404
    return HttpResponse(rendered.message, content_type="text/event-stream")


def url_patterns() -> list[URLPattern]:
    """One route per registered stream (patterns there start with "/"; Django's do not)."""
    return [
        re_path(f"^{route.pattern.pattern.removeprefix('/')}$", current_state, name=route.name)
        for route in registry.routes
    ]
