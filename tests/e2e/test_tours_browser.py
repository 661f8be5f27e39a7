"""In Chromium: inline-edit a departure over Datastar, see validation errors, the live schedule
preview, and the calendar (screenshots in artifacts/)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.utils import timezone

from tests.conftest import TenantFixture, _provision
from tests.e2e.conftest import screenshot
from tests.live import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@dataclass(frozen=True)
class Scene:
    tenant: TenantFixture
    tour_id: int
    event_id: int
    event_title: str


@pytest.fixture(scope="session")
def tours_scene(django_db_setup, django_db_blocker) -> Iterator[Scene]:
    """A business with tours and two weeks of departures, committed for the live server."""
    from django_tenants.utils import schema_context

    from tours import services
    from tours.models import TourEvent
    from tours.recurrence import RecurrencePattern

    with django_db_blocker.unblock():
        tenant = _provision("livecal", "Harbour Tours")
        zone = tenant.business.zone
        today = timezone.localdate(timezone.now(), zone)
        with schema_context(tenant.business.schema_name):
            tours = [
                ("Old Town Walk", 120, 15, frozenset({0, 1, 2, 3, 4, 5}), (time(10), time(15))),
                ("Sunset Sailing", 150, 10, frozenset({2, 4, 5, 6}), (time(18, 30),)),
                ("Wine Tasting", 90, 12, frozenset({3, 5}), (time(17),)),
            ]
            created = []
            for name, minutes, seats, weekdays, times in tours:
                tour = services.tour_create(
                    actor="e2e",
                    name=name,
                    duration_minutes=minutes,
                    price="25.00",  # type: ignore[arg-type]
                    default_capacity=seats,
                )
                services.tour_events_schedule_recurring(
                    actor="e2e",
                    tour=tour,
                    pattern=RecurrencePattern(
                        weekdays=weekdays,
                        times=times,
                        first_day=today + timedelta(days=1),
                        last_day=today + timedelta(days=35),
                    ),
                    zone=zone,
                )
                created.append(tour)
            # some seats taken, so the calendar shows open / filling / full departures
            events = list(TourEvent.objects.order_by("starts_at"))
            for n, event in enumerate(events):
                TourEvent.objects.filter(pk=event.pk).update(
                    seats_booked=[0, 4, event.capacity, event.capacity - 2][n % 4]
                )
            first = events[0]
    yield Scene(tenant, created[0].pk, first.pk, first.title)


def log_in(page, server: LiveServer, tenant: TenantFixture, path: str = "/") -> None:
    page.goto(server.url_for(tenant.host, f"/accounts/login/?next={path}"))
    page.fill("input[name=username]", tenant.owner_email)
    page.fill("input[name=password]", tenant.owner_password)
    page.click("button[type=submit]")


def test_inline_edit_updates_the_page_without_a_reload_and_shows_errors(
    live_server_process: LiveServer,
    tours_scene: Scene,
    page,
) -> None:
    from playwright.sync_api import expect

    # given the owner on a departure's page
    log_in(page, live_server_process, tours_scene.tenant, f"/events/{tours_scene.event_id}/")
    expect(page.locator("#event-title")).to_have_text(tours_scene.event_title)
    page.evaluate("window.__marker = 'same-page'")
    # record what the save button shows while the request is in flight (the loading indicator)
    page.evaluate(
        """() => {
        window.__while_loading = [];
        const button = document.querySelector('#event-edit button[type=submit]');
        new MutationObserver(() => window.__while_loading.push(
            [button.disabled, button.innerText.trim()])
        ).observe(button, {attributes: true, subtree: true, childList: true});
    }"""
    )

    # when the title is edited inline and saved
    page.fill("#f-title", "Harbour lights walk")
    page.fill("#f-guide", "Ana Sousa")
    page.click("#event-edit button[type=submit]")

    # then the detail panel is patched in place, and "Saved" shows
    expect(page.locator("#event-title")).to_have_text("Harbour lights walk")
    expect(page.locator("#event-guide")).to_have_text("Ana Sousa")
    expect(page.locator(".saved")).to_be_visible()
    expect(page.locator("#event-edit button[type=submit]")).to_be_enabled()
    assert page.evaluate("window.__marker") == "same-page"
    # and while the request was in flight the button was disabled and said "Saving…"
    assert [True, "Saving…"] in page.evaluate("window.__while_loading")
    screenshot(page, "event-detail-saved")

    # when the title is cleared and the capacity set to 0
    page.fill("#f-title", "")
    page.fill("#f-capacity", "0")
    page.click("#event-edit button[type=submit]")

    # then the errors are shown, the saved badge is gone and nothing changed on the page
    errors = page.locator("#errors")
    expect(errors).to_contain_text("Title: Title is required.")
    expect(errors).to_contain_text("Capacity: Ensure this value is greater than or equal to 1.")
    expect(page.locator(".saved")).to_be_hidden()
    expect(page.locator("#event-title")).to_have_text("Harbour lights walk")
    assert page.evaluate("window.__marker") == "same-page"
    screenshot(page, "event-detail-errors")

    # and after a reload the saved values are what the database holds
    page.reload()
    expect(page.locator("#event-title")).to_have_text("Harbour lights walk")
    expect(page.locator("#errors")).to_be_empty()


def test_recurring_preview_counts_live(
    live_server_process: LiveServer,
    tours_scene: Scene,
    page,
) -> None:
    from playwright.sync_api import expect

    log_in(page, live_server_process, tours_scene.tenant, f"/tours/{tours_scene.tour_id}/schedule")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Pick at least one weekday.")
    # Sunday at 10:00 and 12:00 (the Old Town Walk has no Sunday departures) for two weeks
    sunday = timezone.localdate() + timedelta(days=6 - timezone.localdate().weekday() + 7)
    page.fill("#id_first_day", sunday.isoformat())
    page.fill("#id_last_day", (sunday + timedelta(days=7)).isoformat())
    page.fill("#id_times", "10:00, 12:00")
    page.check("input[name=weekdays][value='6']")
    expect(page.locator("#preview-count")).to_have_text("4")
    # adding Monday adds two starts, of which 10:00 exists already (the tour runs Mon-Sat 10:00)
    page.check("input[name=weekdays][value='0']")
    expect(page.locator("#preview-count")).to_have_text("5")
    expect(preview).to_contain_text("skipping 1 that already exists")
    screenshot(page, "schedule-preview")


def test_calendar_and_staff_pages_render(
    live_server_process: LiveServer,
    tours_scene: Scene,
    page,
) -> None:
    from playwright.sync_api import expect

    server, tenant = live_server_process, tours_scene.tenant
    log_in(page, server, tenant, "/calendar/")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Week of "))
    # next week is full of departures, each with its time, title and seats left
    page.click("text=Next ›")
    cells = page.locator(".cal-week .cal-event")
    expect(cells.first).to_be_visible()
    assert cells.count() >= 10
    first = cells.first.inner_text()
    assert re.search(r"^\d\d:\d\d\s+\S.*\s+(\d+ left|Full)$", first, re.S), first
    screenshot(page, "calendar-week")
    page.click(".tabs.pill >> text=Month")
    expect(page.locator(".cal-month .cal-head")).to_have_count(7)
    screenshot(page, "calendar-month")
    # a departure in the calendar links to its page
    page.locator(".cal-month .cal-event").first.click()
    expect(page).to_have_url(re.compile(r"/events/\d+/$"))
    for path, heading in [
        ("/", "Harbour Tours"),
        ("/tours/", "Tours"),
        (f"/tours/{tours_scene.tour_id}/", "Old Town Walk"),
        ("/team/", "Team"),
        ("/settings/", "Business settings"),
    ]:
        page.goto(server.url_for(tenant.host, path))
        expect(page.locator(".page-head h1")).to_contain_text(heading)
        screenshot(page, "page-" + (path.strip("/").replace("/", "-") or "dashboard"))
