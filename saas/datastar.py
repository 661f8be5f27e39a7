"""Small helpers for Datastar views (DESIGN.md §4)."""

from __future__ import annotations

from typing import Any

from datastar_py.django import ServerSentEventGenerator as SSE
from datastar_py.django import read_signals
from datastar_py.sse import DatastarEvent
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
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


class BadSignals(Exception):
    """The request did not carry a readable Datastar signals object."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def signals_of(request: HttpRequest) -> dict[str, Any]:
    """The signals a Datastar request sent, or BadSignals (answer it with a 4xx, never a 500).

    Call it before the response starts streaming: an exception inside a streaming generator would
    break the stream after the 200 status was sent. Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE,
    malformed JSON, a JSON value that is not an object, and requests that are not Datastar JSON
    requests are refused.
    """
    try:
        signals = read_signals(request)
    except RequestDataTooBig as exc:
        raise BadSignals("The request is too large.", status=413) from exc
    except ValueError as exc:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadSignals("The request body is not valid JSON.") from exc
    if signals is None:
        raise BadSignals("Expected a Datastar request with JSON signals.")
    if not isinstance(signals, dict):
        raise BadSignals("Signals must be a JSON object.")
    return signals


def bad_signals_response(error: BadSignals) -> HttpResponse:
    return HttpResponse(str(error), status=error.status, content_type="text/plain; charset=utf-8")
