"""What the booking form views share: error patches and the general-failure patch."""

from __future__ import annotations

import logging
from typing import Any

import sentry_sdk
from datastar_py.django import DatastarResponse
from datastar_py.django import ServerSentEventGenerator as SSE
from django.http import HttpRequest

from saas.datastar import patch_template
from tours.views.common import error_list

logger = logging.getLogger(__name__)

GENERAL_ERROR = "Something went wrong; nothing was booked. Please try again."
FIELD_LABELS = {
    "client": "Client",
    "new_client_name": "Name",
    "new_client_email": "E-mail",
    "new_client_phone": "Phone",
    "event": "Departure",
    "participants": "Participants",
    "notes": "Notes",
    "name": "Name",
    "email": "E-mail",
}


def as_signal(errors: dict[str, list[str]]) -> dict[str, Any]:
    return {field: list(messages) for field, messages in errors.items()}


def form_errors_response(request: HttpRequest, errors: dict[str, list[str]]) -> DatastarResponse:
    """A 200 stream (the client drops non-200 bodies): the error list into #form-errors, and the
    errors as signals so that the page can stop its loading indicator."""
    return DatastarResponse(
        [
            patch_template(
                "bookings/partials/form_errors.html",
                {"errors": error_list(errors, FIELD_LABELS)},
                request=request,
                selector="#form-errors",
            ),
            SSE.patch_signals({"loading": False, "errors": as_signal(errors)}),
        ]
    )


def unexpected_failure_response(request: HttpRequest, exc: Exception) -> DatastarResponse:
    """Report to Sentry (a no-op without SENTRY_DSN) and tell the user, without internals."""
    logger.exception("booking form failed", exc_info=exc)
    sentry_sdk.capture_exception(exc)
    return form_errors_response(request, {"general": [GENERAL_ERROR]})
