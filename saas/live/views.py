"""The page server's answer on a stream URL: the topic's current state, once.

The long-lived streams are served by the stream server (saas.live.streams), which the proxy
puts in front of these paths. A request that reaches the page server instead (a deployment
without the split, a test client) still gets correct current state in one response, produced
by the same renderer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.http import require_GET

from saas.live.registry import Access, registry


def current_state_view(topic: Callable[..., str], *, access: Access) -> Callable[..., HttpResponse]:
    @require_GET
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        user = request.user
        if access is Access.STAFF and not (user.is_authenticated and user.is_staff):
            return HttpResponseForbidden("Log in as staff of this business to follow this page.\n")
        rendered = registry.render(topic(**kwargs))
        if rendered is None:
            raise Http404
        return HttpResponse(rendered.message, content_type="text/event-stream")

    return view
