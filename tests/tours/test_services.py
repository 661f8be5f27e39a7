"""Tours and departures services: given / when / then, exact values, nothing written on refusal."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.conftest import TenantFixture
from tests.tours.conftest import book_seats, future_start, make_event, make_tour
from tours import services
from tours.models import AuditEntry, Tour, TourEvent
from tours.recurrence import MAX_DEPARTURES_PER_PATTERN, RecurrencePattern

# ---- tours -------------------------------------------------------------------------------------


def test_tour_create_stores_the_tour_with_a_slug_and_an_audit_entry(in_a: TenantFixture) -> None:
    # when a tour is created
    tour = make_tour("Old Town Walk")
    # then it is stored active, with a slug from its name
    stored = Tour.objects.get(pk=tour.pk)
    assert (stored.name, stored.slug, stored.price, stored.default_capacity) == (
        "Old Town Walk",
        "old-town-walk",
        Decimal("25.00"),
        12,
    )
    assert stored.is_active is True
    assert stored.duration_label == "2 h"
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_type, entry.target_id) == (
        "tests",
        "tour.created",
        "tours.tour",
        str(tour.pk),
    )


def test_tour_create_gives_a_second_tour_of_the_same_name_its_own_slug(in_a: TenantFixture) -> None:
    make_tour("Old Town Walk")
    second = make_tour("Old Town Walk")
    assert second.slug == "old-town-walk-2"


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "  "), ("price", Decimal("-1")), ("default_capacity", 0), ("duration_minutes", 0)],
)
def test_tour_create_refuses_invalid_fields_and_writes_nothing(
    in_a: TenantFixture, field: str, value: object
) -> None:
    with pytest.raises(ValidationError) as exc:
        make_tour(**{field: value})
    assert field in exc.value.message_dict
    assert Tour.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_tour_update_changes_details_but_keeps_the_slug(in_a: TenantFixture) -> None:
    tour = make_tour("Old Town Walk")
    services.tour_update(
        actor="tests",
        tour=tour,
        name="Old Town by Night",
        description="",
        duration_minutes=90,
        price=Decimal("30.50"),
        default_capacity=8,
    )
    stored = Tour.objects.get(pk=tour.pk)
    assert (stored.name, stored.slug, stored.duration_label, stored.price) == (
        "Old Town by Night",
        "old-town-walk",
        "1 h 30 min",
        Decimal("30.50"),
    )


def test_tour_archive_keeps_its_departures_and_blocks_new_ones(in_a: TenantFixture) -> None:
    # given a tour with a departure
    tour = make_tour()
    event = make_event(tour)
    # when it is archived
    services.tour_archive(actor="tests", tour=tour)
    # then the tour and its departure are still there, and it cannot be scheduled
    tour.refresh_from_db()
    assert tour.is_active is False
    assert TourEvent.objects.get(pk=event.pk).status == "scheduled"
    with pytest.raises(ValidationError) as exc:
        make_event(tour, days=11)
    assert exc.value.message_dict == {"tour": ["This tour is archived; restore it to schedule it."]}
    # and restoring it makes it schedulable again
    services.tour_restore(actor="tests", tour=tour)
    assert make_event(tour, days=11).tour_id == tour.pk
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "tour.created",
        "tour_event.scheduled",
        "tour.archived",
        "tour.restored",
        "tour_event.scheduled",
    ]


# ---- scheduling one departure ------------------------------------------------------------------


def test_tour_event_schedule_defaults_title_and_capacity_from_the_tour(in_a: TenantFixture) -> None:
    tour = make_tour("Harbour Cruise", default_capacity=30)
    start = future_start(days=5, hour=14, minute=0)
    event = make_event(tour, starts_at=start)
    stored = TourEvent.objects.get(pk=event.pk)
    assert (stored.title, stored.capacity, stored.seats_booked, stored.seats_left) == (
        "Harbour Cruise",
        30,
        0,
        30,
    )
    assert stored.starts_at == start
    assert stored.status == TourEvent.Status.SCHEDULED


def test_tour_event_schedule_refuses_the_past_and_duplicates(in_a: TenantFixture) -> None:
    tour = make_tour()
    start = future_start(days=3)
    make_event(tour, starts_at=start)
    with pytest.raises(ValidationError) as exc:
        make_event(tour, starts_at=start)
    assert exc.value.message_dict == {
        "starts_at": ["Old Town Walk already has a departure at this time."]
    }
    with pytest.raises(ValidationError) as exc:
        make_event(tour, starts_at=timezone.now() - timedelta(minutes=1))
    assert exc.value.message_dict == {"starts_at": ["The start must be in the future."]}
    assert TourEvent.objects.count() == 1


def test_tour_event_schedule_refuses_a_naive_datetime(in_a: TenantFixture) -> None:
    tour = make_tour()
    with pytest.raises(ValueError, match="timezone-aware"):
        make_event(tour, starts_at=future_start().replace(tzinfo=None))


# ---- the database is the last line -------------------------------------------------------------


def test_check_constraint_refuses_more_seats_booked_than_capacity(in_a: TenantFixture) -> None:
    event = make_event(make_tour(), capacity=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        TourEvent.objects.filter(pk=event.pk).update(seats_booked=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        TourEvent.objects.filter(pk=event.pk).update(capacity=0)
    event.refresh_from_db()
    assert (event.capacity, event.seats_booked) == (4, 0)


def test_unique_constraint_refuses_two_scheduled_departures_at_one_start(
    in_a: TenantFixture,
) -> None:
    event = make_event(make_tour())
    with pytest.raises(IntegrityError), transaction.atomic():
        TourEvent.objects.create(
            tour=event.tour, title="Copy", starts_at=event.starts_at, capacity=3
        )
    assert TourEvent.objects.count() == 1


# ---- updating ----------------------------------------------------------------------------------


def update(event: TourEvent, **changes: object) -> TourEvent:
    fields: dict[str, object] = {
        "actor": "tests",
        "event": event,
        "title": event.title,
        "starts_at": event.starts_at,
        "capacity": event.capacity,
        "guide_name": event.guide_name,
        "notes": event.notes,
    }
    fields.update(changes)
    return services.tour_event_update(**fields)  # type: ignore[arg-type]


def test_tour_event_update_saves_every_editable_field_and_audits_the_changes(
    in_a: TenantFixture, django_capture_on_commit_callbacks
) -> None:
    event = make_event(make_tour())
    new_start = future_start(days=12, hour=16, minute=15)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        update(
            event,
            title="  Sunset walk ",
            starts_at=new_start,
            capacity=20,
            guide_name="Ana",
            notes="Meet at the fountain.",
        )
    stored = TourEvent.objects.get(pk=event.pk)
    assert (stored.title, stored.starts_at, stored.capacity, stored.guide_name, stored.notes) == (
        "Sunset walk",
        new_start,
        20,
        "Ana",
        "Meet at the fountain.",
    )
    entry = AuditEntry.objects.filter(action="tour_event.updated").get()
    assert entry.detail == {
        "title": ["Old Town Walk", "Sunset walk"],
        "starts_at": [event.starts_at.isoformat(), new_start.isoformat()],
        "capacity": [12, 20],
        "guide_name": ["", "Ana"],
        "notes": ["", "Meet at the fountain."],
    }
    # one live notification is sent on commit (DESIGN.md §5); here it runs without error
    assert len(callbacks) == 1


def test_tour_event_update_without_changes_writes_no_audit_entry(in_a: TenantFixture) -> None:
    event = make_event(make_tour())
    update(event)
    assert AuditEntry.objects.filter(action="tour_event.updated").count() == 0


def test_tour_event_update_collects_every_error_and_writes_nothing(in_a: TenantFixture) -> None:
    # given a departure with 5 seats booked
    event = book_seats(make_event(make_tour()), 5)
    # when it is updated with a blank title, a capacity below 5 and a start in the past
    with pytest.raises(ValidationError) as exc:
        update(event, title="  ", capacity=4, starts_at=timezone.now() - timedelta(hours=1))
    # then every problem is reported by field
    assert exc.value.message_dict == {
        "title": ["Title is required."],
        "capacity": ["Capacity cannot be below the 5 seats already booked."],
        "starts_at": ["The start must be in the future."],
    }
    # and nothing changed
    stored = TourEvent.objects.get(pk=event.pk)
    assert (stored.title, stored.capacity, stored.starts_at) == (
        "Old Town Walk",
        12,
        event.starts_at,
    )
    assert AuditEntry.objects.filter(action="tour_event.updated").count() == 0


def test_tour_event_update_allows_capacity_equal_to_seats_booked(in_a: TenantFixture) -> None:
    event = book_seats(make_event(make_tour()), 5)
    assert update(event, capacity=5).seats_left == 0


def test_tour_event_update_keeps_a_past_start_when_it_is_unchanged(in_a: TenantFixture) -> None:
    # given a departure that has already started (created earlier, now in the past)
    event = make_event(make_tour())
    past = timezone.now() - timedelta(hours=2)
    TourEvent.objects.filter(pk=event.pk).update(starts_at=past)
    event.refresh_from_db()
    # when only its notes are edited, the unchanged past start is accepted
    assert update(event, notes="Ran late.").notes == "Ran late."


def test_tour_event_update_refuses_a_start_taken_by_another_departure(
    in_a: TenantFixture,
) -> None:
    tour = make_tour()
    first = make_event(tour, days=4)
    second = make_event(tour, days=5)
    with pytest.raises(ValidationError) as exc:
        update(second, starts_at=first.starts_at)
    assert exc.value.message_dict == {
        "starts_at": ["Old Town Walk already has a departure at this time."]
    }


def test_tour_event_update_refuses_a_cancelled_departure(in_a: TenantFixture) -> None:
    event = make_event(make_tour())
    services.tour_event_cancel(actor="tests", event=event)
    with pytest.raises(ValidationError) as exc:
        update(event, title="Revived")
    assert exc.value.messages == ["This departure is cancelled and can no longer be edited."]
    assert TourEvent.objects.get(pk=event.pk).title == "Old Town Walk"


# ---- cancelling --------------------------------------------------------------------------------


def test_tour_event_cancel_keeps_the_row_and_frees_the_start(in_a: TenantFixture) -> None:
    tour = make_tour()
    event = make_event(tour)
    services.tour_event_cancel(actor="owner@alpha.example", event=event, reason="Storm")
    stored = TourEvent.objects.get(pk=event.pk)
    assert stored.status == TourEvent.Status.CANCELLED
    entry = AuditEntry.objects.get(action="tour_event.cancelled")
    assert (entry.actor, entry.detail) == (
        "owner@alpha.example",
        {"reason": "Storm", "seats_booked": 0},
    )
    # the same start can be scheduled again
    assert make_event(tour, starts_at=event.starts_at).pk != event.pk
    with pytest.raises(ValidationError):
        services.tour_event_cancel(actor="tests", event=stored)


# ---- recurring ---------------------------------------------------------------------------------


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def test_recurring_creates_weekday_times_in_the_business_zone_and_skips_duplicates(
    in_a: TenantFixture,
) -> None:
    # given a tour that already has the Wednesday 10:00 departure of next week
    tour = make_tour()
    monday = next_monday()
    zone = in_a.business.zone
    from tours.recurrence import local_start

    existing = make_event(tour, starts_at=local_start(monday + timedelta(days=2), time(10), zone))
    # when Mon/Wed at 10:00 and 15:30 are scheduled for two weeks
    pattern = RecurrencePattern(
        weekdays=frozenset({0, 2}),
        times=(time(15, 30), time(10, 0)),
        first_day=monday,
        last_day=monday + timedelta(days=13),
    )
    outcome = services.tour_events_schedule_recurring(
        actor="tests", tour=tour, pattern=pattern, zone=zone
    )
    # then 8 starts were described, 1 existed, 7 were created at Lisbon wall-clock times
    assert (len(outcome.created), outcome.skipped_duplicates, outcome.skipped_past) == (7, 1, 0)
    local = [
        timezone.localtime(e.starts_at, zone).strftime("%a %H:%M")
        for e in TourEvent.objects.exclude(pk=existing.pk)
    ]
    assert local == [
        "Mon 10:00",
        "Mon 15:30",
        "Wed 15:30",
        "Mon 10:00",
        "Mon 15:30",
        "Wed 10:00",
        "Wed 15:30",
    ]
    # and running it again creates nothing and says so
    with pytest.raises(ValidationError) as exc:
        services.tour_events_schedule_recurring(
            actor="tests", tour=tour, pattern=pattern, zone=zone
        )
    assert exc.value.messages == ["This pattern creates no new departures."]
    assert TourEvent.objects.count() == 8


def test_recurring_refuses_more_than_the_cap_and_writes_nothing(in_a: TenantFixture) -> None:
    tour = make_tour()
    monday = next_monday()
    pattern = RecurrencePattern(
        weekdays=frozenset(range(7)),
        times=tuple(time(h) for h in range(8, 18)),  # 10 a day
        first_day=monday,
        last_day=monday + timedelta(days=29),  # 300 departures
    )
    with pytest.raises(ValidationError) as exc:
        services.tour_events_schedule_recurring(
            actor="tests", tour=tour, pattern=pattern, zone=in_a.business.zone
        )
    assert exc.value.messages == [
        f"This pattern would create 300 departures; the limit is {MAX_DEPARTURES_PER_PATTERN} "
        "at once. Shorten the date range."
    ]
    assert TourEvent.objects.count() == 0
    assert AuditEntry.objects.filter(action="tour_event.scheduled_recurring").count() == 0


# ---- tenancy -----------------------------------------------------------------------------------


def test_departures_of_one_business_are_invisible_in_another(
    tenant_a: TenantFixture, tenant_b: TenantFixture
) -> None:
    with tenant_a.schema():
        event = make_event(make_tour("Alpha Walk"))
    with tenant_b.schema():
        assert TourEvent.objects.filter(pk=event.pk).count() == 0
        assert Tour.objects.count() == 0
    with tenant_a.schema():
        assert TourEvent.objects.get(pk=event.pk).title == "Alpha Walk"


def test_tour_event_update_reports_field_rules_with_the_business_rules(
    in_a: TenantFixture,
) -> None:
    event = make_event(make_tour())
    with pytest.raises(ValidationError) as exc:
        update(event, title="", capacity=0, guide_name="g" * 121, notes="n" * 5001)
    assert exc.value.message_dict == {
        "title": ["Title is required."],
        "capacity": ["Ensure this value is greater than or equal to 1."],
        "guide_name": ["Ensure this value has at most 120 characters (it has 121)."],
        "notes": ["Ensure this value has at most 5000 characters (it has 5001)."],
    }
    assert TourEvent.objects.get(pk=event.pk).capacity == 12
