"""Fixtures: businesses with their own schemas, clients that speak to a host, a logged-in owner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from saas.routing import clear_routing_cache
from tenants.models import Business
from tenants.services import business_provision

OWNER_PASSWORD = "correct-horse-battery"


@dataclass(frozen=True)
class TenantFixture:
    business: Business
    subdomain: str
    host: str
    owner_email: str
    owner_password: str

    def client(self) -> Client:
        return Client(HTTP_HOST=self.host)

    def owner_client(self) -> Client:
        client = self.client()
        response = client.post(
            "/accounts/login/", {"username": self.owner_email, "password": self.owner_password}
        )
        assert response.status_code == 302, response.content
        return client

    def schema(self):
        return schema_context(self.business.schema_name)


def _provision(subdomain: str, name: str) -> TenantFixture:
    # pytest-django only creates the test database for runs that hold a django_db test; never let
    # a fixture write into the development database instead.
    assert connection.settings_dict["NAME"].startswith("test_"), "mark the test django_db"
    result = business_provision(
        name=name,
        subdomain=subdomain,
        owner_email=f"owner@{subdomain}.example",
        owner_password=OWNER_PASSWORD,
        time_zone="Europe/Lisbon",
        actor="tests",
    )
    return TenantFixture(
        business=result.business,
        subdomain=subdomain,
        host=f"{subdomain}.{settings.SAAS_BASE_DOMAIN}",
        owner_email=result.owner_email,
        owner_password=OWNER_PASSWORD,
    )


@pytest.fixture(scope="session")
def tenants_setup(django_db_setup, django_db_blocker) -> dict[str, TenantFixture]:
    """Two businesses, committed once per test session (migrating a schema takes seconds).

    Tests still run inside a transaction that is rolled back, so what a test writes in these
    schemas is gone before the next test.
    """
    with django_db_blocker.unblock():
        return {
            "a": _provision("alpha", "Alpha Tours"),
            "b": _provision("bravo", "Bravo Adventures"),
        }


@pytest.fixture
def tenant_a(tenants_setup: dict[str, TenantFixture], db: None) -> TenantFixture:
    return tenants_setup["a"]


@pytest.fixture
def tenant_b(tenants_setup: dict[str, TenantFixture], db: None) -> TenantFixture:
    return tenants_setup["b"]


@pytest.fixture(autouse=True)
def _fresh_routing_state() -> Iterator[None]:
    """Each test starts on the public schema with an empty routing cache."""
    clear_routing_cache()
    yield
    clear_routing_cache()
    connection.set_schema_to_public()
