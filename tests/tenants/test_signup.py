"""The sign-up page: live availability, field errors, provisioning progress, login link, limits."""

from __future__ import annotations

import json
import re

import pytest
from django.core import signing
from django.test import Client, override_settings

from tenants.models import Business, Domain, LoginLinkUse, SignupAttempt
from tenants.services import LoginLinkRefused, login_link_create, login_link_redeem
from tests.conftest import TenantFixture
from tests.tenants.conftest import schemas

DATASTAR = {"HTTP_DATASTAR_REQUEST": "true"}
VALID = {
    "name": "Porto River Cruises",
    "subdomain": "PortoCruises",
    "owner_name": "Ana Ribeiro",
    "email": "Ana@PortoCruises.example",
    "password": "river-boats-at-dawn",
    "time_zone": "Europe/Lisbon",
}


def public() -> Client:
    return Client(HTTP_HOST="localhost:8000")


def stream(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    return b"".join(response.streaming_content).decode()


def availability(raw: object) -> str:
    response = public().get(
        "/signup/availability", {"datastar": json.dumps({"subdomain": raw})}, **DATASTAR
    )
    return stream(response)


def state() -> tuple[int, int, int, int]:
    return (
        Business.objects.count(),
        Domain.objects.count(),
        len(schemas("")),
        LoginLinkUse.objects.count(),
    )


def test_signup_page_is_a_datastar_form(db: None) -> None:
    response = public().get("/signup/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h2>Create your Tourdesk</h2>" in body
    assert "data-bind:subdomain" in body
    assert "data-on:input__debounce.300ms=\"@get('/signup/availability')\"" in body
    assert "@post('/signup/submit', {contentType: 'form'})" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "Intl.DateTimeFormat().resolvedOptions().timeZone" in body
    assert '<option value="Europe/Lisbon">Europe/Lisbon</option>' in body
    assert '<span class="suffix">.localhost</span>' in body


@pytest.mark.parametrize(
    ("raw", "kind", "message"),
    [
        ("fresh-name", "available", "fresh-name.localhost is available."),
        ("Fresh-Name", "available", "fresh-name.localhost is available."),
        ("alpha", "taken", "“alpha” is already taken."),
        ("ALPHA", "taken", "“alpha” is already taken."),
        ("admin", "reserved", "“admin” is reserved."),
        ("ADMIN", "reserved", "“admin” is reserved."),
        ("xn--80ak6aa92e", "reserved", "“xn--80ak6aa92e” is reserved."),
        ("spare-1", "reserved", "“spare-1” is reserved."),
        ("../x", "invalid", "A subdomain is 1 to 60 letters"),
        ("a" * 64, "invalid", "A subdomain is 1 to 60 letters"),
        ("-edge", "invalid", "A subdomain is 1 to 60 letters"),
        ("under_score", "invalid", "A subdomain is 1 to 60 letters"),
    ],
)
def test_availability_says_which_case_and_why(
    tenant_a: TenantFixture, raw: str, kind: str, message: str
) -> None:
    body = availability(raw)
    assert f'class="availability {kind}"' in body
    assert message in body


def test_availability_escapes_what_it_echoes(db: None) -> None:
    body = availability("<script>alert(1)</script>")
    assert "<script>alert" not in body
    assert 'class="availability invalid"' in body


def test_availability_of_an_empty_field_is_blank(db: None) -> None:
    body = availability("  ")
    assert '<p id="subdomain-status" class="availability idle" aria-live="polite"></p>' in body


@pytest.mark.parametrize("raw", [123, ["alpha"], {"x": 1}, None, "a" * 10_000])
def test_availability_with_wrong_types_says_invalid(db: None, raw: object) -> None:
    body = availability(raw)
    assert 'class="availability invalid"' in body
    assert "A subdomain is a short run of letters and digits." in body


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"datastar": "{not json"}, DATASTAR),
        ({"datastar": "[1, 2]"}, DATASTAR),
        ({"datastar": json.dumps({"subdomain": "x"})}, {}),  # not a Datastar request
        ({}, DATASTAR),
    ],
)
def test_availability_rejects_malformed_signals_with_400(db: None, params, headers) -> None:
    response = public().get("/signup/availability", params, **headers)
    assert response.status_code == 400


