"""Cross-process routing invalidation, proven against a real gunicorn server with 2 workers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection

from saas.routing_listener import routing_change_barrier
from tenants.selectors import business_get_by_subdomain
from tenants.services import business_provision, business_resume
from tests.live import LiveServer, database_url, request
from tests.tenants.conftest import committed

pytestmark = pytest.mark.django_db

HOST = "liveroute.localhost"


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker) -> Iterator[LiveServer]:
    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    # A routing cache entry would live an hour: only the notification can clear it in time.
    env = {"ROUTING_CACHE_SECONDS": "3600"}
    with LiveServer(database_url=url, workers=2, threads=4, env=env) as live:
        yield live


def test_suspend_in_another_process_applies_to_the_servers_very_next_request(
    server: LiveServer,
    spare_pool,
    cleanup,
) -> None:
    # given a committed business whose route every worker of the server has cached
    spare_pool(1)
    cleanup.append("liveroute")
    committed(
        business_provision,
        name="Live Route Tours",
        subdomain="liveroute",
        owner_email="o@liveroute.example",
        actor="tests",
    )
    for _ in range(12):  # spread over both workers (each has its own cache)
        status, _headers, body = request(server, HOST, "/accounts/login/")
        assert status == 200
        assert b"Log in to Live Route Tours" in body
    # and both workers are listening (each acknowledges a routing change)
    assert committed(routing_change_barrier) >= 2

    # when this process suspends it (the operator command, committed)
    committed(call_command, "suspend_business", "liveroute")

    # then the server's very next request, and every one after, gets the suspended page
    for _ in range(12):
        status, _headers, body = request(server, HOST, "/accounts/login/")
        assert status == 403
        assert b"Live Route Tours is not taking bookings" in body

    # when it is resumed, the very next request is served again
    committed(
        lambda: business_resume(
            business=business_get_by_subdomain(subdomain="liveroute"), actor="tests"
        )
    )
    for _ in range(12):
        status, _headers, _body = request(server, HOST, "/accounts/login/")
        assert status == 200
