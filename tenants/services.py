"""Writes to the public schema: provisioning businesses (DESIGN.md §3)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from saas.db import tenant_db
from tenants.models import Business, BusinessEvent, Domain, validate_time_zone

DNS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def subdomain_problem(subdomain: str) -> str | None:
    """Why ``subdomain`` cannot be taken, or None when it is free. Case-insensitive."""
    label = subdomain.strip().lower()
    if not label:
        return "Choose a subdomain."
    if not DNS_LABEL.match(label):
        return (
            "A subdomain is 1 to 63 letters, digits or hyphens, "
            "and cannot start or end with a hyphen."
        )
    if label in settings.RESERVED_SUBDOMAINS:
        return f"“{label}” is reserved."
    if label.startswith("xn--") or label.startswith("spare-"):
        return f"“{label}” is reserved."
    taken = (
        Domain.objects.filter(domain=f"{label}.{settings.SAAS_BASE_DOMAIN}").exists()
        or Business.objects.filter(schema_name=schema_name_for(label)).exists()
    )
    if taken:
        return f"“{label}” is already taken."
    return None


def schema_name_for(subdomain: str) -> str:
    """The schema name derived from a valid subdomain (never taken raw from input)."""
    return "t_" + subdomain.lower().replace("-", "_")


@dataclass(frozen=True)
class Provisioned:
    business: Business
    url: str
    owner_email: str
    owner_password: str | None  # set only when it was generated here


def business_provision(
    *,
    name: str,
    subdomain: str,
    owner_email: str,
    owner_password: str | None = None,
    time_zone: str = "UTC",
    actor: str = "system",
) -> Provisioned:
    """Create a business with its schema, its primary domain ``<sub>.<base>`` and its owner.

    Guarantees: every input is validated before anything is written; the whole provisioning runs
    in one transaction, so a failure at any step leaves no schema, row, domain or user behind; two
    concurrent calls for the same subdomain create exactly one business (unique domain and schema
    name), the other raising ValidationError.
    """
    label = subdomain.strip().lower()
    email = owner_email.strip().lower()
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors.setdefault("name", []).append("Give the business a name.")
    problem = subdomain_problem(label)
    if problem:
        errors.setdefault("subdomain", []).append(problem)
    try:
        validate_email(email)
    except ValidationError:
        errors.setdefault("owner_email", []).append("Enter a valid e-mail address.")
    try:
        validate_time_zone(time_zone)
    except ValidationError as exc:
        errors.setdefault("time_zone", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    generated = owner_password is None
    password = owner_password if owner_password is not None else secrets.token_urlsafe(12)
    host = f"{label}.{settings.SAAS_BASE_DOMAIN}"
    try:
        with transaction.atomic():
            business = Business(
                schema_name=schema_name_for(label), name=name.strip(), time_zone=time_zone
            )
            business.full_clean()
            business.save(verbosity=0)  # creates the schema and runs the tenant migrations
            Domain.objects.create(domain=host, tenant=business, is_primary=True)
            with schema_context(business.schema_name):
                get_user_model().objects.create_user(
                    username=email,
                    email=email,
                    password=password,
                    is_staff=True,
                    is_superuser=True,  # the owner; superuser only inside their own schema
                )
            BusinessEvent.objects.create(
                business=business, kind="provisioned", actor=actor, detail={"domain": host}
            )
    except IntegrityError as exc:
        raise ValidationError({"subdomain": [f"“{label}” is already taken."]}) from exc
    finally:
        tenant_db().set_schema_to_public()
    return Provisioned(
        business=business,
        url=f"http://{host}{port_suffix()}/",
        owner_email=email,
        owner_password=password if generated else None,
    )


def port_suffix() -> str:
    """``:8000`` in development (where the server is reached on a port), empty in production."""
    return f":{settings.PORT}" if settings.DEBUG and settings.PORT not in (80, 443) else ""
