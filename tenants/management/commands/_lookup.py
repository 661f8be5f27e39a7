"""Shared by the operator commands: find a business by subdomain or any of its host names."""

from __future__ import annotations

from django.core.management.base import CommandError

from tenants.models import Business
from tenants.selectors import BusinessNotFound, business_get_by_subdomain


def business_or_error(subdomain: str) -> Business:
    try:
        return business_get_by_subdomain(subdomain=subdomain)
    except BusinessNotFound as exc:
        raise CommandError(str(exc)) from exc
