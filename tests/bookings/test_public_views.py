"""The public booking page: no login, a form posted with Datastar, a confirmation e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
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


@pytest.fixture
def event_a(tenant_a: TenantFixture) -> TourEvent:
    with tenant_a.schema():
        return make_event(make_tour("Old Town Walk", default_capacity=8), days=10)


def booking_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {"name": "Eva Lima", "email": "eva@example.com", "participants": "2"}
    data.update(changes)
    return data


def create_url(event: TourEvent) -> str:
    return f"/book/{event.pk}/create"


# ---- the listing -------------------------------------------------------------------------------


def test_index_lists_bookable_departures_grouped_by_tour(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    with tenant_a.schema():
        book(event_a, 3)
        cruise = make_tour("Harbour Cruise", default_capacity=2, price="40.00")
        later = make_event(cruise, days=3)
        full = make_event(cruise, days=4)
        book(full, 2, email="g@x.com")
        gone = tour_services.tour_event_cancel(actor="t", event=make_event(cruise, days=5))
        archived = make_tour("Old Route")
        make_event(archived, days=6)
        tour_services.tour_archive(actor="t", tour=archived)
    response = tenant_a.client().get("/book/")  # no login
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(g.tour.name, [e.pk for e in g.events]) for g in groups] == [
        ("Harbour Cruise", [later.pk]),
        ("Old Town Walk", [event_a.pk]),
    ]
    texts = text_by_id(response.content.decode())
    assert texts[f"seats-left-{event_a.pk}"] == "5 seats left"
    assert texts[f"seats-left-{later.pk}"] == "2 seats left"
    assert f"seats-left-{full.pk}" not in texts and f"departure-{gone.pk}" not in texts
    assert "€40.00 per person · 2 h" in texts[f"tour-{cruise.pk}"]


def test_event_page_shows_the_form_with_a_csrf_token(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    response = tenant_a.client().get(f"/book/{event_a.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"@post('/book/{event_a.pk}/create', {{contentType: 'form'}})" in html
    assert 'name="csrfmiddlewaretoken"' in html
    local = timezone.localtime(event_a.starts_at, tenant_a.business.zone)
    assert text_by_id(html)["event-when"] == (
        f"{local:%A} {local.day} {local:%B %Y} · 09:30 (Europe/Lisbon)"
    )


@pytest.mark.parametrize("why", ["cancelled", "past", "full"])
def test_event_page_of_an_unbookable_departure_says_why(
    tenant_a: TenantFixture, event_a: TourEvent, why: str
) -> None:
    with tenant_a.schema():
        if why == "cancelled":
            tour_services.tour_event_cancel(actor="t", event=event_a)
        elif why == "past":
            TourEvent.objects.filter(pk=event_a.pk).update(starts_at=timezone.now() - timedelta(1))
        else:
            book(event_a, 8)
    html = tenant_a.client().get(f"/book/{event_a.pk}/").content.decode()
    expected = {
        "cancelled": "This departure is cancelled.",
        "past": "This departure has already left.",
        "full": "This departure is sold out.",
    }[why]
    assert text_by_id(html)["not-bookable"] == f"{expected} See other departures."
    assert "public-booking-form" not in html


# ---- booking -----------------------------------------------------------------------------------


def test_booking_confirms_with_a_reference_and_mails_the_client(
    tenant_a: TenantFixture, event_a: TourEvent, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(tenant_a.client(), create_url(event_a), booking_form())
    assert response.status_code == 200
    events = parse_sse(response)
    assert [(e.type, e.selector) for e in events] == [
        ("datastar-patch-elements", "#booking-form-container"),
        ("datastar-patch-elements", f"#seats-left-{event_a.pk}"),
        ("datastar-patch-signals", None),
    ]
    assert events[2].signals == {
        "loading": False,
        "showSuccess": True,
        "errors": {},
        "seats": {f"e{event_a.pk}": 6},  # 8 less the 2 just booked: the badge's live signal
    }
    with tenant_a.schema():
        booking = Booking.objects.select_related("client").get()
        assert (booking.status, booking.source, booking.participants) == ("pending", "public", 2)
        assert (booking.client.name, booking.client.email) == ("Eva Lima", "eva@example.com")
        assert TourEvent.objects.get(pk=event_a.pk).seats_booked == 2
    assert root_ids(events[0].html) == ["booking-form-container"]
    assert text_by_id(events[0].html)["booking-reference"] == booking.reference
    assert text_by_id(events[1].html) == {f"seats-left-{event_a.pk}": "6 seats left"}
    assert [m.to for m in mail.outbox] == [["eva@example.com"]]
    assert booking.reference in mail.outbox[0].body


def test_booking_reuses_the_client_with_that_email(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    with tenant_a.schema():
        known = services.client_create(actor="t", name="Eva L.", email="eva@example.com")
    post_form(tenant_a.client(), create_url(event_a), booking_form(email="EVA@example.com"))
    with tenant_a.schema():
        assert Client.objects.count() == 1
        assert Booking.objects.get().client_id == known.pk


def test_booking_starts_confirmed_when_the_business_chose_so(
    tenant_a: TenantFixture, event_a: TourEvent
) -> None:
    with tenant_a.schema():
        services.booking_settings_update(actor="owner", public_bookings_confirmed=True)
    events = parse_sse(post_form(tenant_a.client(), create_url(event_a), booking_form()))
    assert "You're booked!" in events[0].html
    with tenant_a.schema():
        assert Booking.objects.get().status == "confirmed"


def test_booking_needs_the_csrf_token(tenant_a: TenantFixture, event_a: TourEvent) -> None:
    client = DjangoClient(HTTP_HOST=tenant_a.host, enforce_csrf_checks=True)
    token = client.get(f"/book/{event_a.pk}/").context["csrf_token"]
    before = state_of(tenant_a)
    assert post_form(client, create_url(event_a), booking_form()).status_code == 403
    assert state_of(tenant_a) == before
    accepted = post_form(
        client, create_url(event_a), {**booking_form(), "csrfmiddlewaretoken": str(token)}
    )
    assert parse_sse(accepted)[-1].signals["showSuccess"] is True


BAD_INPUT = [
    (
        {"name": None, "email": None, "participants": None},
        {
            "name": ["Enter your name."],
            "email": ["Enter your e-mail address."],
            "participants": ["Enter the number of participants."],
        },
    ),
    ({"email": "eva@"}, {"email": ["Enter a valid e-mail address."]}),
    ({"participants": "0"}, {"participants": ["Book at least 1 participant."]}),
    ({"participants": "-1"}, {"participants": ["Book at least 1 participant."]}),
    (
        {"participants": "99999999999999999999"},
        {"participants": ["Book at most 100 participants."]},
    ),
    ({"participants": "two"}, {"participants": ["Enter a whole number of participants."]}),
    ({"participants": "9"}, {"participants": ["Only 8 seats left on this departure."]}),
    ({"name": "x" * 201}, {"name": ["Ensure this value has at most 200 characters (it has 201)."]}),
]


@pytest.mark.parametrize(("changes", "errors"), BAD_INPUT)
def test_bad_input_is_refused_with_a_clear_error(
    tenant_a: TenantFixture, event_a: TourEvent, changes: dict, errors: dict
) -> None:
    before = state_of(tenant_a)
    response = post_form(tenant_a.client(), create_url(event_a), booking_form(**changes))
    assert response.status_code == 200
    events = parse_sse(response)
    assert [(e.selector) for e in events] == ["#form-errors", None]
    assert events[1].signals == {"loading": False, "errors": errors}
    labels = view_common.FIELD_LABELS
    assert list_items(events[0].html) == [
        f"{labels[field]}: {m}" for field, messages in errors.items() for m in messages
    ]
    assert state_of(tenant_a) == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("why", "message"),
    [
        ("cancelled", "Departure: This departure is cancelled."),
        ("past", "Departure: This departure has already left."),
        ("full", "Departure: This departure is sold out."),
    ],
)
def test_an_unbookable_departure_is_refused(
    tenant_a: TenantFixture, event_a: TourEvent, why: str, message: str
) -> None:
    with tenant_a.schema():
        if why == "cancelled":
            tour_services.tour_event_cancel(actor="t", event=event_a)
        elif why == "past":
            TourEvent.objects.filter(pk=event_a.pk).update(starts_at=timezone.now() - timedelta(1))
        else:
            book(event_a, 8)
    before = state_of(tenant_a)
    events = parse_sse(post_form(tenant_a.client(), create_url(event_a), booking_form()))
    assert list_items(events[0].html) == [message]
    assert state_of(tenant_a) == before
    assert mail.outbox == []


def test_a_departure_of_another_business_is_404_on_this_host(
    tenant_a: TenantFixture, tenant_b: TenantFixture
) -> None:
    with tenant_b.schema():
        tour = make_tour("Bravo Hike")
        foreign = [make_event(tour, days=d) for d in range(2, 9)][-1]
    with tenant_a.schema():
        assert not TourEvent.objects.filter(pk=foreign.pk).exists()
    before_a, before_b = state_of(tenant_a), state_of(tenant_b)
    client = tenant_a.client()
    assert client.get(f"/book/{foreign.pk}/").status_code == 404
    assert post_form(client, create_url(foreign), booking_form()).status_code == 404
    assert (state_of(tenant_a), state_of(tenant_b)) == (before_a, before_b)
    assert mail.outbox == []


def test_an_unexpected_failure_is_reported_without_internals(
    tenant_a: TenantFixture, event_a: TourEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[BaseException] = []

    def explode(**kwargs: object) -> None:
        raise ConnectionError("could not connect to server at 10.0.0.7")

    monkeypatch.setattr(services, "booking_create_public", explode)
    monkeypatch.setattr(view_common.sentry_sdk, "capture_exception", reported.append)
    before = state_of(tenant_a)
    events = parse_sse(post_form(tenant_a.client(), create_url(event_a), booking_form()))
    assert list_items(events[0].html) == [
        "Something went wrong; nothing was booked. Please try again."
    ]
    assert "10.0.0.7" not in events[0].html + str(events[1].signals)
    assert len(reported) == 1
    assert state_of(tenant_a) == before
