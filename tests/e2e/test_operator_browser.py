"""In Chromium: a platform operator logs in on the public site, suspends and resumes a business."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import TenantFixture
from tests.e2e.conftest import screenshot
from tests.live import LiveServer, request
from tests.tenants.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

OPS = ("ops-browser@tourdesk.example", "platform-operator-pass")


def test_operator_suspends_and_resumes_a_business(
    live_server_process: LiveServer,
    live_tenant: TenantFixture,
    page,
) -> None:
    from playwright.sync_api import expect

    committed(
        lambda: get_user_model().objects.create_user(
            username=OPS[0], email=OPS[0], password=OPS[1], is_staff=True
        )
    )
    try:
        page.goto(live_server_process.url_for("localhost", "/operator/"))
        expect(page.locator("h1")).to_have_text("Tourdesk operators")
        page.fill("input[name=username]", OPS[0])
        page.fill("input[name=password]", OPS[1])
        page.click("button[type=submit]")
        expect(page.locator(".console-head h1")).to_have_text("Businesses")
        row = page.locator(f"#business-{live_tenant.business.pk}")
        expect(row.locator(".status")).to_have_text("Active")

        row.get_by_role("button", name="Suspend").click()
        expect(page.locator(".messages")).to_have_text("Live Tours is suspended.")
        expect(row.locator(".status")).to_have_text("Suspended")
        status, _headers, _body = request(live_server_process, live_tenant.host, "/accounts/login/")
        assert status == 403
        screenshot(page, "operator-console")

        row.get_by_role("button", name="Resume").click()
        expect(row.locator(".status")).to_have_text("Active")
        status, _headers, _body = request(live_server_process, live_tenant.host, "/accounts/login/")
        assert status == 200
    finally:
        committed(lambda: get_user_model().objects.filter(username=OPS[0]).delete())
