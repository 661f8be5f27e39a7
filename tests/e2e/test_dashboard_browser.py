"""In Chromium: log in on a business's subdomain, see its dashboard, refresh it via Datastar."""

from __future__ import annotations

import re

import pytest

from tests.conftest import TenantFixture
from tests.e2e.conftest import screenshot
from tests.live import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_owner_logs_in_and_refreshes_the_dashboard(
    live_server_process: LiveServer,
    live_tenant: TenantFixture,
    page,
) -> None:
    from playwright.sync_api import expect

    # given the business's subdomain, opened in a real browser (*.localhost is loopback)
    page.goto(live_server_process.url_for(live_tenant.host, "/"))
    # then an anonymous visitor lands on the login page of that business
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("h1")).to_have_text("Log in to Live Tours")

    # when the owner logs in
    page.fill("input[name=username]", live_tenant.owner_email.upper())
    page.fill("input[name=password]", live_tenant.owner_password)
    page.click("button[type=submit]")

    # then the dashboard shows the business and today's figures
    expect(page.locator(".page-head h1")).to_have_text("Live Tours")
    expect(page.locator("#staff-accounts")).to_have_text("1")
    first_stamp = page.locator("#as-of").inner_text()

    # when the Datastar refresh button is clicked, the panel is patched in place (no reload)
    page.evaluate("window.__marker = 'same-page'")
    page.wait_for_timeout(1100)  # so that the seconds in the stamp change
    page.click("#today button")
    expect(page.locator("#as-of")).not_to_have_text(first_stamp)
    assert page.evaluate("window.__marker") == "same-page"
    screenshot(page, "dashboard")


def test_wrong_password_shows_an_error_and_stays_logged_out(
    live_server_process: LiveServer,
    live_tenant: TenantFixture,
    page,
) -> None:
    from playwright.sync_api import expect

    page.goto(live_server_process.url_for(live_tenant.host, "/accounts/login/"))
    page.fill("input[name=username]", live_tenant.owner_email)
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    expect(page.locator(".errors")).to_contain_text("Please enter a correct e-mail")
    page.goto(live_server_process.url_for(live_tenant.host, "/"))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
