"""Per-tenant staff login: users and sessions live in each business's own schema."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from tests.conftest import TenantFixture


def test_owner_logs_in_with_email_case_insensitively_and_sees_the_dashboard(
    tenant_a: TenantFixture,
) -> None:
    client = tenant_a.client()
    response = client.post(
        "/accounts/login/",
        {"username": tenant_a.owner_email.upper(), "password": tenant_a.owner_password},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    body = dashboard.content.decode()
    assert "<h1>Alpha Tours</h1>" in body
    assert '<dd id="staff-accounts">1</dd>' in body
    assert "Europe/Lisbon" in body


def test_wrong_password_is_refused_with_a_message(tenant_a: TenantFixture) -> None:
    client = tenant_a.client()
    response = client.post(
        "/accounts/login/", {"username": tenant_a.owner_email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "Please enter a correct e-mail and password." in response.content.decode()
    assert client.get("/").status_code == 302


def test_owner_of_a_cannot_log_in_on_b(tenant_a: TenantFixture, tenant_b: TenantFixture) -> None:
    # given A's owner credentials, when used on B's host
    response = tenant_b.client().post(
        "/accounts/login/",
        {"username": tenant_a.owner_email, "password": tenant_a.owner_password},
    )
    # then B does not know that user
    assert response.status_code == 200
    assert "Please enter a correct e-mail and password." in response.content.decode()
    with tenant_b.schema():
        assert list(get_user_model().objects.values_list("username", flat=True)) == [
            tenant_b.owner_email
        ]
        assert Session.objects.count() == 0


def test_session_cookie_of_a_replayed_on_b_is_not_authenticated(
    tenant_a: TenantFixture, tenant_b: TenantFixture
) -> None:
    # given an owner logged in on A (user id 1 in A's schema; B's owner is user id 1 too)
    client_a = tenant_a.owner_client()
    session_key = client_a.cookies["sessionid"].value
    with tenant_a.schema():
        assert Session.objects.filter(session_key=session_key).exists()
    # when the same cookie is sent to B
    client_b = tenant_b.client()
    client_b.cookies["sessionid"] = session_key
    response = client_b.get("/")
    # then B treats the visitor as anonymous and never learns of A's session
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"
    with tenant_b.schema():
        assert not Session.objects.filter(session_key=session_key).exists()


def test_session_cookie_is_host_only(tenant_a: TenantFixture) -> None:
    client = tenant_a.owner_client()
    cookie = client.cookies["sessionid"]
    assert cookie["domain"] == ""
    assert cookie["httponly"] is True


def test_logout_ends_the_session(tenant_a: TenantFixture) -> None:
    client = tenant_a.owner_client()
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    with tenant_a.schema():
        assert Session.objects.count() == 0


def test_dashboard_refresh_answers_with_a_datastar_patch(tenant_a: TenantFixture) -> None:
    client = tenant_a.owner_client()
    response = client.get("/dashboard/today", HTTP_DATASTAR_REQUEST="true")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    stream = b"".join(response.streaming_content).decode()
    lines = [line for line in stream.splitlines() if line]
    assert lines[0] == "event: datastar-patch-elements"
    html = "\n".join(line.removeprefix("data: elements ") for line in lines[1:])
    assert '<section id="today"' in html
    assert '<dd id="staff-accounts">1</dd>' in html


def test_dashboard_refresh_requires_login(tenant_a: TenantFixture) -> None:
    response = tenant_a.client().get("/dashboard/today")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
