"""The operator console on the public site: platform staff only; list, search, suspend, export."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tenants.models import Business, BusinessEvent, Domain
from tests.conftest import TenantFixture

OPS_EMAIL = "ops@tourdesk.example"
OPS_PASSWORD = "platform-operator-pass"


@pytest.fixture
def operator(db: None) -> Client:
    """A platform operator: a staff user of the PUBLIC schema, logged in on the public site."""
    get_user_model().objects.create_user(
        username=OPS_EMAIL, email=OPS_EMAIL, password=OPS_PASSWORD, is_staff=True
    )
    client = Client(HTTP_HOST="localhost")
    response = client.post("/accounts/login/", {"username": OPS_EMAIL, "password": OPS_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/operator/"
    return client


def test_anonymous_visitors_are_sent_to_the_operator_login(db: None) -> None:
    response = Client(HTTP_HOST="localhost").get("/operator/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/operator/"
    login = Client(HTTP_HOST="localhost").get("/accounts/login/")
    assert "<h1>Tourdesk operators</h1>" in login.content.decode()


def test_a_public_user_without_staff_is_refused(db: None) -> None:
    get_user_model().objects.create_user(username="user@x.example", password="pw-123-abc-xyz")
    client = Client(HTTP_HOST="localhost")
    client.post("/accounts/login/", {"username": "user@x.example", "password": "pw-123-abc-xyz"})
    response = client.get("/operator/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_business_owner_cannot_use_the_operator_console(tenant_a: TenantFixture) -> None:
    # the owner's account lives in the business's schema, not the public one
    client = Client(HTTP_HOST="localhost")
    response = client.post(
        "/accounts/login/", {"username": tenant_a.owner_email, "password": tenant_a.owner_password}
    )
    assert response.status_code == 200
    assert "Please enter a correct e-mail and password." in response.content.decode()
    assert client.get("/operator/").status_code == 302
    # and the console does not exist on a business's host
    assert tenant_a.owner_client().get("/operator/").status_code == 404


def test_the_console_lists_businesses_with_counts_and_the_pool_level(
    operator: Client, tenant_a: TenantFixture, tenant_b: TenantFixture
) -> None:
    with tenant_a.schema():
        get_user_model().objects.create_user(username="guide@alpha.example", is_staff=True)
    spares = Business.objects.filter(is_spare=True).count()
    response = operator.get("/operator/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<dd id="pool-level">{spares}</dd>' in body
    row_a = body.split(f'id="business-{tenant_a.business.pk}"')[1].split("</tr>")[0]
    assert "<strong>Alpha Tours</strong>" in row_a
    assert '<span class="status active">Active</span>' in row_a
    assert ">alpha.localhost</a>" in row_a
    assert '<td class="num">2</td>' in row_a  # owner + guide
    assert "t_alpha" in row_a
    assert "spare_" not in body


def test_search_filters_by_name_or_domain(
    operator: Client, tenant_a: TenantFixture, tenant_b: TenantFixture
) -> None:
    body = operator.get("/operator/", {"q": "BRAVO.local"}).content.decode()
    assert "Bravo Adventures" in body
    assert "Alpha Tours" not in body
    assert "1 shown matching “BRAVO.local”" in body
    empty = operator.get("/operator/", {"q": "zzz"}).content.decode()
    assert "No business matches “zzz”." in empty


def test_suspend_and_resume_from_the_console(operator: Client, tenant_a: TenantFixture) -> None:
    response = operator.post(f"/operator/{tenant_a.business.pk}/suspend")
    assert response.status_code == 302
    assert tenant_a.client().get("/accounts/login/").status_code == 403
    event = BusinessEvent.objects.filter(business=tenant_a.business).first()
    assert (event.kind, event.actor) == ("suspended", f"operator:{OPS_EMAIL}")
    page = operator.get("/operator/").content.decode()
    assert "Alpha Tours is suspended." in page
    assert '<span class="status suspended">Suspended</span>' in page
    operator.post(f"/operator/{tenant_a.business.pk}/resume")
    assert tenant_a.client().get("/accounts/login/").status_code == 200


def test_console_actions_need_post_and_staff(operator: Client, tenant_a: TenantFixture) -> None:
    assert operator.get(f"/operator/{tenant_a.business.pk}/suspend").status_code == 405
    anonymous = Client(HTTP_HOST="localhost")
    assert anonymous.post(f"/operator/{tenant_a.business.pk}/suspend").status_code == 302
    assert Business.objects.get(pk=tenant_a.business.pk).status == "active"


def test_an_operator_adds_a_domain(operator: Client, tenant_a: TenantFixture) -> None:
    operator.post(f"/operator/{tenant_a.business.pk}/domains", {"domain": "tours.alpha.example"})
    assert Domain.objects.get(domain="tours.alpha.example").tenant_id == tenant_a.business.pk
    page = operator.get("/operator/").content.decode()
    assert "tours.alpha.example now routes to Alpha Tours." in page
    operator.post(f"/operator/{tenant_a.business.pk}/domains", {"domain": "bad domain"})
    assert "Enter a valid host name" in operator.get("/operator/").content.decode()


def test_an_operator_exports_a_business(operator: Client, tenant_a: TenantFixture) -> None:
    response = operator.get(f"/operator/{tenant_a.business.pk}/export")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="t_alpha.json"'
    data = json.loads(response.content)
    assert data["format"] == "tourdesk-business-export"
    assert [u["username"] for u in data["tables"]["auth_user"]] == [tenant_a.owner_email]


def test_admin_lists_businesses_for_platform_superusers(tenant_a: TenantFixture) -> None:
    get_user_model().objects.create_superuser(username="root@x.example", password="root-pass-1234")
    client = Client(HTTP_HOST="localhost")
    client.login(username="root@x.example", password="root-pass-1234")
    body = client.get("/admin/tenants/business/").content.decode()
    assert "Alpha Tours" in body
    domains = client.get("/admin/tenants/domain/").content.decode()
    assert "alpha.localhost" in domains
