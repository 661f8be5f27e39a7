"""In Chromium: sign up on the public site and land logged in on the new subdomain."""

from __future__ import annotations

import re

import pytest

from tenants.selectors import schema_pool_level
from tenants.services import schema_pool_fill
from tests.e2e.conftest import screenshot
from tests.live import LiveServer
from tests.tenants.conftest import committed, delete_committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_sign_up_and_land_logged_in_on_the_new_subdomain(
    live_server_process: LiveServer,
    live_tenant,
    page,
) -> None:
    from playwright.sync_api import expect

    # given a warm pool the server can claim from (committed: the server cannot see this test)
    committed(schema_pool_fill, size=max(1, schema_pool_level()), actor="tests")
    try:
        page.goto(live_server_process.url_for("localhost", "/signup/"))
        expect(page.locator("h2")).to_have_text("Create your Tourdesk")
        # the time zone defaults to the browser's
        expect(page.locator("#id_time_zone")).to_have_value(
            page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
        )

        # when a taken subdomain is typed, the page says so live
        page.fill("#id_subdomain", "livetours")
        expect(page.locator("#subdomain-status")).to_have_text("“livetours” is already taken.")
        expect(page.locator("#subdomain-status")).to_have_class(re.compile(r"\btaken\b"))
        # and when a free one is typed, that it is available
        page.fill("#id_subdomain", "HarbourKayaks")
        expect(page.locator("#subdomain-status")).to_have_text(
            "harbourkayaks.localhost is available."
        )
        expect(page.locator("#subdomain-status")).to_have_class(re.compile(r"\bavailable\b"))

        page.fill("#id_name", "Harbour Kayaks")
        page.fill("#id_owner_name", "Joana Pires")
        page.fill("#id_email", "joana@harbourkayaks.example")
        # a weak password comes back as an error next to the field, nothing is created
        page.fill("#id_password", "12345678")
        page.select_option("#id_time_zone", "Europe/Lisbon")
        page.click("#signup-button")
        expect(page.locator("#error-password")).to_contain_text("This password is too common.")
        screenshot(page, "signup-errors")

        # when a good password is given and the form submitted
        page.fill("#id_password", "paddles-in-the-bay")
        page.click("#signup-button")

        # then the browser lands, logged in, on the new business's dashboard
        page.wait_for_url(re.compile(r"^http://harbourkayaks\.localhost:\d+/$"), timeout=20_000)
        expect(page.locator(".page-head h1")).to_have_text("Harbour Kayaks")
        expect(page.locator(".who")).to_have_text("joana@harbourkayaks.example")
        expect(page.locator("#staff-accounts")).to_have_text("1")
        screenshot(page, "signup-landed-dashboard")
    finally:
        delete_committed("harbourkayaks")
