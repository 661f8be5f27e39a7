"""Bookings: create under a lock on the departure (never past capacity), and the lifecycle."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings.models import (
    MAX_PARTICIPANTS,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Booking,
    Client,
)
from bookings.notifications import send_confirmation_on_commit
from bookings.selectors import booking_settings
from bookings.services.clients import client_find_or_create
from saas.live import notify_on_commit
from tenants.models import Business
from tours.models import TourEvent
from tours.services import audit_record

Status = Booking.Status
REFERENCE_ATTEMPTS = 8


@dataclass(frozen=True)
class ClientDetails:
    """A client given by name and e-mail: reused when the e-mail is known, created otherwise."""

    name: str
    email: str
    phone: str = ""


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def _check_participants(participants: int) -> None:
    if isinstance(participants, bool) or not isinstance(participants, int):
        raise ValidationError({"participants": ["Enter a whole number of participants."]})
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise ValidationError(
            {"participants": [f"Book between 1 and {MAX_PARTICIPANTS} participants."]}
        )


def _check_bookable(event: TourEvent, participants: int) -> None:
    """Called with the departure locked: what it says stays true until the transaction ends."""
    if event.is_cancelled:
        raise ValidationError({"event": ["This departure is cancelled."]})
    if event.starts_at <= timezone.now():
        raise ValidationError({"event": ["This departure has already left."]})
    if event.seats_left == 0:
        raise ValidationError({"event": ["This departure is sold out."]})
    if participants > event.seats_left:
        seats = f"{event.seats_left} seat{'s' if event.seats_left != 1 else ''}"
        raise ValidationError({"participants": [f"Only {seats} left on this departure."]})


def _insert_with_reference(booking: Booking) -> Booking:
    """Insert with a fresh reference, drawing again if another booking has it already."""
    for _ in range(REFERENCE_ATTEMPTS):
        booking.reference = new_reference()
        try:
            with transaction.atomic():  # a savepoint: a collision must not abort the transaction
                booking.save(force_insert=True)
        except IntegrityError as exc:
            if "reference" not in str(exc):
                raise
            booking.pk = None
            continue
        return booking
    raise RuntimeError(f"no free booking reference after {REFERENCE_ATTEMPTS} attempts")


@transaction.atomic
def booking_create(
    *,
    actor: str,
    event: TourEvent,
    client: Client | ClientDetails,
    participants: int,
    notes: str = "",
    status: Booking.Status = Status.PENDING,
    source: Booking.Source = Booking.Source.STAFF,
) -> Booking:
    """Book ``participants`` seats on ``event`` for ``client`` (a new client is created from
    ClientDetails unless one with that e-mail exists).

    Guarantees: the departure row is locked before its seats are checked, so concurrent bookings
    queue up and the departure is never sold past its capacity; the booking, the seat count, the
    client and the audit entry are written together or not at all. Raises ValidationError (keys
    ``event``, ``participants``, ``name``, ``email``) and writes nothing when the departure is
    cancelled, has left, or has too few seats, or the input is invalid.
    """
    if status not in (Status.PENDING, Status.CONFIRMED):
        raise ValueError(f"a booking cannot start as {status}")
    _check_participants(participants)
    event = TourEvent.objects.locked().get(pk=event.pk)
    _check_bookable(event, participants)
    if isinstance(client, ClientDetails):
        client = client_find_or_create(
            actor=actor, name=client.name, email=client.email, phone=client.phone
        )
    booking = Booking(
        client=client,
        event=event,
        participants=participants,
        status=status,
        source=source,
        notes=notes.strip(),
        reference="-",
    )
    booking.full_clean(validate_unique=False, validate_constraints=False)
    _insert_with_reference(booking)
    event.seats_booked += participants
    event.save(update_fields=["seats_booked", "updated_at"])
    audit_record(
        actor=actor,
        action="booking.created",
        target=booking,
        detail={
            "reference": booking.reference,
            "event_id": event.pk,
            "participants": participants,
            "status": status,
            "source": source,
        },
    )
    notify_on_commit(kind="tour_event", pk=event.pk)
    notify_on_commit(kind="booking", pk=booking.pk)
    return booking


@transaction.atomic
def booking_create_public(
    *, business: Business, event: TourEvent, name: str, email: str, participants: int
) -> Booking:
    """A customer's booking from the public page: the client is found by e-mail or created, the
    booking starts as pending or confirmed as the business's settings say, and a confirmation
    e-mail goes to the client once the transaction has committed. Same guarantees and errors as
    booking_create."""
    starts_confirmed = booking_settings().public_bookings_confirmed
    booking = booking_create(
        actor=f"booking page ({email.strip()[:200]})",
        event=event,
        client=ClientDetails(name=name, email=email),
        participants=participants,
        status=Status.CONFIRMED if starts_confirmed else Status.PENDING,
        source=Booking.Source.PUBLIC,
    )
    send_confirmation_on_commit(booking=booking, business=business)
    return booking


@dataclass(frozen=True)
class _Transition:
    action: str
    allowed_from: frozenset[str]
    to: Booking.Status
    refusal: str


def _transition(*, actor: str, booking: Booking, step: _Transition, detail: dict) -> Booking:
    booking = Booking.objects.locked().get(pk=booking.pk)
    if booking.status not in step.allowed_from:
        raise ValidationError(
            f"{step.refusal} This booking is {booking.get_status_display().lower()}."
        )
    before = booking.status
    booking.status = step.to
    booking.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=step.action,
        target=booking,
        detail={"from": before, "to": step.to, **detail},
    )
    notify_on_commit(kind="booking", pk=booking.pk)
    # The departure's manifest and the dashboard show booking statuses (and seats, on cancel).
    notify_on_commit(kind="tour_event", pk=booking.event_id)  # type: ignore[attr-defined]
    return booking


CONFIRM = _Transition(
    "booking.confirmed", frozenset({Status.PENDING}), Status.CONFIRMED,
    "Only a pending booking can be confirmed.",
)  # fmt: skip
CHECK_IN = _Transition(
    "booking.checked_in", frozenset({Status.CONFIRMED}), Status.CHECKED_IN,
    "Only a confirmed booking can be checked in.",
)  # fmt: skip
UNDO_CHECK_IN = _Transition(
    "booking.check_in_undone", frozenset({Status.CHECKED_IN}), Status.CONFIRMED,
    "Only a checked-in booking can be un-checked.",
)  # fmt: skip
COMPLETE = _Transition(
    "booking.completed", frozenset({Status.CHECKED_IN}), Status.COMPLETED,
    "Only a checked-in booking can be completed.",
)  # fmt: skip
CANCEL = _Transition(
    "booking.cancelled", frozenset({Status.PENDING, Status.CONFIRMED}), Status.CANCELLED,
    "Only a pending or confirmed booking can be cancelled.",
)  # fmt: skip


@transaction.atomic
def booking_confirm(*, actor: str, booking: Booking) -> Booking:
    """pending → confirmed. Raises ValidationError (nothing written) from any other status."""
    return _transition(actor=actor, booking=booking, step=CONFIRM, detail={})


@transaction.atomic
def booking_check_in(*, actor: str, booking: Booking) -> Booking:
    """confirmed → checked_in (the client turned up)."""
    return _transition(actor=actor, booking=booking, step=CHECK_IN, detail={})


@transaction.atomic
def booking_undo_check_in(*, actor: str, booking: Booking) -> Booking:
    """checked_in → confirmed (a check-in ticked by mistake on the manifest)."""
    return _transition(actor=actor, booking=booking, step=UNDO_CHECK_IN, detail={})


@transaction.atomic
def booking_complete(*, actor: str, booking: Booking) -> Booking:
    """checked_in → completed (the tour took place)."""
    return _transition(actor=actor, booking=booking, step=COMPLETE, detail={})


@transaction.atomic
def booking_cancel(*, actor: str, booking: Booking, reason: str = "") -> Booking:
    """pending or confirmed → cancelled, giving the seats back to the departure.

    The departure is locked first (the order booking_create uses), then the booking, so the seat
    count and the status change together. Raises ValidationError (nothing written) otherwise.
    """
    event = TourEvent.objects.locked().get(pk=booking.event_id)  # type: ignore[attr-defined]
    booking = _transition(
        actor=actor,
        booking=booking,
        step=CANCEL,
        detail={"reason": reason.strip()[:500], "seats_freed": booking.participants},
    )
    event.seats_booked -= booking.participants
    event.save(update_fields=["seats_booked", "updated_at"])  # _transition announced the change
    return booking
