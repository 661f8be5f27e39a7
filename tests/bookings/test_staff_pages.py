"""Staff pages: the booking list and CSV, a booking's lifecycle buttons, the manifest, clients;
and every booking and client URL refused across businesses."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking, Client
from tests.bookings.conftest import book, booking_in, post_json, state_of
from tests.conftest import TenantFixture
from tests.sse import parse_sse, text_by_id
from tests.tours.conftest import make_event, make_tour
from tours.models import AuditEntry, TourEvent

Status = Booking.Status


@pytest.fixture
def world(tenant_a: TenantFixture) -> dict[str, object]:
    """Two departures of A with bookings in several statuses."""
    with tenant_a.schema():
        walk = make_event(make_tour("Old Town Walk"), days=3)
        cruise = make_event(make_tour("Harbour Cruise"), days=20)
        return {
            "walk": walk,
            "cruise": cruise,
            "maria": booking_in(
                Status.CONFIRMED, walk, participants=2, name="Maria", email="m@x.com"
            ),
            "joao": booking_in(Status.PENDING, walk, participants=1, name="Joao", email="j@x.com"),
            "eva": booking_in(Status.CANCELLED, walk, participants=4, name="Eva", email="e@x.com"),
            "ana": booking_in(
                Status.CONFIRMED, cruise, participants=3, name="Ana", email="a@x.com"
            ),
        }


def refs(response) -> list[str]:
    return [b.reference for b in response.context["page"].object_list]


# ---- list and CSV ------------------------------------------------------------------------------


def test_list_filters(tenant_a: TenantFixture, world: dict) -> None:
    client = tenant_a.owner_client()
    walk_refs = [world[n].reference for n in ("maria", "joao", "eva")]
    assert refs(client.get("/bookings/")) == [*walk_refs, world["ana"].reference]
    assert refs(client.get("/bookings/?status=confirmed")) == [
        world["maria"].reference,
        world["ana"].reference,
    ]
    assert refs(client.get(f"/bookings/?event={world['walk'].pk}")) == walk_refs
    assert refs(client.get("/bookings/?q=JOAO")) == [world["joao"].reference]
    assert refs(client.get(f"/bookings/?q={world['ana'].reference.lower()}")) == [
        world["ana"].reference
    ]
    later = timezone.localdate(timezone.now() + timedelta(days=10), tenant_a.business.zone)
    assert refs(client.get(f"/bookings/?date_from={later}")) == [world["ana"].reference]
    assert refs(client.get(f"/bookings/?date_to={later}")) == walk_refs
    # a filter that cannot be read is ignored and said so, not a 500
    response = client.get("/bookings/?date_from=yesterday&status=bogus")
    assert response.status_code == 200
    assert len(refs(response)) == 4
    assert "Some filters were not understood" in response.content.decode()


def test_csv_export_has_the_filtered_rows(tenant_a: TenantFixture, world: dict) -> None:
    with tenant_a.schema():
        Client.objects.filter(pk=world["maria"].client_id).update(name="=HYPERLINK(evil)")
    response = tenant_a.owner_client().get(f"/bookings/export.csv?event={world['walk'].pk}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="bookings-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    local = timezone.localtime(world["walk"].starts_at, tenant_a.business.zone)
    assert rows[0] == [
        "reference", "status", "tour", "departure", "participants",
        "client", "email", "phone", "booked_at", "source",
    ]  # fmt: skip
    assert [r[:7] for r in rows[1:]] == [
        [world["maria"].reference, "confirmed", "Old Town Walk", f"{local:%Y-%m-%d} 09:30", "2",
         "'=HYPERLINK(evil)", "m@x.com"],
        [world["joao"].reference, "pending", "Old Town Walk", f"{local:%Y-%m-%d} 09:30", "1",
         "Joao", "j@x.com"],
        [world["eva"].reference, "cancelled", "Old Town Walk", f"{local:%Y-%m-%d} 09:30", "4",
         "Eva", "e@x.com"],
    ]  # fmt: skip


# ---- booking page and lifecycle buttons --------------------------------------------------------


def test_detail_shows_the_booking_and_its_timeline(tenant_a: TenantFixture, world: dict) -> None:
    booking = world["maria"]
    response = tenant_a.owner_client().get(f"/bookings/{booking.pk}/")
    texts = text_by_id(response.content.decode())
    assert texts["booking-status"] == "Confirmed"
    assert texts["booking-participants"] == "2"
    assert [e.action for e in response.context["timeline"]] == [
        "booking.created",
        "booking.confirmed",
    ]
    body = response.content.decode()
    assert '<span class="what">Created</span>' in body
    assert '<span class="what">Confirmed</span>' in body
    assert "Check in" in texts["booking-actions"] and "Cancel booking…" in texts["booking-actions"]


@pytest.mark.parametrize(
    ("who", "action", "status", "seats"),
    [
        # the walk holds 3 seats: Maria 2 (confirmed) + Joao 1 (pending); Eva's 4 were freed
        ("joao", "confirm", "Confirmed", 3),
        ("maria", "check-in", "Checked in", 3),
        ("maria", "cancel", "Cancelled", 1),
        ("joao", "cancel", "Cancelled", 2),
    ],
)
def test_lifecycle_button_patches_status_and_timeline(
    tenant_a: TenantFixture, world: dict, who: str, action: str, status: str, seats: int
) -> None:
    booking = world[who]
    response = post_json(tenant_a.owner_client(), f"/bookings/{booking.pk}/{action}")
    events = parse_sse(response)
    assert [(e.type, e.selector) for e in events] == [
        ("datastar-patch-elements", "#booking-lifecycle"),
        ("datastar-patch-elements", "#booking-timeline"),
        ("datastar-patch-signals", None),
    ]
    assert text_by_id(events[0].html)["booking-status"] == status
    with tenant_a.schema():
        stored = Booking.objects.get(pk=booking.pk)
        assert stored.get_status_display() == status
        assert TourEvent.objects.get(pk=world["walk"].pk).seats_booked == seats
        assert events[2].signals == {
            "busy": False,
            "status": stored.status,
            "progress": stored.progress_percentage,
        }
        entry = AuditEntry.objects.filter(target_id=str(booking.pk)).latest("id")
        assert entry.actor == "owner@alpha.example"


def test_a_refused_step_shows_why_and_changes_nothing(tenant_a: TenantFixture, world: dict) -> None:
    before = state_of(tenant_a)
    events = parse_sse(post_json(tenant_a.owner_client(), f"/bookings/{world['eva'].pk}/confirm"))
    assert text_by_id(events[0].html)["booking-error"] == (
        "Only a pending booking can be confirmed. This booking is cancelled."
    )
    assert state_of(tenant_a) == before


@pytest.mark.parametrize(
    ("body", "status"), [("{not json", 400), ("[1, 2]", 400), ("x" * 300_000, 413)]
)
def test_lifecycle_refuses_malformed_bodies(
    tenant_a: TenantFixture, world: dict, body: str, status: int
) -> None:
    before = state_of(tenant_a)
    response = post_json(tenant_a.owner_client(), f"/bookings/{world['joao'].pk}/confirm", body)
    assert response.status_code == status
    assert state_of(tenant_a) == before


def test_lifecycle_needs_the_csrf_header(tenant_a: TenantFixture, world: dict) -> None:
    from django.test import Client as DjangoClient

    client = DjangoClient(HTTP_HOST=tenant_a.host, enforce_csrf_checks=True)
    client.cookies = tenant_a.owner_client().cookies
    token = client.get(f"/bookings/{world['joao'].pk}/").context["csrf_token"]
    before = state_of(tenant_a)
    url = f"/bookings/{world['joao'].pk}/confirm"
    assert post_json(client, url).status_code == 403
    assert state_of(tenant_a) == before
    assert post_json(client, url, HTTP_X_CSRFTOKEN=str(token)).status_code == 200


# ---- manifest ----------------------------------------------------------------------------------


def test_manifest_lists_who_is_coming(tenant_a: TenantFixture, world: dict) -> None:
    response = tenant_a.owner_client().get(f"/events/{world['walk'].pk}/manifest/")
    assert [b.client.name for b in response.context["bookings"]] == ["Joao", "Maria"]
    texts = text_by_id(response.content.decode())
    assert texts["manifest-summary"] == (
        "0 of 3 people checked in · 2 bookings · 9 seats left of 12"
    )


def test_manifest_toggle_checks_in_and_out(tenant_a: TenantFixture, world: dict) -> None:
    url = f"/events/{world['walk'].pk}/manifest/{world['maria'].pk}/check-in"
    client = tenant_a.owner_client()
    events = parse_sse(post_json(client, url))
    assert [e.selector for e in events] == ["#manifest-table", None]
    assert text_by_id(events[0].html)["manifest-summary"].startswith("2 of 3 people checked in")
    with tenant_a.schema():
        assert Booking.objects.get(pk=world["maria"].pk).status == "checked_in"
    events = parse_sse(post_json(client, url))
    assert text_by_id(events[0].html)["manifest-summary"].startswith("0 of 3 people checked in")
    with tenant_a.schema():
        assert Booking.objects.get(pk=world["maria"].pk).status == "confirmed"
        trail = AuditEntry.objects.filter(target_id=str(world["maria"].pk)).order_by("id")
        assert [e.action for e in trail][-2:] == ["booking.checked_in", "booking.check_in_undone"]


def test_manifest_toggle_of_a_booking_of_another_departure_is_404(
    tenant_a: TenantFixture, world: dict
) -> None:
    before = state_of(tenant_a)
    url = f"/events/{world['walk'].pk}/manifest/{world['ana'].pk}/check-in"
    assert post_json(tenant_a.owner_client(), url).status_code == 404
    assert state_of(tenant_a) == before


# ---- clients -----------------------------------------------------------------------------------


def test_client_list_and_detail(tenant_a: TenantFixture, world: dict) -> None:
    client = tenant_a.owner_client()
    names = [c.name for c in client.get("/clients/").context["page"].object_list]
    assert names == ["Ana", "Eva", "Joao", "Maria"]
    assert [c.name for c in client.get("/clients/?q=x.com").context["page"].object_list] == names
    assert [c.name for c in client.get("/clients/?q=mar").context["page"].object_list] == ["Maria"]
    with tenant_a.schema():
        book(world["cruise"], 1, email="M@X.COM")
    response = client.get(f"/clients/{world['maria'].client_id}/")
    texts = text_by_id(response.content.decode())
    assert (texts["client-name"], texts["client-contact"]) == ("Maria", "m@x.com")
    assert (texts["client-bookings-count"], texts["client-seats"]) == ("2", "3")
    assert [b.event_id for b in response.context["bookings"]] == [
        world["cruise"].pk,
        world["walk"].pk,
    ]


# ---- cross-tenant ------------------------------------------------------------------------------

GET_URLS = [
    "/bookings/{booking}/",
    "/events/{event}/manifest/",
    "/clients/{client}/",
]
POST_URLS = [
    "/bookings/{booking}/confirm",
    "/bookings/{booking}/check-in",
    "/bookings/{booking}/complete",
    "/bookings/{booking}/cancel",
    "/events/{event}/manifest/{booking}/check-in",
]


@pytest.fixture
def foreign(tenant_a: TenantFixture, tenant_b: TenantFixture, world: dict) -> dict[str, int]:
    """Ids of A's objects that do not exist in B's schema (ids are per schema)."""
    ids = {
        "booking": world["joao"].pk,
        "event": world["walk"].pk,
        "client": world["joao"].client_id,
    }
    with tenant_b.schema():
        assert not Booking.objects.filter(pk=ids["booking"]).exists()
        assert not TourEvent.objects.filter(pk=ids["event"]).exists()
        assert not Client.objects.filter(pk=ids["client"]).exists()
    return ids


@pytest.mark.parametrize("url", GET_URLS)
def test_pages_of_another_business_are_404(
    tenant_a: TenantFixture, tenant_b: TenantFixture, foreign: dict, url: str
) -> None:
    response = tenant_b.owner_client().get(url.format(**foreign))
    assert response.status_code == 404
    assert "Joao" not in response.content.decode()


@pytest.mark.parametrize("url", POST_URLS)
def test_actions_on_another_business_are_404_and_change_nothing(
    tenant_a: TenantFixture, tenant_b: TenantFixture, foreign: dict, url: str
) -> None:
    before_a, before_b = state_of(tenant_a), state_of(tenant_b)
    response = post_json(tenant_b.owner_client(), url.format(**foreign))
    assert response.status_code == 404
    assert (state_of(tenant_a), state_of(tenant_b)) == (before_a, before_b)


def test_lists_and_exports_show_only_this_business(
    tenant_a: TenantFixture, tenant_b: TenantFixture, world: dict
) -> None:
    client = tenant_b.owner_client()
    assert refs(client.get("/bookings/")) == []
    assert list(client.get("/clients/").context["page"].object_list) == []
    assert client.get("/bookings/export.csv").content.decode().count("\n") == 1


@pytest.mark.parametrize(
    "url",
    ["/bookings/", "/bookings/export.csv", "/bookings/new/", "/clients/", "/bookings/1/"],
)
def test_staff_pages_need_a_login(tenant_a: TenantFixture, url: str) -> None:
    response = tenant_a.client().get(url)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")


# ---- booking settings --------------------------------------------------------------------------


def test_owner_sets_public_bookings_to_start_confirmed(tenant_a: TenantFixture) -> None:
    from bookings.models import BookingSettings

    client = tenant_a.owner_client()
    assert client.get("/settings/bookings/").status_code == 200
    response = client.post("/settings/bookings/", {"public_bookings_confirmed": "on"})
    assert (response.status_code, response["Location"]) == (302, "/settings/bookings/")
    with tenant_a.schema():
        assert BookingSettings.objects.get().public_bookings_confirmed is True
        assert AuditEntry.objects.get(action="booking_settings.updated").actor == (
            "owner@alpha.example"
        )
    client.post("/settings/bookings/", {})
    with tenant_a.schema():
        assert BookingSettings.objects.get().public_bookings_confirmed is False


def test_booking_settings_are_for_the_owner_only(tenant_a: TenantFixture) -> None:
    from bookings.models import BookingSettings
    from tours import services as tour_services

    with tenant_a.schema():
        tour_services.staff_add(actor="t", email="guide@alpha.example", password="long-pass-1234")
    client = tenant_a.client()
    client.post(
        "/accounts/login/", {"username": "guide@alpha.example", "password": "long-pass-1234"}
    )
    before = state_of(tenant_a)
    assert (
        client.post("/settings/bookings/", {"public_bookings_confirmed": "on"}).status_code == 403
    )
    assert state_of(tenant_a) == before
    with tenant_a.schema():
        assert not BookingSettings.objects.filter(public_bookings_confirmed=True).exists()
