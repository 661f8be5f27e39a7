"""Reads of the public schema that the operator console and the commands share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q

from saas.db import tenant_db
from tenants.models import Business
from tenants.sqlnames import ident


class BusinessNotFound(Exception):
    pass


def business_get_by_subdomain(*, subdomain: str) -> Business:
    """The (non-spare) business at ``<subdomain>.<base>``, or by any of its host names."""
    label = subdomain.strip().lower().rstrip(".")
    hosts = [label, f"{label}.{settings.SAAS_BASE_DOMAIN}"]
    business = Business.objects.filter(is_spare=False, domains__domain__in=hosts).first()
    if business is None:
        raise BusinessNotFound(f"No business at {hosts[-1]}.")
    return business


@dataclass(frozen=True)
class BusinessOverview:
    business: Business
    primary_domain: str | None
    domains: list[str]
    staff_count: int
    booking_count: int | None  # None until the schema has a bookings table

    @property
    def id(self) -> int:
        return self.business.pk

    @property
    def name(self) -> str:
        return self.business.name

    @property
    def status(self) -> str:
        return self.business.status

    @property
    def created_at(self) -> datetime:
        return self.business.created_at


def business_overviews(*, search: str = "", limit: int = 200) -> list[BusinessOverview]:
    """Businesses (no spares) with their domains and staff/booking counts, newest first.

    Counts come from every listed schema in one UNION ALL query, not one query per business.
    """
    queryset = Business.objects.filter(is_spare=False).prefetch_related("domains")
    term = search.strip()
    if term:
        queryset = queryset.filter(
            Q(name__icontains=term)
            | Q(schema_name__icontains=term)
            | Q(domains__domain__icontains=term.lower())
        ).distinct()
    businesses = list(queryset.order_by("-created_at", "-pk")[:limit])
    counts = _schema_counts([b.schema_name for b in businesses])
    overviews = []
    for business in businesses:
        domains = sorted(business.domains.all(), key=lambda d: (not d.is_primary, d.domain))  # type: ignore[attr-defined]
        staff, bookings = counts.get(business.schema_name, (0, None))
        overviews.append(
            BusinessOverview(
                business=business,
                primary_domain=domains[0].domain if domains and domains[0].is_primary else None,
                domains=[d.domain for d in domains],
                staff_count=staff,
                booking_count=bookings,
            )
        )
    return overviews


def _schema_counts(schema_names: list[str]) -> dict[str, tuple[int, int | None]]:
    if not schema_names:
        return {}
    tenant_db().set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_tables "
            "WHERE schemaname = ANY(%s) AND tablename IN ('auth_user', 'bookings_booking')",
            [schema_names],
        )
        present = {(schema, table) for schema, table in cursor.fetchall()}
        parts: list[str] = []
        params: list[str] = []
        for schema in schema_names:
            if (schema, "auth_user") not in present:
                continue
            # Identifiers are schema names from pg_tables, quoted by ident().
            bookings = (
                f"(SELECT count(*) FROM {ident(schema, 'bookings_booking')})"  # noqa: S608
                if (schema, "bookings_booking") in present
                else "NULL::bigint"
            )
            parts.append(
                f"SELECT %s, (SELECT count(*) FROM {ident(schema, 'auth_user')} "  # noqa: S608
                f"WHERE is_active AND is_staff), {bookings}"
            )
            params.append(schema)
        if not parts:
            return {}
        cursor.execute(" UNION ALL ".join(parts), params)
        return {schema: (int(staff), bookings) for schema, staff, bookings in cursor.fetchall()}


def schema_pool_level() -> int:
    """How many spare schemas are waiting to be claimed."""
    return Business.objects.filter(is_spare=True).count()
