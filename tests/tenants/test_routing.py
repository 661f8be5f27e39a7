"""Host-header routing: known, upper-case, port, trailing dot, unknown, suspended, hostile."""

from __future__ import annotations

import pytest
from django.test import Client

from tenants.models import Business
from tests.conftest import TenantFixture


def test_known_host_routes_to_its_business(tenant_a: TenantFixture) -> None:
    # given a business's host, when an anonymous visitor asks for /
    response = tenant_a.client().get("/")
    # then they are sent to that business's login page, which names the business
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"
    login = tenant_a.client().get("/accounts/login/")
    assert login.status_code == 200
    assert "Log in to Alpha Tours" in login.content.decode()


@pytest.mark.parametrize(
    "host",
    ["ALPHA.LOCALHOST", "Alpha.Localhost:8000", "alpha.localhost.", "alpha.localhost.:8000"],
)
def test_host_matching_ignores_case_port_and_trailing_dot(
    tenant_a: TenantFixture, host: str
) -> None:
    response = Client(HTTP_HOST=host).get("/accounts/login/")
    assert response.status_code == 200
    assert "Log in to Alpha Tours" in response.content.decode()


def test_unknown_host_gets_a_plain_404_that_names_no_business(
    tenant_a: TenantFixture, tenant_b: TenantFixture
) -> None:
    response = Client(HTTP_HOST="charlie.localhost").get("/accounts/login/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "There is nothing at this address." in body
    for leak in ("Alpha", "Bravo", "alpha", "bravo", "charlie", "Log in"):
        assert leak not in body


def test_suspended_business_gets_a_403_suspended_page(tenant_a: TenantFixture) -> None:
    # given a suspended business
    Business.objects.filter(pk=tenant_a.business.pk).update(status=Business.Status.SUSPENDED)
    tenant_a.business.refresh_from_db()
    tenant_a.business.save()  # a save is what clears the routing cache
    # when its login page is requested
    response = tenant_a.client().get("/accounts/login/")
    # then it gets the suspended page, not the login form
    assert response.status_code == 403
    body = response.content.decode()
    assert "Alpha Tours is not taking bookings" in body
    assert "password" not in body


def test_suspension_takes_effect_although_the_route_was_cached(tenant_a: TenantFixture) -> None:
    # given the route is cached by a first request
    assert tenant_a.client().get("/accounts/login/").status_code == 200
    # when the business is suspended through the model (as services do)
    tenant_a.business.status = Business.Status.SUSPENDED
    tenant_a.business.save()
    # then the very next request sees it
    assert tenant_a.client().get("/accounts/login/").status_code == 403
    tenant_a.business.status = Business.Status.ACTIVE
    tenant_a.business.save()
    assert tenant_a.client().get("/accounts/login/").status_code == 200


@pytest.mark.parametrize(
    "host",
    ["evil.com/../x", "a b.localhost", "<script>.localhost", "alpha.localhost:notaport", "x" * 300],
)
def test_hostile_host_headers_get_a_4xx(tenant_a: TenantFixture, host: str) -> None:
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code in (400, 404)
    assert b"Alpha" not in response.content


def test_public_site_shows_the_landing_page(db: None) -> None:
    response = Client(HTTP_HOST="localhost:8000").get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "open-source, self-hostable booking software" in body
    assert 'href="/signup/"' in body


def test_www_of_the_base_domain_is_the_public_site(db: None) -> None:
    response = Client(HTTP_HOST="www.localhost").get("/")
    assert response.status_code == 200
    assert "Sign up your business" in response.content.decode()


def test_spare_schema_is_not_routable(tenant_a: TenantFixture) -> None:
    Business.objects.filter(pk=tenant_a.business.pk).update(is_spare=True)
    tenant_a.business.refresh_from_db()
    tenant_a.business.save()
    assert tenant_a.client().get("/accounts/login/").status_code == 404
