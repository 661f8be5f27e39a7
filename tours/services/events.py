"""Departures (tour events): schedule one or a recurring pattern, edit, cancel."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saas.live import notify_on_commit
from tours.models import Tour, TourEvent
from tours.recurrence import RecurrencePattern
from tours.selectors import recurrence_plan, scheduled_starts
from tours.services.audit import audit_record

__all__ = [
    "RecurrencePattern",
    "ScheduleOutcome",
    "tour_event_cancel",
    "tour_event_schedule",
    "tour_event_update",
    "tour_events_schedule_recurring",
]


def _require_aware(value: datetime, field_name: str) -> None:
    if timezone.is_naive(value):
        raise ValueError(f"{field_name} must be timezone-aware")


def _lock_tour(tour: Tour) -> Tour:
    """Lock the tour row: schedulers of one tour queue up, so duplicate checks are exact."""
    return Tour.objects.select_for_update().get(pk=tour.pk)


@transaction.atomic
def tour_event_schedule(
    *,
    actor: str,
    tour: Tour,
    starts_at: datetime,
    capacity: int | None = None,
    title: str = "",
    guide_name: str = "",
    notes: str = "",
) -> TourEvent:
    """Schedule one departure of an active tour, in the future, at a start not already taken.

    Title defaults to the tour's name and capacity to its default. Raises ValidationError with
    nothing written otherwise.
    """
    _require_aware(starts_at, "starts_at")
    tour = _lock_tour(tour)
    errors: dict[str, list[str]] = {}
    if not tour.is_active:
        errors.setdefault("tour", []).append("This tour is archived; restore it to schedule it.")
    if starts_at <= timezone.now():
        errors.setdefault("starts_at", []).append("The start must be in the future.")
    elif scheduled_starts(tour=tour, starts=[starts_at]):
        errors.setdefault("starts_at", []).append(
            f"{tour.name} already has a departure at this time."
        )
    if errors:
        raise ValidationError(errors)
    event = TourEvent(
        tour=tour,
        title=title.strip() or tour.name,
        starts_at=starts_at,
        capacity=tour.default_capacity if capacity is None else capacity,
        guide_name=guide_name.strip(),
        notes=notes.strip(),
    )
    event.full_clean()
    event.save()
    audit_record(
        actor=actor,
        action="tour_event.scheduled",
        target=event,
        detail={"starts_at": event.starts_at.isoformat(), "capacity": event.capacity},
    )
    notify_on_commit(kind="tour_event", pk=event.pk)
    return event


@dataclass(frozen=True)
class ScheduleOutcome:
    created: list[TourEvent]
    skipped_duplicates: int
    skipped_past: int


@transaction.atomic
def tour_events_schedule_recurring(
    *,
    actor: str,
    tour: Tour,
    pattern: RecurrencePattern,
    zone: zoneinfo.ZoneInfo,
    capacity: int | None = None,
    guide_name: str = "",
) -> ScheduleOutcome:
    """Create every future departure of ``pattern`` that does not exist yet, all or nothing.

    Starts already scheduled for this tour and starts in the past are skipped and counted. At
    most MAX_DEPARTURES_PER_PATTERN are created; a larger pattern raises ValidationError and
    writes nothing.
    """
    tour = _lock_tour(tour)
    plan = recurrence_plan(tour=tour, pattern=pattern, zone=zone)
    if plan.errors:
        raise ValidationError(plan.errors)
    if not plan.new_starts:
        raise ValidationError("This pattern creates no new departures.")
    events = [
        TourEvent(
            tour=tour,
            title=tour.name,
            starts_at=start,
            capacity=tour.default_capacity if capacity is None else capacity,
            guide_name=guide_name.strip(),
        )
        for start in plan.new_starts
    ]
    for event in events:
        event.full_clean(validate_constraints=False)  # the duplicate check was done under lock
    created = TourEvent.objects.bulk_create(events)
    audit_record(
        actor=actor,
        action="tour_event.scheduled_recurring",
        target=tour,
        detail={
            "created": len(created),
            "skipped_duplicates": plan.duplicates,
            "skipped_past": plan.past,
            "first": plan.new_starts[0].isoformat(),
            "last": plan.new_starts[-1].isoformat(),
        },
    )
    for event in created:
        notify_on_commit(kind="tour_event", pk=event.pk)
    return ScheduleOutcome(created, plan.duplicates, plan.past)


@transaction.atomic
def tour_event_update(
    *,
    actor: str,
    event: TourEvent,
    title: str,
    starts_at: datetime,
    capacity: int,
    guide_name: str,
    notes: str,
) -> TourEvent:
    """Edit a scheduled departure.

    Guarantees, checked under a row lock (so a booking cannot slip in between check and write):
    the title is not blank; capacity is not below the seats already booked; a changed start is in
    the future and not taken by another departure of the same tour. Raises ValidationError with a
    message per field and writes nothing otherwise.
    """
    _require_aware(starts_at, "starts_at")
    event = TourEvent.objects.locked().select_related("tour").get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This departure is cancelled and can no longer be edited.")
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors.setdefault("title", []).append("Title is required.")
    if capacity < event.seats_booked:
        errors.setdefault("capacity", []).append(
            f"Capacity cannot be below the {event.seats_booked} seats already booked."
        )
    start_changed = starts_at != event.starts_at
    if start_changed and starts_at <= timezone.now():
        errors.setdefault("starts_at", []).append("The start must be in the future.")
    elif (
        start_changed
        and TourEvent.objects.scheduled()
        .filter(tour_id=event.tour_id, starts_at=starts_at)
        .exclude(pk=event.pk)
        .exists()
    ):
        errors.setdefault("starts_at", []).append(
            f"{event.tour.name} already has a departure at this time."
        )
    before = _editable(event)
    event.title = title
    event.starts_at = starts_at
    event.capacity = capacity
    event.guide_name = guide_name.strip()
    event.notes = notes.strip()
    try:  # field rules (lengths, capacity range) of the fields not already refused above
        event.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    after = _editable(event)
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        event.save()
        audit_record(actor=actor, action="tour_event.updated", target=event, detail=changes)
        notify_on_commit(kind="tour_event", pk=event.pk)
    return event


def _editable(event: TourEvent) -> dict[str, str | int]:
    return {
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "capacity": event.capacity,
        "guide_name": event.guide_name,
        "notes": event.notes,
    }


@transaction.atomic
def tour_event_cancel(*, actor: str, event: TourEvent, reason: str = "") -> TourEvent:
    """Cancel a scheduled departure. It stays in the history; its start becomes free again.

    Raises ValidationError when it is already cancelled.
    """
    event = TourEvent.objects.locked().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This departure is already cancelled.")
    event.status = TourEvent.Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="tour_event.cancelled",
        target=event,
        detail={"reason": reason.strip(), "seats_booked": event.seats_booked},
    )
    notify_on_commit(kind="tour_event", pk=event.pk)
    return event
