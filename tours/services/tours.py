"""Tours: create, edit, archive (an archived tour keeps its departures and history)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from tours.models import Tour
from tours.services.audit import audit_record


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "tour"
    taken = set(Tour.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def tour_create(
    *,
    actor: str,
    name: str,
    duration_minutes: int,
    price: Decimal,
    default_capacity: int,
    description: str = "",
) -> Tour:
    """Create an active tour with a slug derived from its name (unique within the business).

    Raises ValidationError (nothing written) when a field is invalid.
    """
    tour = Tour(
        name=name.strip(),
        description=description.strip(),
        duration_minutes=duration_minutes,
        price=price,
        default_capacity=default_capacity,
    )
    tour.slug = _unique_slug(tour.name)
    tour.full_clean()
    tour.save()
    audit_record(actor=actor, action="tour.created", target=tour, detail={"name": tour.name})
    return tour


@transaction.atomic
def tour_update(
    *,
    actor: str,
    tour: Tour,
    name: str,
    duration_minutes: int,
    price: Decimal,
    default_capacity: int,
    description: str = "",
) -> Tour:
    """Change a tour's details. The slug stays (links keep working); departures are unchanged."""
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    before = {"name": tour.name, "price": str(tour.price)}
    tour.name = name.strip()
    tour.description = description.strip()
    tour.duration_minutes = duration_minutes
    tour.price = price
    tour.default_capacity = default_capacity
    tour.full_clean()
    tour.save()
    audit_record(
        actor=actor,
        action="tour.updated",
        target=tour,
        detail={"before": before, "after": {"name": tour.name, "price": str(tour.price)}},
    )
    return tour


@transaction.atomic
def tour_archive(*, actor: str, tour: Tour) -> Tour:
    """Hide a tour from scheduling. Its departures, past and future, are kept as they are."""
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if tour.is_active:
        tour.is_active = False
        tour.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action="tour.archived", target=tour)
    return tour


@transaction.atomic
def tour_restore(*, actor: str, tour: Tour) -> Tour:
    """Make an archived tour schedulable again."""
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if not tour.is_active:
        tour.is_active = True
        tour.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action="tour.restored", target=tour)
    return tour
