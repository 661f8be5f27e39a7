"""The departure page and its inline editor: Datastar SSE responses parsed, not grepped."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import TenantFixture
from tests.sse import list_items, parse_sse, root_ids, text_by_id
from tests.tours.conftest import book_seats, future_start, make_event, make_tour
from tours import services
from tours.forms import local_input_value
from tours.models import AuditEntry, TourEvent

LISBON_INPUT = "%Y-%m-%dT%H:%M"


def signals_for(event: TourEvent, **changes: object) -> dict[str, object]:
    signals: dict[str, object] = {
        "title": event.title,
        "startsAt": local_input_value(event.starts_at, ZoneInfo("Europe/Lisbon")),
        "capacity": event.capacity,
        "guideName": event.guide_name,
        "notes": event.notes,
        "loading": True,
        "success": False,
    }
    signals.update(changes)
    return signals


def post_update(client: Client, event_id: int, body: object, **extra: object):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        f"/events/{event_id}/update",
        data=data,
        content_type="application/json",
        headers={"Datastar-Request": "true"},
        **extra,
    )


def snapshot(fixture: TenantFixture, event_id: int) -> tuple[object, ...]:
    with fixture.schema():
        e = TourEvent.objects.get(pk=event_id)
        return (e.title, e.starts_at, e.capacity, e.guide_name, e.notes, e.status, e.updated_at)


@pytest.fixture
def event_a(tenant_a: TenantFixture) -> TourEvent:
    with tenant_a.schema():
        return make_event(make_tour("Old Town Walk"), days=10)


# ---- the page ----------------------------------------------------------------------------------


def test_detail_page_shows_the_departure_in_the_business_time_zone(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    response = tenant_a.owner_client().get(f"/events/{event_a.pk}/")
    assert response.status_code == 200
    texts = text_by_id(response.content.decode())
    local = timezone.localtime(event_a.starts_at, tenant_a.business.zone)
    assert texts["event-title"] == "Old Town Walk"
    assert texts["event-start"] == (
        f"{local:%A} {local.day} {local:%B %Y} · 09:30–11:30 (Europe/Lisbon)"
    )
    assert (texts["event-capacity"], texts["event-seats-left"], texts["event-guide"]) == (
        "12",
        "12",
        "—",
    )
    # the editor starts from the departure's values, as Datastar signals
    assert "data-bind:starts-at" in response.content.decode()
    assert response.context["editor_signals"] == json.dumps(signals_for(event_a, loading=False))


def test_detail_page_requires_login(tenant_a: TenantFixture, event_a: TourEvent) -> None:
    response = tenant_a.client().get(f"/events/{event_a.pk}/")
    assert (response.status_code, response["Location"]) == (
        302,
        f"/accounts/login/?next=/events/{event_a.pk}/",
    )


# ---- inline update: success --------------------------------------------------------------------


def test_update_patches_the_detail_and_signals_success(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    # given the owner on the departure page, when they change every field
    new_start = future_start(days=12, hour=17, minute=45)
    body = signals_for(
        event_a,
        title="Sunset walk",
        startsAt=new_start.strftime(LISBON_INPUT),
        capacity="16",  # a number input may send a string
        guideName="Ana",
        notes="Meet at the fountain.",
    )
    response = post_update(tenant_a.owner_client(), event_a.pk, body)
    # then it answers 200 with three events: clear errors, patch the detail, signal success
    assert response.status_code == 200
    events = parse_sse(response)
    assert [(e.type, e.selector) for e in events] == [
        ("datastar-patch-elements", "#errors"),
        ("datastar-patch-elements", "#event-detail"),
        ("datastar-patch-signals", None),
    ]
    assert root_ids(events[0].html) == ["errors"]
    assert text_by_id(events[0].html)["errors"] == ""
    assert root_ids(events[1].html) == ["event-detail"]
    detail = text_by_id(events[1].html)
    assert (detail["event-title"], detail["event-capacity"], detail["event-guide"]) == (
        "Sunset walk",
        "16",
        "Ana",
    )
    assert detail["event-notes"] == "Meet at the fountain."
    assert "17:45–19:45" in detail["event-start"]
    assert events[2].signals == {"loading": False, "success": True}
    # and the database holds the new values
    with tenant_a.schema():
        stored = TourEvent.objects.get(pk=event_a.pk)
        assert (stored.title, stored.starts_at, stored.capacity, stored.guide_name) == (
            "Sunset walk",
            new_start,
            16,
            "Ana",
        )
        assert AuditEntry.objects.get(action="tour_event.updated").actor == "owner@alpha.example"


def test_update_works_with_the_csrf_header_the_page_sends(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    client = Client(HTTP_HOST=tenant_a.host, enforce_csrf_checks=True)
    client.cookies = tenant_a.owner_client().cookies
    page = client.get(f"/events/{event_a.pk}/")
    token = page.context["csrf_token"]
    body = signals_for(event_a, title="With token")
    refused = post_update(client, event_a.pk, body)
    assert refused.status_code == 403
    accepted = post_update(client, event_a.pk, body, HTTP_X_CSRFTOKEN=str(token))
    assert accepted.status_code == 200
    assert parse_sse(accepted)[-1].signals == {"loading": False, "success": True}


# ---- inline update: validation errors ----------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"title": "   "}, ["Title: Title is required."]),
        ({"capacity": 3}, ["Capacity: Capacity cannot be below the 5 seats already booked."]),
        ({"capacity": 20_000}, ["Capacity: Ensure this value is less than or equal to 10000."]),
        (
            {"guideName": "g" * 121},
            ["Guide: Ensure this value has at most 120 characters (it has 121)."],
        ),
        ({"startsAt": "yesterday"}, ["Start: Enter a date and time like 2026-12-10T09:30."]),
        ({"title": 42}, ["Title: Expected text."]),
        ({"capacity": [12]}, ["Capacity: Expected a whole number."]),
        ({"capacity": True}, ["Capacity: Expected a whole number."]),
        ({"capacity": "12.5"}, ["Capacity: Enter a whole number."]),
        ({"notes": {"x": 1}}, ["Notes: Expected text."]),
    ],
)
def test_update_with_invalid_values_patches_errors_and_changes_nothing(
    tenant_a: TenantFixture, event_a: TourEvent, changes: dict, messages: list[str]
) -> None:
    with tenant_a.schema():
        book_seats(event_a, 5)
    before = snapshot(tenant_a, event_a.pk)
    response = post_update(tenant_a.owner_client(), event_a.pk, signals_for(event_a, **changes))
    assert response.status_code == 200
    events = parse_sse(response)
    assert [(e.type, e.selector) for e in events] == [
        ("datastar-patch-elements", "#errors"),
        ("datastar-patch-signals", None),
    ]
    assert root_ids(events[0].html) == ["errors"]
    assert list_items(events[0].html) == messages
    assert events[1].signals == {"loading": False}
    assert snapshot(tenant_a, event_a.pk) == before


def test_update_moving_the_start_into_the_past_is_refused(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    before = snapshot(tenant_a, event_a.pk)
    past = timezone.localtime(timezone.now() - timedelta(days=1), tenant_a.business.zone)
    body = signals_for(event_a, startsAt=past.strftime(LISBON_INPUT))
    events = parse_sse(post_update(tenant_a.owner_client(), event_a.pk, body))
    assert list_items(events[0].html) == ["Start: The start must be in the future."]
    assert snapshot(tenant_a, event_a.pk) == before


def test_update_reports_every_error_at_once(tenant_a: TenantFixture, event_a: TourEvent) -> None:
    with tenant_a.schema():
        book_seats(event_a, 5)
    body = signals_for(event_a, title="", capacity=2)
    events = parse_sse(post_update(tenant_a.owner_client(), event_a.pk, body))
    assert list_items(events[0].html) == [
        "Title: Title is required.",
        "Capacity: Capacity cannot be below the 5 seats already booked.",
    ]


def test_update_of_a_cancelled_departure_is_refused_with_a_patch(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    with tenant_a.schema():
        services.tour_event_cancel(actor="tests", event=event_a)
    before = snapshot(tenant_a, event_a.pk)
    events = parse_sse(
        post_update(tenant_a.owner_client(), event_a.pk, signals_for(event_a, title="Back"))
    )
    assert list_items(events[0].html) == [
        "This departure is cancelled and can no longer be edited."
    ]
    assert snapshot(tenant_a, event_a.pk) == before


# ---- inline update: bad input ------------------------------------------------------------------


def test_update_with_missing_signals_patches_an_error(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    before = snapshot(tenant_a, event_a.pk)
    response = post_update(tenant_a.owner_client(), event_a.pk, {"title": "Only a title"})
    events = parse_sse(response)
    assert response.status_code == 200
    assert list_items(events[0].html) == [
        "Start: This field is required.",
        "Capacity: This field is required.",
        "The request is missing: startsAt, capacity, guideName, notes.",
    ]
    assert snapshot(tenant_a, event_a.pk) == before


@pytest.mark.parametrize(
    ("body", "content_type", "headers", "status", "text"),
    [
        ("{not json", "application/json", {"Datastar-Request": "true"}, 400, "not valid JSON"),
        (b"\xff\xfe\x00garbage", "application/json", {"Datastar-Request": "true"}, 400, "JSON"),
        ("[1, 2]", "application/json", {"Datastar-Request": "true"}, 400, "JSON object"),
        ("null", "application/json", {"Datastar-Request": "true"}, 400, "Expected a Datastar"),
        ('{"title": "x"}', "application/json", {}, 400, "Expected a Datastar"),
        ("title=x", "application/x-www-form-urlencoded", {"Datastar-Request": "true"}, 400, "JSON"),
    ],
)
def test_update_with_unreadable_body_is_a_4xx_and_changes_nothing(
    tenant_a: TenantFixture,
    event_a: TourEvent,
    body: str | bytes,
    content_type: str,
    headers: dict[str, str],
    status: int,
    text: str,
) -> None:
    before = snapshot(tenant_a, event_a.pk)
    response = tenant_a.owner_client().post(
        f"/events/{event_a.pk}/update", data=body, content_type=content_type, headers=headers
    )
    assert response.status_code == status
    assert text in response.content.decode()
    assert snapshot(tenant_a, event_a.pk) == before


def test_update_with_an_oversized_body_is_413_and_changes_nothing(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    before = snapshot(tenant_a, event_a.pk)
    body = signals_for(event_a, notes="x" * (300 * 1024))
    response = post_update(tenant_a.owner_client(), event_a.pk, body)
    assert response.status_code == 413
    assert snapshot(tenant_a, event_a.pk) == before


def test_update_by_get_is_refused(tenant_a: TenantFixture, event_a: TourEvent) -> None:
    response = tenant_a.owner_client().get(f"/events/{event_a.pk}/update")
    assert response.status_code == 405


def test_update_of_an_unknown_departure_is_404(tenant_a: TenantFixture) -> None:
    response = post_update(tenant_a.owner_client(), 999_999, {"title": "x"})
    assert response.status_code == 404


def test_update_when_logged_out_redirects_and_changes_nothing(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    before = snapshot(tenant_a, event_a.pk)
    response = post_update(tenant_a.client(), event_a.pk, signals_for(event_a, title="Anon"))
    assert response.status_code == 302
    assert snapshot(tenant_a, event_a.pk) == before


# ---- cross-tenant ------------------------------------------------------------------------------


def test_departure_of_a_is_404_on_b_host_and_unchanged(
    tenant_a: TenantFixture, tenant_b: TenantFixture, event_a: TourEvent
) -> None:
    # given a departure of business A, and B's owner logged in on B's host
    before = snapshot(tenant_a, event_a.pk)
    b_owner = tenant_b.owner_client()
    # when B asks for A's departure id, or posts an update to it
    page = b_owner.get(f"/events/{event_a.pk}/")
    update = post_update(b_owner, event_a.pk, signals_for(event_a, title="Hijacked"))
    cancel = b_owner.post(f"/events/{event_a.pk}/cancel")
    # then each is a 404 and A's departure is unchanged
    assert (page.status_code, update.status_code, cancel.status_code) == (404, 404, 404)
    assert snapshot(tenant_a, event_a.pk) == before
    with tenant_b.schema():
        assert TourEvent.objects.count() == 0


def test_same_id_on_b_edits_b_departure_only(
    tenant_a: TenantFixture, tenant_b: TenantFixture, event_a: TourEvent
) -> None:
    # given B has its own departure (ids are per schema, so it may share A's id)
    with tenant_b.schema():
        event_b = make_event(make_tour("Bravo Boat"), days=10)
    before_a = snapshot(tenant_a, event_a.pk)
    # when B's owner edits B's departure
    response = post_update(tenant_b.owner_client(), event_b.pk, signals_for(event_b, title="B2"))
    assert parse_sse(response)[-1].signals == {"loading": False, "success": True}
    # then only B's row changed
    assert snapshot(tenant_b, event_b.pk)[0] == "B2"
    assert snapshot(tenant_a, event_a.pk) == before_a


def test_staff_session_of_a_is_not_valid_on_b(
    tenant_a: TenantFixture, tenant_b: TenantFixture, event_a: TourEvent
) -> None:
    # given A's owner logged in on A, and a departure of B with the same id as A's
    with tenant_b.schema():
        event_b = make_event(make_tour("Bravo Boat"), days=10)
    before_b = snapshot(tenant_b, event_b.pk)
    a_client = tenant_a.owner_client()
    # when A's session cookie is replayed against B's host
    b_client = tenant_b.client()
    b_client.cookies = a_client.cookies
    response = post_update(b_client, event_b.pk, signals_for(event_b, title="From A"))
    # then B does not know the session: a redirect to B's login, and B's departure is unchanged
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert snapshot(tenant_b, event_b.pk) == before_b
    page = b_client.get(f"/events/{event_b.pk}/")
    assert page.status_code == 302


# ---- cancel ------------------------------------------------------------------------------------


def test_cancel_asks_for_confirmation_then_cancels(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    client = tenant_a.owner_client()
    confirm = client.get(f"/events/{event_a.pk}/cancel")
    assert confirm.status_code == 200
    assert "Cancel this departure?" in confirm.content.decode()
    assert snapshot(tenant_a, event_a.pk)[5] == "scheduled"  # a GET changes nothing
    done = client.post(f"/events/{event_a.pk}/cancel", {"reason": "Storm"})
    assert (done.status_code, done["Location"]) == (302, f"/events/{event_a.pk}/")
    assert snapshot(tenant_a, event_a.pk)[5] == "cancelled"
    with tenant_a.schema():
        assert AuditEntry.objects.get(action="tour_event.cancelled").detail == {
            "reason": "Storm",
            "seats_booked": 0,
        }
    page = client.get(f"/events/{event_a.pk}/")
    assert "The departure “Old Town Walk” is cancelled." in page.content.decode()
    assert 'id="event-edit"' not in page.content.decode()


def test_staff_account_of_a_cannot_edit_on_b(
    tenant_a: TenantFixture, tenant_b: TenantFixture
) -> None:
    # given a staff member of A (same e-mail does not exist on B) logged in on A
    with tenant_a.schema():
        services.staff_add(actor="tests", email="maria@alpha.example", password="river-boat-42x")
    a_staff = tenant_a.client()
    login = a_staff.post(
        "/accounts/login/", {"username": "maria@alpha.example", "password": "river-boat-42x"}
    )
    assert login.status_code == 302
    with tenant_b.schema():
        event_b = make_event(make_tour("Bravo Boat"), days=10)
    before_b = snapshot(tenant_b, event_b.pk)
    # when they try B's host with their session, or log in there with their A password
    b_client = tenant_b.client()
    b_client.cookies = a_staff.cookies
    update = post_update(b_client, event_b.pk, signals_for(event_b, title="From A staff"))
    b_login = tenant_b.client().post(
        "/accounts/login/", {"username": "maria@alpha.example", "password": "river-boat-42x"}
    )
    # then B does not know them, and B's departure is unchanged
    assert update.status_code == 302 and update["Location"].startswith("/accounts/login/")
    assert b_login.status_code == 200  # the login form again, with an error
    assert snapshot(tenant_b, event_b.pk) == before_b
