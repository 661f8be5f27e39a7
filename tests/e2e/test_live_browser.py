"""In Chromium, two pages open on one address (pages and streams as `make run` serves them):
a booking made on the public page shows on the staff manifest and dashboard without a reload,
and the seats left drop on another customer's /book/ page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import TenantFixture, _provision
from tests.e2e.conftest import LiveSite, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@dataclass(frozen=True)
class Scene:
    tenant: TenantFixture
    event_id: int


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker) -> Scene:
    from tests.tours.conftest import future_start
    from tours import services

    with django_db_blocker.unblock():
        tenant = _provision("livepush", "Porto Food Walks")
        with tenant.schema():
            tour = services.tour_create(
                actor="e2e",
                name="Ribeira Food Walk",
                duration_minutes=150,
                price="45.00",  # type: ignore[arg-type]
                default_capacity=8,
            )
            event = services.tour_event_schedule(
                actor="e2e", tour=tour, starts_at=future_start(days=3, hour=11, minute=0)
            )
    return Scene(tenant, event.pk)


def log_in(page, site: LiveSite, tenant: TenantFixture, next_path: str) -> None:
    page.goto(site.url_for(tenant.host, f"/accounts/login/?next={next_path}"))
    page.fill("input[name=username]", tenant.owner_email)
    page.fill("input[name=password]", tenant.owner_password)
    page.click("button[type=submit]")


def test_a_booking_made_in_one_page_shows_in_the_others_without_a_reload(
    live_site: LiveSite,
    scene: Scene,
    browser,
) -> None:
    from playwright.sync_api import expect

    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    watcher = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    customer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        # given staff on the departure's manifest and a customer watching /book/
        log_in(staff, live_site, scene.tenant, f"/events/{scene.event_id}/manifest/")
        expect(staff.locator("#manifest-table")).to_contain_text("Nobody has booked")
        staff.evaluate("window.__marker = 'no-reload'")
        watcher.goto(live_site.url_for(scene.tenant.host, "/book/"))
        badge = watcher.locator(f"#seats-left-{scene.event_id}")
        expect(badge).to_have_text("8 seats left")
        watcher.evaluate("window.__marker = 'no-reload'")
        watcher.wait_for_timeout(500)  # let both streams open

        # when another customer books 3 seats on the public page
        customer.goto(live_site.url_for(scene.tenant.host, f"/book/{scene.event_id}/"))
        customer.fill("#f-name", "Inês Moreira")
        customer.fill("#f-email", "ines@example.com")
        customer.fill("#f-participants", "3")
        customer.click("#public-booking-form button[type=submit]")
        expect(customer.locator("#booking-form-container")).to_contain_text("reference")

        # then the staff manifest shows her, and the watcher's seats drop, with no reload
        expect(staff.locator("#manifest-table")).to_contain_text("Inês Moreira", timeout=5000)
        expect(staff.locator("#manifest-summary")).to_contain_text("5 seats left of 8")
        expect(badge).to_have_text("5 seats left", timeout=5000)
        assert staff.evaluate("window.__marker") == "no-reload"
        assert watcher.evaluate("window.__marker") == "no-reload"
        screenshot(staff, "live-manifest")
        screenshot(watcher, "live-book-index")
    finally:
        for page in (staff, watcher, customer):
            page.context.close()
