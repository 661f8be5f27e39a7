"""Helpers the staff views share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest

from tenants.models import Business


def business_of(request: HttpRequest) -> Business:
    return request.tenant  # type: ignore[attr-defined,no-any-return]


def error_list(errors: dict[str, list[str]], labels: dict[str, str]) -> list[str]:
    """``{"capacity": ["…"]}`` → ``["Capacity: …"]``; errors of the whole form come unlabelled."""
    lines: list[str] = []
    for field, messages in errors.items():
        label = labels.get(field)
        lines.extend(f"{label}: {m}" if label else m for m in messages)
    return lines


def form_error_dict(form: Form) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


def validation_error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}


def add_errors_to_form(form: Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form it came from."""
    for field, messages in validation_error_dict(exc).items():
        form.add_error(field if field in form.fields else None, messages)
