"""In Chromium: a customer books on the public page, the seats left go down, and staff see the
booking on the departure's manifest and check the customer in (screenshots in artifacts/)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.conftest import TenantFixture, _provision
from tests.e2e.conftest import screenshot
from tests.live import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@dataclass(frozen=True)
class Scene:
    tenant: TenantFixture
    event_id: int


@pytest.fixture(scope="session")
def booking_scene(django_db_setup, django_db_blocker) -> Iterator[Scene]:
    """A business with a departure of 6 seats, 2 already booked; committed for the live server."""
    from bookings import services as booking_services
    from bookings.services import ClientDetails
    from tours import services

    with django_db_blocker.unblock():
        tenant = _provision("livebook", "Lisbon Boat Trips")
        with tenant.schema():
            tour = services.tour_create(
                actor="e2e",
                name="Tagus Sunset Cruise",
                description="Ninety minutes on the river as the sun goes down.",
                duration_minutes=90,
                price="35.00",  # type: ignore[arg-type]
                default_capacity=6,
            )
            from tests.tours.conftest import future_start

            event = services.tour_event_schedule(
                actor="e2e", tour=tour, starts_at=future_start(days=4, hour=18, minute=30)
            )
            services.tour_event_schedule(
                actor="e2e", tour=tour, starts_at=future_start(days=5, hour=18, minute=30)
            )
            booking_services.booking_create(
                actor="e2e",
                event=event,
                client=ClientDetails(name="Rui Santos", email="rui@example.com"),
                participants=2,
                status="confirmed",  # type: ignore[arg-type]
            )
    yield Scene(tenant, event.pk)


def test_customer_books_and_staff_see_them_on_the_manifest(
    live_server_process: LiveServer, booking_scene: Scene, page
) -> None:
    from playwright.sync_api import expect

    server, tenant, event_id = live_server_process, booking_scene.tenant, booking_scene.event_id
    seats = f"#seats-left-{event_id}"

    # given a customer on the public page (no login): 4 of 6 seats left
    page.goto(server.url_for(tenant.host, "/book/"))
    expect(page.locator(seats)).to_have_text("4 seats left")
    screenshot(page, "book-index")

    # when they pick the departure and book 3 seats
    page.click(f"#departure-{event_id} a")
    expect(page.locator("#public-booking-form")).to_be_visible()
    page.evaluate("window.__marker = 'same-page'")
    page.fill("#f-name", "Joana Pereira")
    page.fill("#f-email", "joana@example.com")
    page.fill("#f-participants", "3")
    page.click("#public-booking-form button[type=submit]")

    # then the confirmation with a reference replaces the form, without a reload,
    # and the seats left on the page go down
    reference = page.locator("#booking-reference")
    expect(reference).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    expect(page.locator(seats)).to_have_text("1 seat left")
    assert page.evaluate("window.__marker") == "same-page"
    code = reference.inner_text()
    screenshot(page, "book-confirmation")

    # and asking for more seats than are left gives a clear error, not an error page
    page.goto(server.url_for(tenant.host, f"/book/{event_id}/"))
    page.fill("#f-name", "Late Comer")
    page.fill("#f-email", "late@example.com")
    page.fill("#f-participants", "2")
    page.click("#public-booking-form button[type=submit]")
    expect(page.locator("#form-errors li")).to_have_text(
        "Participants: Only 1 seat left on this departure."
    )
    screenshot(page, "book-error")

    # and the public listing shows the new count
    page.goto(server.url_for(tenant.host, "/book/"))
    expect(page.locator(seats)).to_have_text("1 seat left")

    # when staff open the departure's manifest
    page.goto(server.url_for(tenant.host, f"/accounts/login/?next=/events/{event_id}/manifest/"))
    page.fill("input[name=username]", tenant.owner_email)
    page.fill("input[name=password]", tenant.owner_password)
    page.click("button[type=submit]")
    # then the customer is on it, pending (the business confirms public bookings by hand)
    row = page.locator("tr", has_text="Joana Pereira")
    expect(row).to_contain_text(code)
    expect(row).to_contain_text("Pending")
    expect(page.locator("#manifest-summary")).to_have_text(
        "0 of 5 people checked in · 2 bookings · 1 seat left of 6"
    )
    # and checking in the confirmed guest updates the manifest in place
    page.locator("tr", has_text="Rui Santos").locator("button.tick").click()
    expect(page.locator("#manifest-summary")).to_have_text(
        "2 of 5 people checked in · 2 bookings · 1 seat left of 6"
    )
    expect(page.locator("tr", has_text="Rui Santos")).to_contain_text("Checked in")
    screenshot(page, "manifest")