def test_field_errors_come_back_next_to_the_fields_and_nothing_is_created(
    tenant_a: TenantFixture,
) -> None:
    before = state()
    data = {
        **VALID,
        "name": " ",
        "subdomain": "../x",
        "email": "nope",
        "password": "12345678",
        "time_zone": "Mars/Base",
    }
    body = stream(public().post("/signup/submit", data, **DATASTAR))
    assert '<p class="field-error" id="error-name">This field is required.</p>' in body
    assert "A subdomain is 1 to 60 letters" in body
    assert '<p class="field-error" id="error-email">Enter a valid email address.</p>' in body
    assert "This password is too common." in body
    assert "Select a valid choice. Mars/Base is not one of the available choices." in body
    assert '<p class="field-error" id="error-owner_name"></p>' in body  # cleared
    assert "window.location" not in body
    assert state() == before


def test_a_taken_subdomain_or_a_password_like_the_email_is_refused(tenant_a: TenantFixture) -> None:
    before = state()
    data = {
        **VALID,
        "subdomain": "ALPHA",
        "owner_name": "Ana Costa",
        "email": "riverboats@x.example",
        "password": "riverboats",
    }
    body = stream(public().post("/signup/submit", data, **DATASTAR))
    assert '<p class="field-error" id="error-subdomain">“alpha” is already taken.</p>' in body
    assert "The password is too similar to the email address." in body
    assert state() == before


def test_an_oversized_body_gets_a_400_and_creates_nothing(db: None) -> None:
    before = state()
    data = {**VALID, "name": "x" * 300_000}
    response = public().post("/signup/submit", data, **DATASTAR)
    assert response.status_code == 400
    assert state() == before


@override_settings(SIGNUP_RATE_LIMIT=2)
def test_signups_are_rate_limited_per_client_address(db: None) -> None:
    bad = {**VALID, "email": "nope"}
    for _ in range(2):
        body = stream(public().post("/signup/submit", bad, REMOTE_ADDR="203.0.113.9", **DATASTAR))
        assert "Too many" not in body
    before = state()
    body = stream(public().post("/signup/submit", VALID, REMOTE_ADDR="203.0.113.9", **DATASTAR))
    assert "Too many sign-up attempts from your network. Please try again in 60 minutes." in body
    assert state() == before
    # another address is not limited
    other = stream(public().post("/signup/submit", bad, REMOTE_ADDR="198.51.100.7", **DATASTAR))
    assert "Too many" not in other
    assert SignupAttempt.objects.filter(client_address="203.0.113.9").count() == 2


def test_signup_streams_the_steps_and_ends_logged_in_on_the_new_subdomain(
    spare_pool,
    cleanup,
) -> None:
    # given a warm pool
    spare_pool(1)
    cleanup.append("portocruises")
    # when the form is submitted
    body = stream(public().post("/signup/submit", VALID, **DATASTAR))
    # then the steps were streamed in order, each marked done
    order = [m for m in re.findall(r'id="step-(\w+)" class="step (\w+)"', body)]
    assert order == [
        ("check", "done"),
        ("schema", "active"),
        ("schema", "done"),
        ("domain", "active"),
        ("domain", "done"),
        ("owner", "active"),
        ("owner", "done"),
        ("go", "done"),
    ]
    assert "Ready! Taking you to portocruises.localhost…" in body
    business = Business.objects.get(schema_name="t_portocruises")
    assert (business.name, business.time_zone) == ("Porto River Cruises", "Europe/Lisbon")
    assert business.events.get(kind="provisioned").detail["path"] == "pool"
    # and the browser is sent to a login link on the new host
    link = re.search(r"window.location = '([^']+)'", body)
    assert link is not None
    match = re.fullmatch(r"http://portocruises\.localhost(:\d+)?(/accounts/magic/[^/]+/)", link[1])
    assert match is not None
    owner = Client(HTTP_HOST="portocruises.localhost")
    response = owner.get(match[2])
    assert response.status_code == 302
    assert response["Location"] == "/"
    dashboard = owner.get("/")
    assert dashboard.status_code == 200
    page = dashboard.content.decode()
    assert "<h1>Porto River Cruises</h1>" in page
    assert '<span class="who">ana@portocruises.example</span>' in page
    # and the same link cannot be used twice
    again = Client(HTTP_HOST="portocruises.localhost").get(match[2])
    assert again.status_code == 403
    assert "This sign-in link has been used already." in again.content.decode()


