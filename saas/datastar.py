"""Small helpers for Datastar views (DESIGN.md §4)."""

from __future__ import annotations

from typing import Any

from datastar_py.django import ServerSentEventGenerator as SSE
from datastar_py.sse import DatastarEvent
from django.http import HttpRequest
from django.template.loader import render_to_string


def patch_template(
    template_name: str,
    context: dict[str, Any],
    *,
    request: HttpRequest | None = None,
    selector: str | None = None,
) -> DatastarEvent:
    """Render a partial (synchronously: render_to_string is not awaitable) into a patch event."""
    html = render_to_string(template_name, context, request=request)
    if selector is None:
        return SSE.patch_elements(html)
    return SSE.patch_elements(html, selector=selector)
