"""Subdomain rules (DESIGN.md §3): DNS labels, lower-cased, never reserved, never taken twice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from django.conf import settings

from tenants.models import Business, Domain

DNS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# A DNS label may have 63 characters, but the schema name ("t_" + label) must fit PostgreSQL's 63.
MAX_SUBDOMAIN_LENGTH = 60
# Prefixes that would collide with internal names or IDNA encodings: never a business's subdomain.
RESERVED_PREFIXES = ("xn--", "spare-", "spare_")

AvailabilityKind = Literal["available", "taken", "reserved", "invalid"]


@dataclass(frozen=True)
class Availability:
    """Whether ``label.<base>`` can be signed up for, and the sentence that says why."""

    kind: AvailabilityKind
    label: str
    host: str
    message: str

    @property
    def available(self) -> bool:
        return self.kind == "available"


def subdomain_availability(subdomain: str) -> Availability:
    """Classify a requested subdomain: available, taken, reserved or invalid (case-insensitive)."""
    label = subdomain.strip().lower()
    base = settings.SAAS_BASE_DOMAIN
    host = f"{label}.{base}"
    if not label:
        return Availability("invalid", label, host, "Choose a subdomain.")
    if len(label) > MAX_SUBDOMAIN_LENGTH or not DNS_LABEL.match(label):
        return Availability(
            "invalid",
            label,
            host,
            f"A subdomain is 1 to {MAX_SUBDOMAIN_LENGTH} letters, digits or hyphens, "
            "and cannot start or end with a hyphen.",
        )
    if label in settings.RESERVED_SUBDOMAINS or label.startswith(RESERVED_PREFIXES):
        return Availability("reserved", label, host, f"“{label}” is reserved.")
    taken = (
        Domain.objects.filter(domain=host).exists()
        or Business.objects.filter(schema_name=schema_name_for(label)).exists()
    )
    if taken:
        return Availability("taken", label, host, f"“{label}” is already taken.")
    return Availability("available", label, host, f"{host} is available.")


def subdomain_problem(subdomain: str) -> str | None:
    """Why ``subdomain`` cannot be taken, or None when it is free. Case-insensitive."""
    availability = subdomain_availability(subdomain)
    return None if availability.available else availability.message


def schema_name_for(subdomain: str) -> str:
    """The schema name derived from a valid subdomain (never taken raw from input)."""
    return "t_" + subdomain.lower().replace("-", "_")


def port_suffix() -> str:
    """``:8000`` in development (where the server is reached on a port), empty in production."""
    port = settings.SAAS_URL_PORT
    return f":{port}" if port and port not in ("80", "443") else ""


def business_url(host: str, path: str = "/") -> str:
    """The absolute URL of ``path`` on a business's host, as people reach it."""
    return f"{settings.SAAS_URL_SCHEME}://{host}{port_suffix()}{path}"