def test_a_login_link_is_refused_when_expired(tenant_a: TenantFixture, monkeypatch) -> None:
    uses = LoginLinkUse.objects.count()
    link = login_link_create(business=tenant_a.business, email=tenant_a.owner_email)
    path = link.split("localhost", 1)[1].lstrip(":0123456789")
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 121)
    response = tenant_a.client().get(path)
    assert response.status_code == 403
    assert "This sign-in link has expired." in response.content.decode()
    assert LoginLinkUse.objects.count() == uses
    assert tenant_a.client().get("/").status_code == 302  # still logged out


def test_a_login_link_just_inside_two_minutes_works(tenant_a: TenantFixture, monkeypatch) -> None:
    link = login_link_create(business=tenant_a.business, email=tenant_a.owner_email)
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 115)
    token = link.rstrip("/").rsplit("/", 1)[1]
    user = login_link_redeem(business=tenant_a.business, token=token)
    assert user.get_username() == tenant_a.owner_email


def test_a_tampered_login_link_is_refused(tenant_a: TenantFixture) -> None:
    uses = LoginLinkUse.objects.count()
    link = login_link_create(business=tenant_a.business, email=tenant_a.owner_email)
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    client = tenant_a.client()
    response = client.get(f"/accounts/magic/{tampered}/")
    assert response.status_code == 403
    assert "This sign-in link is not valid." in response.content.decode()
    assert client.get("/").status_code == 302
    forged = signing.dumps({"s": "t_alpha", "e": tenant_a.owner_email, "n": "x"}, salt="other")
    with pytest.raises(LoginLinkRefused, match="not valid"):
        login_link_redeem(business=tenant_a.business, token=forged)
    assert LoginLinkUse.objects.count() == uses


def test_a_login_link_for_one_business_is_refused_on_another(
    tenant_a: TenantFixture, tenant_b: TenantFixture
) -> None:
    link = login_link_create(business=tenant_a.business, email=tenant_a.owner_email)
    token = link.rstrip("/").rsplit("/", 1)[1]
    client = tenant_b.client()
    response = client.get(f"/accounts/magic/{token}/")
    assert response.status_code == 403
    assert client.get("/").status_code == 302
    # and it still works once where it belongs
    assert tenant_a.client().get(f"/accounts/magic/{token}/").status_code == 302


@pytest.mark.parametrize(
    ("trust", "forwarded", "expected"),
    [
        (False, "198.51.100.1, 203.0.113.50", "127.0.0.1"),
        (True, "198.51.100.1, 203.0.113.50", "203.0.113.50"),
        (True, "not-an-ip", "127.0.0.1"),
    ],
)
def test_the_rate_limit_counts_the_right_client_address(
    db: None, trust: bool, forwarded: str, expected: str
) -> None:
    before = SignupAttempt.objects.filter(client_address=expected).count()
    total = SignupAttempt.objects.count()
    with override_settings(SIGNUP_TRUST_X_FORWARDED_FOR=trust):
        stream(
            public().post(
                "/signup/submit", {"email": "x"}, HTTP_X_FORWARDED_FOR=forwarded, **DATASTAR
            )
        )
    assert SignupAttempt.objects.filter(client_address=expected).count() == before + 1
    assert SignupAttempt.objects.count() == total + 1
