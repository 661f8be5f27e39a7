"""Tour pages and scheduling (one departure, a recurring pattern with a live preview)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tests.conftest import TenantFixture
from tests.sse import list_items, parse_sse, root_ids, text_by_id
from tests.tours.conftest import make_event, make_tour
from tours.models import AuditEntry, Tour, TourEvent

TOUR_FORM = {
    "name": "Harbour Cruise",
    "description": "An hour on the river.",
    "duration_minutes": "60",
    "price": "18.50",
    "default_capacity": "40",
}


def test_tour_list_shows_active_tours_with_price_in_the_business_currency(
    tenant_a: TenantFixture,
) -> None:
    with tenant_a.schema():
        walk = make_tour("Old Town Walk")
        make_event(walk, days=3)
        make_event(walk, days=4)
        archived = make_tour("Winter Walk")
        archived.is_active = False
        archived.save()
    client = tenant_a.owner_client()
    response = client.get("/tours/")
    assert response.status_code == 200
    rows = [(t.name, t.upcoming_count) for t in response.context["tours"]]
    assert rows == [("Old Town Walk", 2)]
    assert "€25.00" in response.content.decode()
    everything = client.get("/tours/?archived=1")
    assert [t.name for t in everything.context["tours"]] == ["Old Town Walk", "Winter Walk"]


def test_tour_create_then_edit_through_the_pages(tenant_a: TenantFixture) -> None:
    client = tenant_a.owner_client()
    created = client.post("/tours/new", TOUR_FORM)
    with tenant_a.schema():
        tour = Tour.objects.get()
    assert (created.status_code, created["Location"]) == (302, f"/tours/{tour.pk}/schedule")
    assert (tour.name, tour.slug, tour.price, tour.default_capacity, tour.duration_minutes) == (
        "Harbour Cruise",
        "harbour-cruise",
        Decimal("18.50"),
        40,
        60,
    )
    edited = client.post(f"/tours/{tour.pk}/edit", {**TOUR_FORM, "price": "20"})
    assert edited.status_code == 302
    with tenant_a.schema():
        assert Tour.objects.get().price == Decimal("20.00")


def test_tour_create_with_bad_input_shows_errors_and_writes_nothing(
    tenant_a: TenantFixture,
) -> None:
    response = tenant_a.owner_client().post(
        "/tours/new", {**TOUR_FORM, "name": "", "price": "-3", "default_capacity": "lots"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["This field is required."],
        "price": ["Ensure this value is greater than or equal to 0."],
        "default_capacity": ["Enter a whole number."],
    }
    with tenant_a.schema():
        assert Tour.objects.count() == 0


def test_archive_and_restore_through_the_pages(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        tour = make_tour()
        event = make_event(tour)
    client = tenant_a.owner_client()
    assert client.get(f"/tours/{tour.pk}/archive").status_code == 405  # a GET changes nothing
    assert client.post(f"/tours/{tour.pk}/archive").status_code == 302
    with tenant_a.schema():
        assert Tour.objects.get().is_active is False
        assert TourEvent.objects.get().pk == event.pk
    page = client.get(f"/tours/{tour.pk}/")
    assert "Archived" in page.content.decode()
    assert client.post(f"/tours/{tour.pk}/restore").status_code == 302
    with tenant_a.schema():
        assert Tour.objects.get().is_active is True


def test_tour_of_a_is_404_on_b(tenant_a: TenantFixture, tenant_b: TenantFixture) -> None:
    with tenant_a.schema():
        tour = make_tour()
    client = tenant_b.owner_client()
    for path in ("/", "/edit", "/schedule"):
        assert client.get(f"/tours/{tour.pk}{path}").status_code == 404
    assert client.post(f"/tours/{tour.pk}/archive").status_code == 404
    with tenant_a.schema():
        assert Tour.objects.get().is_active is True


# ---- scheduling --------------------------------------------------------------------------------


def local_day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_schedule_one_departure_in_local_time(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        tour = make_tour()
    day = local_day(9)
    response = tenant_a.owner_client().post(
        f"/tours/{tour.pk}/schedule/one",
        {"starts_at": f"{day}T08:15", "capacity": "6", "guide_name": "Rui", "title": ""},
    )
    with tenant_a.schema():
        event = TourEvent.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/events/{event.pk}/")
    local = timezone.localtime(event.starts_at, tenant_a.business.zone)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == (day, "08:15")
    assert (event.title, event.capacity, event.guide_name) == ("Old Town Walk", 6, "Rui")


def test_schedule_one_in_the_past_shows_the_error(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        tour = make_tour()
    response = tenant_a.owner_client().post(
        f"/tours/{tour.pk}/schedule/one", {"starts_at": f"{local_day(-2)}T08:15"}
    )
    assert response.status_code == 400
    assert response.context["one"].errors == {"starts_at": ["The start must be in the future."]}
    with tenant_a.schema():
        assert TourEvent.objects.count() == 0


def pattern_form(**overrides: object) -> dict[str, object]:
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    form: dict[str, object] = {
        "weekdays": ["1", "3"],  # Tue, Thu
        "times": "09:00, 14:30",
        "first_day": monday.isoformat(),
        "last_day": (monday + timedelta(days=13)).isoformat(),
        "capacity": "",
        "guide_name": "",
    }
    form.update(overrides)
    return form


def test_preview_counts_new_departures_and_skipped_duplicates(tenant_a: TenantFixture) -> None:
    # given a tour that already has the first Tuesday 09:00 departure of the pattern
    form = pattern_form()
    with tenant_a.schema():
        tour = make_tour()
        from tours.forms import RecurrenceForm
        from tours.selectors import recurrence_plan

        bound = RecurrenceForm(form)
        assert bound.is_valid()
        first = recurrence_plan(
            tour=tour, pattern=bound.pattern(), zone=tenant_a.business.zone
        ).new_starts[0]
        make_event(tour, starts_at=first)
    # when the pattern is previewed (a Datastar form post)
    response = tenant_a.owner_client().post(
        f"/tours/{tour.pk}/schedule/preview", form, headers={"Datastar-Request": "true"}
    )
    # then one patch replaces #preview: 7 new (2 days, 2 times, 2 weeks, minus 1), 1 skipped
    events = parse_sse(response)
    assert [(e.type, e.selector) for e in events] == [("datastar-patch-elements", "#preview")]
    assert root_ids(events[0].html) == ["preview"]
    assert text_by_id(events[0].html)["preview-count"] == "7"
    items = list_items(events[0].html)
    assert len(items) == 7  # six starts and "… and 1 more"
    assert items[0].endswith("14:30")  # the first Tuesday's 09:00 exists already
    assert items[-1] == "… and 1 more"
    assert "skipping 1 that already exists" in text_by_id(events[0].html)["preview"]
    # and previewing wrote nothing
    with tenant_a.schema():
        assert TourEvent.objects.count() == 1


def test_preview_of_an_incomplete_pattern_lists_what_is_missing(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        tour = make_tour()
    response = tenant_a.owner_client().post(
        f"/tours/{tour.pk}/schedule/preview",
        pattern_form(times="9am", last_day=""),
        headers={"Datastar-Request": "true"},
    )
    assert list_items(parse_sse(response)[0].html) == [
        "Start times: “9am” is not a time like 09:00 or 14:30.",
        "Until: This field is required.",
    ]


def test_preview_over_the_cap_says_so(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        tour = make_tour()
    form = pattern_form(
        weekdays=[str(d) for d in range(7)],
        times=", ".join(f"{h:02}:00" for h in range(8, 20)),
        last_day=(timezone.localdate() + timedelta(days=60)).isoformat(),
    )
    response = tenant_a.owner_client().post(
        f"/tours/{tour.pk}/schedule/preview", form, headers={"Datastar-Request": "true"}
    )
    html = parse_sse(response)[0].html
    assert "the limit is 200 at once" in html
    assert "preview-count" not in html


def test_recurring_create_makes_the_departures_and_reports_skips(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        tour = make_tour()
    client = tenant_a.owner_client()
    response = client.post(
        f"/tours/{tour.pk}/schedule/recurring", pattern_form(capacity="8", guide_name="Ana")
    )
    assert (response.status_code, response["Location"]) == (302, f"/tours/{tour.pk}/")
    with tenant_a.schema():
        events = list(TourEvent.objects.all())
        assert len(events) == 8
        assert {(e.capacity, e.guide_name) for e in events} == {(8, "Ana")}
        local = [timezone.localtime(e.starts_at, tenant_a.business.zone) for e in events]
        assert {t.strftime("%a %H:%M") for t in local} == {
            "Tue 09:00",
            "Tue 14:30",
            "Thu 09:00",
            "Thu 14:30",
        }
        entry = AuditEntry.objects.get(action="tour_event.scheduled_recurring")
        assert entry.detail["created"] == 8
    # a second run skips everything and says so, creating nothing
    again = client.post(f"/tours/{tour.pk}/schedule/recurring", pattern_form())
    assert again.status_code == 400
    assert again.context["recurring"].non_field_errors() == [
        "This pattern creates no new departures."
    ]
    with tenant_a.schema():
        assert TourEvent.objects.count() == 8


def test_schedule_page_renders_both_forms(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        tour = make_tour()
    page = tenant_a.owner_client().get(f"/tours/{tour.pk}/schedule")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"@post('/tours/{tour.pk}/schedule/preview', {{contentType: 'form'}})" in html
    assert 'id="preview"' in html
