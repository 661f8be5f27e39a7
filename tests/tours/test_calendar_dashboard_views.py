"""Calendar (week, month) and the dashboard's today and next-seven-days panels."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from tests.conftest import TenantFixture
from tests.sse import parse_sse, root_ids, text_by_id
from tests.tours.conftest import book_seats, make_event, make_tour
from tours import services
from tours.recurrence import local_start


def lisbon_today(fixture: TenantFixture) -> date:
    return timezone.localdate(timezone.now(), fixture.business.zone)


def at(fixture: TenantFixture, day: date, hh: int, mm: int = 0) -> datetime:
    return local_start(day, datetime.min.time().replace(hour=hh, minute=mm), fixture.business.zone)


def test_week_view_groups_departures_by_local_day(tenant_a: TenantFixture) -> None:
    # given departures in the week after next: Tue 09:00 (3 booked of 12) and Tue 23:30 local
    # time (grouping is by the business's local day), and a cancelled one on Thursday
    today = lisbon_today(tenant_a)
    monday = today - timedelta(days=today.weekday()) + timedelta(days=14)
    with tenant_a.schema():
        walk = make_tour("Old Town Walk")
        cruise = make_tour("Night Cruise", default_capacity=30)
        book_seats(make_event(walk, starts_at=at(tenant_a, monday + timedelta(days=1), 9)), 3)
        make_event(cruise, starts_at=at(tenant_a, monday + timedelta(days=1), 23, 30))
        gone = make_event(walk, starts_at=at(tenant_a, monday + timedelta(days=3), 9))
        services.tour_event_cancel(actor="tests", event=gone)
    # when the week is shown
    response = tenant_a.owner_client().get(f"/calendar/?date={monday + timedelta(days=4)}")
    assert response.status_code == 200
    days = response.context["days"]
    # then it runs Monday to Sunday with both departures on Tuesday, the cancelled one hidden
    assert [d for d, _ in days] == [monday + timedelta(days=n) for n in range(7)]
    shown = [[(e.title, e.seats_left) for e in events] for _, events in days]
    assert shown == [
        [],
        [("Old Town Walk", 9), ("Night Cruise", 30)],
        [],
        [],
        [],
        [],
        [],
    ]
    html = response.content.decode()
    assert "9 left" in html and "23:30" in html
    assert f'href="/events/{gone.pk}/"' not in html
    assert response.context["previous"] == monday - timedelta(days=7)


def test_month_view_is_a_full_grid_of_weeks(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        walk = make_tour()
        event = make_event(walk, days=20)
    local = timezone.localtime(event.starts_at, tenant_a.business.zone)
    response = tenant_a.owner_client().get(f"/calendar/month?month={local:%Y-%m}")
    assert response.status_code == 200
    weeks = response.context["weeks"]
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0][0].weekday() == 0 and weeks[-1][-1][0].weekday() == 6
    assert response.context["month"] == local.date().replace(day=1)
    placed = [(day, [e.pk for e in events]) for week in weeks for day, events in week if events]
    assert placed == [(local.date(), [event.pk])]
    assert f'href="/events/{event.pk}/"' in response.content.decode()


def test_calendar_ignores_nonsense_dates(tenant_a: TenantFixture) -> None:
    client = tenant_a.owner_client()
    today = lisbon_today(tenant_a)
    for query in ("date=banana", "date=0001-01-01", "date=9999-12-31"):
        response = client.get(f"/calendar/?{query}")
        assert response.status_code == 200
        assert response.context["monday"] == today - timedelta(days=today.weekday())
    for query in ("month=13-2026", "month=9999-12", "month="):
        response = client.get(f"/calendar/month?{query}")
        assert response.status_code == 200
        assert response.context["month"] == today.replace(day=1)


def test_calendar_of_b_does_not_show_a_departures(
    tenant_a: TenantFixture, tenant_b: TenantFixture
) -> None:
    with tenant_a.schema():
        event = make_event(make_tour("Alpha Walk"), days=2)
    local = timezone.localtime(event.starts_at, tenant_a.business.zone)
    response = tenant_b.owner_client().get(f"/calendar/?date={local.date()}")
    assert sum(len(events) for _, events in response.context["days"]) == 0
    assert "Alpha Walk" not in response.content.decode()


def test_dashboard_lists_today_and_the_next_seven_days_with_seats_left(
    tenant_a: TenantFixture,
) -> None:
    today = lisbon_today(tenant_a)
    with tenant_a.schema():
        walk = make_tour("Old Town Walk")
        later_today = timezone.localtime(timezone.now(), tenant_a.business.zone) + timedelta(
            minutes=5
        )
        todays = None
        if later_today.date() == today:  # not in the last five minutes before midnight
            todays = book_seats(make_event(walk, starts_at=later_today.replace(second=0)), 4)
        make_event(walk, starts_at=at(tenant_a, today + timedelta(days=2), 10))
        make_event(walk, starts_at=at(tenant_a, today + timedelta(days=7), 10))
        make_event(walk, starts_at=at(tenant_a, today + timedelta(days=8), 10))  # beyond
    client = tenant_a.owner_client()
    response = client.get("/")
    figures = response.context["today"]
    assert [d.day for d in figures.next_days] == [
        today + timedelta(days=2),
        today + timedelta(days=7),
    ]
    texts = text_by_id(response.content.decode())
    if todays is not None:
        assert [e.pk for e in figures.today] == [todays.pk]
        assert (texts["departures-today"], texts["seats-left-today"]) == ("1", "8")
    assert texts["staff-accounts"] == "1"
    # the Datastar refresh patches the same panel (ids the browser test relies on)
    events = parse_sse(client.get("/dashboard/today", headers={"Datastar-Request": "true"}))
    assert [e.type for e in events] == ["datastar-patch-elements"]
    assert root_ids(events[0].html) == ["today"]
    patched = text_by_id(events[0].html)
    assert patched["staff-accounts"] == "1" and patched["as-of"].startswith("Updated ")
    assert patched["next-days"].count("left") == 2
