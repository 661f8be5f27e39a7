"""The page server's answer on stream URLs (derived from the registry): the current state once."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import TenantFixture
from tests.tours.conftest import make_event, make_tour


def test_stream_urls_are_derived_from_the_registry() -> None:
    assert reverse("tour-event-live", args=[7]) == "/events/7/live"
    assert reverse("manifest-live", args=[7]) == "/events/7/manifest/live"
    assert reverse("booking-live", args=[7]) == "/bookings/7/live"
    assert reverse("dashboard-live") == "/dashboard/live"
    assert reverse("book-live") == "/book/live"


def test_staff_get_the_departure_state_once(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        event = make_event(make_tour("Harbour Walk", default_capacity=9))
    response = tenant_a.owner_client().get(f"/events/{event.pk}/live")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    body = response.content.decode()
    assert body.startswith("event: datastar-patch-elements\n")
    assert 'data: signals {"seatsLeft":9,"eventStatus":"scheduled"}' in body


def test_the_public_gets_seats_only_and_staff_topics_are_refused(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        event = make_event(make_tour("Harbour Walk", default_capacity=9))
    public = tenant_a.client()
    seats = public.get("/book/live")
    assert seats.status_code == 200
    assert seats.content.decode() == (
        f'event: datastar-patch-signals\ndata: signals {{"seats":{{"e{event.pk}":9}}}}\n\n'
    )
    assert public.get(f"/events/{event.pk}/live").status_code == 403
    assert public.get("/dashboard/live").status_code == 403


def test_unknown_objects_and_the_public_site_get_a_404(tenant_a: TenantFixture) -> None:
    assert tenant_a.owner_client().get("/bookings/999999/live").status_code == 404
    assert Client(HTTP_HOST="localhost").get("/book/live").status_code == 404
