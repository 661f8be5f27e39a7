"""Team (owner adds and removes staff) and business settings (owner only)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from tenants.models import Business, BusinessEvent
from tests.conftest import TenantFixture
from tests.tours.conftest import make_tour
from tours import services
from tours.models import AuditEntry, Tour

STAFF_PASSWORD = "river-boat-lantern-42"


def staff_client(fixture: TenantFixture, email: str = "maria@alpha.example") -> Client:
    with fixture.schema():
        services.staff_add(actor="tests", email=email, password=STAFF_PASSWORD)
    client = fixture.client()
    response = client.post("/accounts/login/", {"username": email, "password": STAFF_PASSWORD})
    assert response.status_code == 302
    return client


def test_owner_adds_a_staff_account_who_can_log_in(tenant_a: TenantFixture) -> None:
    owner = tenant_a.owner_client()
    response = owner.post(
        "/team/",
        {
            "email": "Maria@Alpha.Example",
            "first_name": "Maria",
            "last_name": "Costa",
            "password": STAFF_PASSWORD,
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/team/")
    with tenant_a.schema():
        user = get_user_model().objects.get(username="maria@alpha.example")
        assert (user.is_staff, user.is_superuser, user.is_active) == (True, False, True)
        assert AuditEntry.objects.get(action="staff.added").actor == tenant_a.owner_email
    login = tenant_a.client().post(
        "/accounts/login/", {"username": "maria@alpha.example", "password": STAFF_PASSWORD}
    )
    assert login.status_code == 302
    page = owner.get("/team/")
    assert [m.email for m in page.context["members"]] == [
        tenant_a.owner_email,
        "maria@alpha.example",
    ]


def test_adding_a_weak_password_or_a_duplicate_is_refused(tenant_a: TenantFixture) -> None:
    owner = tenant_a.owner_client()
    weak = owner.post("/team/", {"email": "tom@alpha.example", "password": "123"})
    assert weak.status_code == 200
    assert (
        "This password is too short. It must contain at least 8 characters."
        in (weak.context["form"].errors["password"])
    )
    dup = owner.post("/team/", {"email": tenant_a.owner_email, "password": STAFF_PASSWORD})
    assert dup.context["form"].errors["email"] == ["This person already has an account here."]
    with tenant_a.schema():
        assert get_user_model().objects.count() == 1


def test_removed_staff_can_no_longer_use_their_session(tenant_a: TenantFixture) -> None:
    maria = staff_client(tenant_a)
    assert maria.get("/tours/").status_code == 200
    with tenant_a.schema():
        user = get_user_model().objects.get(username="maria@alpha.example")
    response = tenant_a.owner_client().post(f"/team/{user.pk}/remove")
    assert response.status_code == 302
    assert maria.get("/tours/").status_code == 302  # back to the login page
    with tenant_a.schema():
        user.refresh_from_db()
        assert user.is_active is False
        assert get_user_model().objects.filter(is_active=True).count() == 1


def test_owner_cannot_be_removed(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        owner_user = get_user_model().objects.get(username=tenant_a.owner_email)
        with pytest.raises(ValidationError, match="The owner's account cannot be removed"):
            services.staff_remove(actor="tests", user=owner_user)


def test_staff_manage_tours_but_not_the_team_or_settings(tenant_a: TenantFixture) -> None:
    maria = staff_client(tenant_a)
    # tours and departures: yes
    created = maria.post(
        "/tours/new",
        {"name": "Tram Ride", "duration_minutes": "45", "price": "9", "default_capacity": "20"},
    )
    assert created.status_code == 302
    # team and settings: no, and nothing changes
    assert maria.get("/team/").status_code == 403
    assert (
        maria.post("/team/", {"email": "x@y.example", "password": STAFF_PASSWORD}).status_code
        == 403
    )
    assert maria.get("/settings/").status_code == 403
    settings_post = maria.post(
        "/settings/", {"name": "Pwned", "time_zone": "UTC", "currency": "USD"}
    )
    assert settings_post.status_code == 403
    assert Business.objects.get(pk=tenant_a.business.pk).name == "Alpha Tours"
    with tenant_a.schema():
        assert get_user_model().objects.count() == 2
        assert list(Tour.objects.values_list("name", flat=True)) == ["Tram Ride"]
    # and the navigation does not offer them
    nav = maria.get("/tours/").content.decode()
    assert 'href="/team/"' not in nav and 'href="/tours/"' in nav


def test_owner_changes_name_time_zone_and_currency(tenant_a: TenantFixture) -> None:
    owner = tenant_a.owner_client()
    page = owner.get("/settings/")
    assert page.context["form"].initial == {
        "name": "Alpha Tours",
        "time_zone": "Europe/Lisbon",
        "currency": "EUR",
    }
    response = owner.post(
        "/settings/",
        {"name": "Alpha Tours & Cruises", "time_zone": "Europe/Madrid", "currency": "CHF"},
    )
    assert response.status_code == 302
    business = Business.objects.get(pk=tenant_a.business.pk)
    assert (business.name, business.time_zone, business.currency) == (
        "Alpha Tours & Cruises",
        "Europe/Madrid",
        "CHF",
    )
    assert BusinessEvent.objects.get(business=business, kind="settings_updated").detail == {
        "name": ["Alpha Tours", "Alpha Tours & Cruises"],
        "time_zone": ["Europe/Lisbon", "Europe/Madrid"],
        "currency": ["EUR", "CHF"],
    }
    # the next page already shows the new name (the routing cache was cleared) and currency
    with tenant_a.schema():
        make_tour(price="12.00")
    listing = owner.get("/tours/").content.decode()
    assert "Alpha Tours &amp; Cruises" in listing
    assert "CHF 12.00" in listing


def test_settings_refuse_unknown_zone_and_currency(tenant_a: TenantFixture) -> None:
    response = tenant_a.owner_client().post(
        "/settings/", {"name": "Alpha", "time_zone": "Mars/Olympus", "currency": "XXX"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["currency"] == ["Select a valid choice. XXX is not one of the available choices."]
    assert Business.objects.get(pk=tenant_a.business.pk).name == "Alpha Tours"
    zone_only = tenant_a.owner_client().post(
        "/settings/", {"name": "Alpha", "time_zone": "Mars/Olympus", "currency": "EUR"}
    )
    assert zone_only.context["form"].errors == {
        "time_zone": ["“Mars/Olympus” is not an IANA time zone (for example Europe/Lisbon)."]
    }
    assert Business.objects.get(pk=tenant_a.business.pk).time_zone == "Europe/Lisbon"
