"""Booking services: seat accounting under the lock, the lifecycle, the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings import services
from bookings.models import Booking, BookingSettings, Client
from bookings.selectors import booking_timeline, seats_held
from bookings.services import bookings as booking_module
from tests.bookings.conftest import book, booking_in, state
from tests.conftest import TenantFixture
from tests.tours.conftest import make_event, make_tour
from tours import services as tour_services
from tours.models import AuditEntry, TourEvent

Status = Booking.Status
REFERENCE = re.compile(r"^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$")


def refresh(event: TourEvent) -> TourEvent:
    event.refresh_from_db()
    return event


# ---- booking_create ----------------------------------------------------------------------------


def test_create_books_seats_creates_the_client_and_audits(departure: TourEvent) -> None:
    booking = book(departure, 3, email="Maria@Example.COM")
    assert REFERENCE.match(booking.reference)
    assert (booking.status, booking.participants, booking.source) == (Status.PENDING, 3, "staff")
    assert refresh(departure).seats_booked == 3
    assert departure.seats_left == 9
    client = Client.objects.get()
    assert (client.name, client.email) == ("Maria Silva", "Maria@example.com")
    entry = AuditEntry.objects.get(action="booking.created")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        "tests",
        "bookings.booking",
        str(booking.pk),
    )
    assert entry.detail == {
        "reference": booking.reference,
        "event_id": departure.pk,
        "participants": 3,
        "status": "pending",
        "source": "staff",
    }
    assert AuditEntry.objects.get(action="client.created").target_id == str(client.pk)


def test_create_reuses_a_client_by_email_whatever_its_case(departure: TourEvent) -> None:
    first = book(departure, 1, email="ana@example.com", name="Ana")
    second = book(departure, 2, email=" ANA@EXAMPLE.com ", name="Somebody else")
    assert first.client_id == second.client_id
    assert Client.objects.get().name == "Ana"  # a booking does not rename the client
    assert refresh(departure).seats_booked == 3


def test_create_for_an_existing_client_and_confirmed(departure: TourEvent) -> None:
    client = services.client_create(actor="tests", name="Joao", email="joao@example.com")
    booking = services.booking_create(
        actor="tests", event=departure, client=client, participants=4, status=Status.CONFIRMED
    )
    assert (booking.client_id, booking.status, booking.progress_percentage) == (
        client.pk,
        "confirmed",
        50,
    )


def test_create_fills_the_departure_exactly(departure: TourEvent) -> None:
    book(departure, 10)
    book(departure, 2, email="last@example.com")
    assert (refresh(departure).seats_booked, departure.seats_left) == (12, 0)


@pytest.mark.parametrize(
    ("participants", "errors"),
    [
        (0, {"participants": ["Book between 1 and 100 participants."]}),
        (-2, {"participants": ["Book between 1 and 100 participants."]}),
        (101, {"participants": ["Book between 1 and 100 participants."]}),
        ("3", {"participants": ["Enter a whole number of participants."]}),
        (True, {"participants": ["Enter a whole number of participants."]}),
        (13, {"participants": ["Only 12 seats left on this departure."]}),
    ],
)
def test_create_refuses_bad_participants_and_writes_nothing(
    departure: TourEvent, participants: object, errors: dict
) -> None:
    before = state()
    with pytest.raises(ValidationError) as caught:
        book(departure, participants)  # type: ignore[arg-type]
    assert caught.value.message_dict == errors
    assert state() == before


def test_create_refuses_more_than_the_seats_left(departure: TourEvent) -> None:
    book(departure, 11)
    before = state()
    with pytest.raises(ValidationError) as caught:
        book(departure, 2, email="late@example.com")
    assert caught.value.message_dict == {"participants": ["Only 1 seat left on this departure."]}
    assert state() == before


def test_create_refuses_a_sold_out_departure(departure: TourEvent) -> None:
    book(departure, 12)
    before = state()
    with pytest.raises(ValidationError) as caught:
        book(departure, 1, email="late@example.com")
    assert caught.value.message_dict == {"event": ["This departure is sold out."]}
    assert state() == before


def test_create_refuses_a_cancelled_departure(departure: TourEvent) -> None:
    tour_services.tour_event_cancel(actor="tests", event=departure)
    before = state()
    with pytest.raises(ValidationError) as caught:
        book(departure, 1)
    assert caught.value.message_dict == {"event": ["This departure is cancelled."]}
    assert state() == before


def test_create_refuses_a_departure_that_has_left(departure: TourEvent) -> None:
    TourEvent.objects.filter(pk=departure.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )
    before = state()
    with pytest.raises(ValidationError) as caught:
        book(departure, 1)
    assert caught.value.message_dict == {"event": ["This departure has already left."]}
    assert state() == before


@pytest.mark.parametrize(
    ("name", "email", "errors"),
    [
        ("", "x@example.com", {"name": ["This field cannot be blank."]}),
        ("Xavier", "not-an-email", {"email": ["Enter a valid email address."]}),
    ],
)
def test_create_refuses_invalid_client_details(
    departure: TourEvent, name: str, email: str, errors: dict
) -> None:
    before = state()
    with pytest.raises(ValidationError) as caught:
        book(departure, 1, name=name, email=email)
    assert caught.value.message_dict == errors
    assert state() == before


def test_create_draws_a_new_reference_on_collision(
    departure: TourEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    draws = iter(["AAAAAA", "AAAAAA", "BBBBBB"])
    monkeypatch.setattr(booking_module, "new_reference", lambda: next(draws))
    first = book(departure, 1)
    second = book(departure, 1, email="other@example.com")
    assert (first.reference, second.reference) == ("AAAAAA", "BBBBBB")
    assert refresh(departure).seats_booked == 2


def test_the_check_constraint_is_the_last_line(departure: TourEvent) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TourEvent.objects.filter(pk=departure.pk).update(seats_booked=13)
    assert refresh(departure).seats_booked == 0


# ---- lifecycle ---------------------------------------------------------------------------------

ALLOWED = [
    (Status.PENDING, services.booking_confirm, Status.CONFIRMED, "booking.confirmed"),
    (Status.PENDING, services.booking_cancel, Status.CANCELLED, "booking.cancelled"),
    (Status.CONFIRMED, services.booking_check_in, Status.CHECKED_IN, "booking.checked_in"),
    (Status.CONFIRMED, services.booking_cancel, Status.CANCELLED, "booking.cancelled"),
    (Status.CHECKED_IN, services.booking_complete, Status.COMPLETED, "booking.completed"),
    (
        Status.CHECKED_IN,
        services.booking_undo_check_in,
        Status.CONFIRMED,
        "booking.check_in_undone",
    ),
]


@pytest.mark.parametrize(("start", "service", "end", "action"), ALLOWED)
def test_allowed_transitions(
    departure: TourEvent, start: Status, service, end: Status, action: str
) -> None:
    booking = booking_in(start, departure, participants=3)
    after = service(actor="staff@alpha", booking=booking)
    assert Booking.objects.get(pk=booking.pk).status == after.status == end
    entry = AuditEntry.objects.filter(action=action).latest("id")
    assert (entry.actor, entry.target_id) == ("staff@alpha", str(booking.pk))
    assert (entry.detail["from"], entry.detail["to"]) == (start, end)
    seats = 0 if end == Status.CANCELLED else 3
    assert refresh(departure).seats_booked == seats == seats_held(departure)


REFUSALS = {
    services.booking_confirm: "Only a pending booking can be confirmed.",
    services.booking_check_in: "Only a confirmed booking can be checked in.",
    services.booking_undo_check_in: "Only a checked-in booking can be un-checked.",
    services.booking_complete: "Only a checked-in booking can be completed.",
    services.booking_cancel: "Only a pending or confirmed booking can be cancelled.",
}
REFUSED = [
    (start, service)
    for start in Status
    for service in REFUSALS
    if not any(a[0] == start and a[1] is service for a in ALLOWED)
]


@pytest.mark.parametrize(("start", "service"), REFUSED)
def test_refused_transitions_change_nothing(departure: TourEvent, start: Status, service) -> None:
    booking = booking_in(start, departure, participants=3)
    before = state()
    with pytest.raises(ValidationError) as caught:
        service(actor="staff@alpha", booking=booking)
    label = Status(start).label.lower()
    assert caught.value.messages == [f"{REFUSALS[service]} This booking is {label}."]
    assert state() == before


def test_every_status_pair_is_covered() -> None:
    assert len(ALLOWED) + len(REFUSED) == len(Status) * len(REFUSALS) == 25


def test_cancel_frees_the_seats_for_someone_else(departure: TourEvent) -> None:
    first = book(departure, 12)
    services.booking_cancel(actor="tests", booking=first, reason="  Ill  ")
    assert refresh(departure).seats_booked == 0
    again = book(departure, 12, email="next@example.com")
    assert again.status == Status.PENDING
    entry = AuditEntry.objects.get(action="booking.cancelled")
    assert entry.detail == {
        "from": "pending",
        "to": "cancelled",
        "reason": "Ill",
        "seats_freed": 12,
    }


def test_progress_follows_the_status(departure: TourEvent) -> None:
    progress = {s: booking_in(s, departure, participants=1).progress_percentage for s in Status}
    assert progress == {
        "pending": 25,
        "confirmed": 50,
        "checked_in": 75,
        "completed": 100,
        "cancelled": 0,
    }


def test_audit_actions_read_as_words() -> None:
    from tours.models import AuditEntry

    labels = [AuditEntry(action=a).action_label for a in ("booking.checked_in", "tour.created")]
    assert labels == ["Checked in", "Created"]


def test_timeline_lists_every_change_in_order(departure: TourEvent) -> None:
    booking = booking_in(Status.COMPLETED, departure)
    assert [e.action for e in booking_timeline(booking)] == [
        "booking.created",
        "booking.confirmed",
        "booking.checked_in",
        "booking.completed",
    ]


# ---- public bookings ---------------------------------------------------------------------------


def test_public_booking_starts_pending_and_mails_after_commit(
    in_a: TenantFixture, departure: TourEvent, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking = services.booking_create_public(
            business=in_a.business,
            event=departure,
            name="Eva",
            email="eva@example.com",
            participants=2,
        )
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert (booking.status, booking.source) == (Status.PENDING, "public")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["eva@example.com"]
    assert message.subject == f"Your booking {booking.reference} with Alpha Tours"
    local = timezone.localtime(departure.starts_at, in_a.business.zone)
    assert f"Reference:     {booking.reference}" in message.body
    assert f"Departure:     {local:%A} {local.day} {local:%B %Y}, 09:30 (Europe/Lisbon)" in (
        message.body
    )
    assert "we will confirm it shortly" in message.body
    assert (
        AuditEntry.objects.get(action="booking.created").actor == "booking page (eva@example.com)"
    )


def test_public_booking_starts_confirmed_when_the_business_says_so(
    in_a: TenantFixture, departure: TourEvent, django_capture_on_commit_callbacks
) -> None:
    services.booking_settings_update(actor="owner", public_bookings_confirmed=True)
    assert BookingSettings.objects.get().public_bookings_confirmed is True
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create_public(
            business=in_a.business, event=departure, name="Eva", email="eva@x.com", participants=1
        )
    assert booking.status == Status.CONFIRMED
    assert "your booking is confirmed" in mail.outbox[0].body
    assert AuditEntry.objects.get(action="booking_settings.updated").detail == {
        "public_bookings_confirmed": True
    }


def test_a_refused_public_booking_sends_nothing(
    in_a: TenantFixture, departure: TourEvent, django_capture_on_commit_callbacks
) -> None:
    before = state()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.booking_create_public(
            business=in_a.business, event=departure, name="Eva", email="eva@x.com", participants=40
        )
    assert mail.outbox == []
    assert state() == before


def test_bookings_live_in_their_own_business(in_a: TenantFixture, tenant_b: TenantFixture) -> None:
    event = make_event(make_tour(), days=3)
    book(event, 2)
    with tenant_b.schema():
        assert (Booking.objects.count(), Client.objects.count()) == (0, 0)
