"""/healthz answers on every host: 200 when PostgreSQL answers, 503 when it does not."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.live import LiveServer, free_port, request


@pytest.mark.parametrize("host", ["localhost", "alpha.localhost", "unknown.example", "127.0.0.1"])
def test_healthz_answers_on_every_host(tenant_a, host: str) -> None:
    response = Client(HTTP_HOST=host).get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path) -> None:
    # given a real server whose database is a closed port on loopback
    dead = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"
    server = LiveServer(database_url=dead, env={"DB_POOL_TIMEOUT": "1"})
    server.start_without_waiting()
    try:
        # when a probe asks
        status, _headers, body = server.wait_for(lambda: request(server, "127.0.0.1", "/healthz"))
        # then it says the database is unavailable
        assert status == 503
        assert json.loads(body) == {"status": "error", "database": "unavailable"}
    finally:
        server.stop()
