"""Self-serve sign-up on the public site (Datastar): live availability, field errors, progress."""

from __future__ import annotations

import ipaddress
import json
import logging
import queue
import threading
from collections.abc import Iterator
from typing import Any

from datastar_py.consts import ElementPatchMode
from datastar_py.django import ServerSentEventGenerator as SSE
from datastar_py.django import datastar_response, read_signals
from datastar_py.sse import DatastarEvent
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from tenants.forms import SignupForm
from tenants.services import (
    Provisioned,
    RateLimited,
    business_provision,
    login_link_create,
    signup_attempt_register,
    subdomain_availability,
)

logger = logging.getLogger(__name__)

SIGNUP_FIELDS = ("name", "subdomain", "owner_name", "email", "password", "time_zone")
# Field names of the form → names the provisioning service reports errors under.
SERVICE_FIELDS = {"owner_email": "email"}
MAX_SUBDOMAIN_INPUT = 256  # anything longer is invalid anyway; do not echo it back


def client_address(request: HttpRequest) -> str:
    """The address sign-ups are counted against.

    REMOTE_ADDR (gunicorn's peer). Behind our own proxy (SIGNUP_TRUST_X_FORWARDED_FOR on), the
    last X-Forwarded-For entry: the one our proxy appended, which a client cannot forge.
    """
    if settings.SIGNUP_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104


@require_GET
def signup_page(request: HttpRequest) -> HttpResponse:
    form = SignupForm(initial={"time_zone": "UTC"})
    return render(request, "public/signup.html", {"form": form})


def _availability_patch(kind: str, message: str) -> DatastarEvent:
    return SSE.patch_elements(
        format_html(
            '<p id="subdomain-status" class="availability {}" aria-live="polite">{}</p>',
            kind,
            message,
        )
    )


@require_GET
def subdomain_check(request: HttpRequest) -> HttpResponseBase:
    """``@get`` while the subdomain is typed: is ``<sub>.<base>`` available, taken, reserved…?"""
    try:
        signals = read_signals(request)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return HttpResponseBadRequest("Malformed Datastar signals.\n", content_type="text/plain")
    if not isinstance(signals, dict):
        return HttpResponseBadRequest("Expected Datastar signals.\n", content_type="text/plain")
    raw = signals.get("subdomain", "")
    if not isinstance(raw, str) or len(raw) > MAX_SUBDOMAIN_INPUT:
        event = _availability_patch("invalid", "A subdomain is a short run of letters and digits.")
        return _stream([event])
    if not raw.strip():
        return _stream([_availability_patch("idle", "")])
    availability = subdomain_availability(raw)
    message = availability.message
    return _stream([_availability_patch(availability.kind, message)])


def _stream(events: list[DatastarEvent]) -> HttpResponseBase:
    @datastar_response
    def respond() -> Iterator[DatastarEvent]:
        yield from events

    return respond()


def _field_errors(errors: dict[str, list[str]]) -> Iterator[DatastarEvent]:
    for field in SIGNUP_FIELDS:
        messages = errors.get(field, [])
        yield SSE.patch_elements(
            format_html('<p class="field-error" id="error-{}">{}</p>', field, " ".join(messages))
        )
    yield SSE.patch_elements(
        format_html(
            '<div id="signup-errors" class="{}" role="alert">{}</div>',
            "errors" if errors.get("__all__") else "",
            " ".join(errors.get("__all__", [])),
        )
    )
    yield SSE.patch_signals({"submitting": False})


def _step_html(key: str, text: str, state: str) -> str:
    return format_html('<li id="step-{}" class="step {}">{}</li>', key, state, text)


@require_POST
def signup_submit(request: HttpRequest) -> HttpResponseBase:
    """Validate, then provision while streaming each step, then send the owner to their host.

    Nothing is created when any field is invalid. Every submission counts towards the per-address
    rate limit, valid or not.
    """
    try:
        data = request.POST
    except RequestDataTooBig:
        return HttpResponseBadRequest("Request too large.\n", content_type="text/plain")
    try:
        signup_attempt_register(client_address=client_address(request))
    except RateLimited as exc:
        minutes = max(1, (exc.retry_after_seconds + 59) // 60)
        return _stream(
            list(
                _field_errors(
                    {
                        "__all__": [
                            "Too many sign-up attempts from your network. "
                            f"Please try again in {minutes} minute{'s' if minutes != 1 else ''}."
                        ]
                    }
                )
            )
        )
    form = SignupForm(data)
    if not form.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        return _stream(list(_field_errors(errors)))
    return _stream_provisioning(form.cleaned_data)


def _stream_provisioning(cleaned: dict[str, Any]) -> HttpResponseBase:
    @datastar_response
    def respond() -> Iterator[DatastarEvent]:
        yield from _field_errors({})
        yield SSE.patch_signals({"submitting": True})
        yield SSE.patch_elements('<ol id="signup-steps" class="steps"></ol>')
        yield SSE.patch_elements(
            _step_html("check", "Details checked", "done"),
            selector="#signup-steps",
            mode=ElementPatchMode.APPEND,
        )
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        worker = threading.Thread(
            target=_provision_in_thread, args=(cleaned, events), name="signup-provision"
        )
        worker.start()
        previous: tuple[str, str] | None = None
        while True:
            kind, payload = events.get()
            if kind == "step":
                key, text = payload
                if previous:
                    yield SSE.patch_elements(_step_html(*previous, "done"))
                yield SSE.patch_elements(
                    _step_html(key, text, "active"),
                    selector="#signup-steps",
                    mode=ElementPatchMode.APPEND,
                )
                previous = (key, text)
                continue
            worker.join()
            if kind == "done":
                result: Provisioned = payload
                if previous:
                    yield SSE.patch_elements(_step_html(*previous, "done"))
                link = login_link_create(business=result.business, email=result.owner_email)
                host = result.business.primary_domain
                yield SSE.patch_elements(
                    _step_html("go", f"Ready! Taking you to {host}…", "done"),
                    selector="#signup-steps",
                    mode=ElementPatchMode.APPEND,
                )
                yield SSE.redirect(link)
            elif kind == "invalid":
                errors = {
                    SERVICE_FIELDS.get(field, field): messages
                    for field, messages in payload.message_dict.items()
                }
                yield SSE.patch_elements('<ol id="signup-steps" class="steps"></ol>')
                yield from _field_errors(errors)
            else:
                yield SSE.patch_elements('<ol id="signup-steps" class="steps"></ol>')
                yield from _field_errors(
                    {
                        "__all__": [
                            "Something went wrong on our side; nothing was created. "
                            "Please try again in a moment."
                        ]
                    }
                )
            return

    return respond()


def _provision_in_thread(cleaned: dict[str, Any], events: queue.Queue[tuple[str, Any]]) -> None:
    try:
        result = business_provision(
            name=cleaned["name"],
            subdomain=cleaned["subdomain"],
            owner_email=cleaned["email"],
            owner_password=cleaned["password"],
            owner_name=cleaned["owner_name"],
            time_zone=cleaned["time_zone"],
            actor=f"signup:{cleaned['email']}",
            on_step=lambda key, text: events.put(("step", (key, text))),
        )
        events.put(("done", result))
    except ValidationError as exc:
        events.put(("invalid", exc))
    except Exception as exc:
        logger.exception("sign-up provisioning failed")
        events.put(("error", exc))
    finally:
        connection.close()
