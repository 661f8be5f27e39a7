"""The staff booking form: a contentType 'form' Datastar post answered with SSE patches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as DjangoClient
from django.utils import timezone

from bookings import services
from bookings.models import Booking, Client
from bookings.views import common as view_common
from tests.bookings.conftest import book, post_form, state_of
from tests.conftest import TenantFixture
from tests.sse import list_items, parse_sse, root_ids, text_by_id
from tests.tours.conftest import make_event, make_tour
from tours import services as tour_services
from tours.models import TourEvent

URL = "/bookings/create"


@pytest.fixture
def event_a(tenant_a: TenantFixture) -> TourEvent:
    with tenant_a.schema():
        return make_event(make_tour("Old Town Walk"), days=10)


@pytest.fixture
def client_a(tenant_a: TenantFixture) -> Client:
    with tenant_a.schema():
        return services.client_create(actor="tests", name="Maria Silva", email="maria@x.com")


def form_for(departure: TourEvent, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "client": "",
        "new_client_name": "Ana Costa",
        "new_client_email": "ana@example.com",
        "new_client_phone": "+351 912 345 678",
        "event": departure.pk,
        "participants": "3",
        "notes": "Vegetarian lunch",
        "confirm": "on",
    }
    data.update(changes)
    return data


# ---- the page ----------------------------------------------------------------------------------


def test_new_page_offers_only_departures_with_seats(
    tenant_a: TenantFixture, event_a: TourEvent, client_a: Client
) -> None:
    with tenant_a.schema():
        tour = make_tour("Harbour Cruise", default_capacity=2)
        full = make_event(tour, days=4)
        book(full, 2, email="x@x.com")
        cancelled = tour_services.tour_event_cancel(actor="t", event=make_event(tour, days=5))
    response = tenant_a.owner_client().get("/bookings/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [e.pk for e in response.context["events"]] == [event_a.pk]
    departure_select = html.split('id="f-event"')[1].split("</select>")[0]
    assert departure_select.count("<option value=") == 2  # the placeholder and event_a
    assert f'<option value="{event_a.pk}">' in departure_select
    assert f'value="{full.pk}"' not in departure_select
    assert f'value="{cancelled.pk}"' not in departure_select
    assert f'<option value="{client_a.pk}">Maria Silva — maria@x.com</option>' in html
    assert "@post('/bookings/create', {contentType: 'form'})" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "data-indicator:loading" in html


def test_new_page_requires_login(tenant_a: TenantFixture) -> None:
    response = tenant_a.client().get("/bookings/new/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/bookings/new/",
    )


# ---- success -----------------------------------------------------------------------------------


def test_create_with_a_new_client_patches_the_success_partial(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    response = post_form(tenant_a.owner_client(), URL, form_for(event_a))
    assert response.status_code == 200
    events = parse_sse(response)
    assert [(e.type, e.selector) for e in events] == [
        ("datastar-patch-elements", "#booking-form-container"),
        ("datastar-patch-signals", None),
    ]
    assert events[1].signals == {"loading": False, "showSuccess": True, "errors": {}}
    with tenant_a.schema():
        booking = Booking.objects.select_related("client").get()
        assert (booking.participants, booking.status, booking.notes) == (
            3,
            "confirmed",
            "Vegetarian lunch",
        )
        assert (booking.client.name, booking.client.email, booking.client.phone) == (
            "Ana Costa",
            "ana@example.com",
            "+351 912 345 678",
        )
        assert TourEvent.objects.get(pk=event_a.pk).seats_booked == 3
    assert root_ids(events[0].html) == ["booking-form-container"]
    texts = text_by_id(events[0].html)
    local = timezone.localtime(event_a.starts_at, tenant_a.business.zone)
    assert texts["booking-reference"] == booking.reference
    assert texts["booking-success-summary"] == (
        f"3 × Old Town Walk, {local:%a} {local.day} {local:%b %Y}, 09:30 for Ana Costa — confirmed."
    )


def test_create_for_an_existing_client_unconfirmed(
    tenant_a: TenantFixture, event_a: TourEvent, client_a: Client
) -> None:
    data = form_for(event_a, client=client_a.pk, new_client_name="", new_client_email="")
    data.pop("confirm")  # an unticked checkbox is not sent
    events = parse_sse(post_form(tenant_a.owner_client(), URL, data))
    assert events[-1].signals["showSuccess"] is True
    with tenant_a.schema():
        booking = Booking.objects.get()
        assert (booking.client_id, booking.status) == (client_a.pk, "pending")
        assert Client.objects.count() == 1


def test_create_with_the_csrf_token_of_the_form(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    client = DjangoClient(HTTP_HOST=tenant_a.host, enforce_csrf_checks=True)
    client.cookies = tenant_a.owner_client().cookies
    token = client.get("/bookings/new/").context["csrf_token"]
    before = state_of(tenant_a)
    refused = post_form(client, URL, form_for(event_a))
    assert refused.status_code == 403
    assert state_of(tenant_a) == before
    accepted = post_form(client, URL, {**form_for(event_a), "csrfmiddlewaretoken": str(token)})
    assert parse_sse(accepted)[-1].signals["showSuccess"] is True


# ---- refusals ----------------------------------------------------------------------------------

BAD_INPUT = [
    (
        {"event": None, "participants": None},
        {"event": ["Choose a departure."], "participants": ["Enter the number of participants."]},
    ),
    (
        {"new_client_name": "", "new_client_email": ""},
        {
            "new_client_name": ["Choose a client or enter a new client's name."],
            "new_client_email": ["Enter the new client's e-mail address."],
        },
    ),
    ({"new_client_email": "nope"}, {"new_client_email": ["Enter a valid email address."]}),
    ({"participants": "0"}, {"participants": ["Book at least 1 participant."]}),
    ({"participants": "-4"}, {"participants": ["Book at least 1 participant."]}),
    ({"participants": "1000000000000"}, {"participants": ["Book at most 100 participants."]}),
    ({"participants": "three"}, {"participants": ["Enter a whole number of participants."]}),
    ({"participants": "2.5"}, {"participants": ["Enter a whole number of participants."]}),
    ({"participants": "13"}, {"participants": ["Only 12 seats left on this departure."]}),
    ({"event": "abc"}, {"event": ["Choose a departure from the list."]}),
    ({"client": "999999"}, {"client": ["Choose a client from the list."]}),
]


@pytest.mark.parametrize(("changes", "errors"), BAD_INPUT)
def test_bad_input_patches_errors_and_writes_nothing(
    tenant_a: TenantFixture, event_a: TourEvent, changes: dict, errors: dict
) -> None:
    before = state_of(tenant_a)
    response = post_form(tenant_a.owner_client(), URL, form_for(event_a, **changes))
    assert response.status_code == 200
    events = parse_sse(response)
    assert [(e.type, e.selector) for e in events] == [
        ("datastar-patch-elements", "#form-errors"),
        ("datastar-patch-signals", None),
    ]
    assert events[1].signals == {"loading": False, "errors": errors}
    assert root_ids(events[0].html) == ["form-errors"]
    labels = view_common.FIELD_LABELS
    assert list_items(events[0].html) == [
        f"{labels[field]}: {message}" for field, messages in errors.items() for message in messages
    ]
    assert state_of(tenant_a) == before


def test_a_cancelled_departure_is_refused_clearly(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    with tenant_a.schema():
        tour_services.tour_event_cancel(actor="t", event=event_a)
    before = state_of(tenant_a)
    events = parse_sse(post_form(tenant_a.owner_client(), URL, form_for(event_a)))
    assert list_items(events[0].html) == ["Departure: This departure is cancelled."]
    assert state_of(tenant_a) == before


def test_a_past_departure_is_refused_clearly(tenant_a: TenantFixture, event_a: TourEvent) -> None:
    with tenant_a.schema():
        TourEvent.objects.filter(pk=event_a.pk).update(
            starts_at=timezone.now() - timedelta(hours=1)
        )
    before = state_of(tenant_a)
    events = parse_sse(post_form(tenant_a.owner_client(), URL, form_for(event_a)))
    assert list_items(events[0].html) == ["Departure: This departure has already left."]
    assert state_of(tenant_a) == before


def test_a_sold_out_departure_is_refused_clearly(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    with tenant_a.schema():
        book(event_a, 12, email="group@x.com")
    before = state_of(tenant_a)
    events = parse_sse(post_form(tenant_a.owner_client(), URL, form_for(event_a)))
    assert list_items(events[0].html) == ["Departure: This departure is sold out."]
    assert events[1].signals == {
        "loading": False,
        "errors": {"event": ["This departure is sold out."]},
    }
    assert state_of(tenant_a) == before


def test_a_departure_of_another_business_is_not_bookable(
    tenant_a: TenantFixture, tenant_b: TenantFixture
) -> None:
    # given a departure of B whose id does not exist in A's schema
    with tenant_b.schema():
        tour = make_tour("Bravo Hike")
        events_b = [make_event(tour, days=d) for d in range(2, 8)]
    foreign = events_b[-1]
    with tenant_a.schema():
        assert not TourEvent.objects.filter(pk=foreign.pk).exists()
    before_a, before_b = state_of(tenant_a), state_of(tenant_b)
    # when A's owner posts it on A's host, then it is an unknown choice and nothing is written
    events = parse_sse(post_form(tenant_a.owner_client(), URL, form_for(foreign)))
    assert list_items(events[0].html) == ["Departure: Choose a departure from the list."]
    assert (state_of(tenant_a), state_of(tenant_b)) == (before_a, before_b)


def test_staff_of_one_business_cannot_post_on_another(
    tenant_a: TenantFixture, tenant_b: TenantFixture, event_a: TourEvent
) -> None:
    # A's session cookie on B's host is not a session there: redirected to B's login
    client = tenant_a.owner_client()
    client.defaults["HTTP_HOST"] = tenant_b.host
    before_a, before_b = state_of(tenant_a), state_of(tenant_b)
    response = post_form(client, URL, form_for(event_a))
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/bookings/create",
    )
    assert (state_of(tenant_a), state_of(tenant_b)) == (before_a, before_b)


def test_an_unexpected_failure_is_reported_and_leaks_nothing(
    tenant_a: TenantFixture, event_a: TourEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[BaseException] = []

    def explode(**kwargs: object) -> None:
        raise RuntimeError("relation bookings_secret does not exist")

    monkeypatch.setattr(services, "booking_create", explode)
    monkeypatch.setattr(view_common.sentry_sdk, "capture_exception", reported.append)
    before = state_of(tenant_a)
    response = post_form(tenant_a.owner_client(), URL, form_for(event_a))
    assert response.status_code == 200
    events = parse_sse(response)
    assert [(e.type, e.selector) for e in events] == [
        ("datastar-patch-elements", "#form-errors"),
        ("datastar-patch-signals", None),
    ]
    assert list_items(events[0].html) == [
        "Something went wrong; nothing was booked. Please try again."
    ]
    assert events[1].signals == {
        "loading": False,
        "errors": {"general": ["Something went wrong; nothing was booked. Please try again."]},
    }
    assert "bookings_secret" not in events[0].html + str(events[1].signals)
    assert [str(e) for e in reported] == ["relation bookings_secret does not exist"]
    assert state_of(tenant_a) == before


def test_a_failure_after_writing_rolls_everything_back(
    tenant_a: TenantFixture, event_a: TourEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure inside the service's transaction (here: the audit write) leaves no booking."""
    from bookings.services import bookings as booking_module

    def failing_audit(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(booking_module, "audit_record", failing_audit)
    monkeypatch.setattr(view_common.sentry_sdk, "capture_exception", lambda exc: None)
    before = state_of(tenant_a)
    events = parse_sse(post_form(tenant_a.owner_client(), URL, form_for(event_a)))
    assert list_items(events[0].html) == [
        "Something went wrong; nothing was booked. Please try again."
    ]
    assert state_of(tenant_a) == before
