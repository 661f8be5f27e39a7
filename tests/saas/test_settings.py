"""Configuration from the environment: embedded database, production guard, Sentry."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client

from saas.sentry import tag_tenant_schema
from tests.conftest import TenantFixture
from tests.live import ROOT


def run_python(code: str, **env: str | None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in env}
    environment.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_embedded_postgresql_is_used_when_database_url_is_unset() -> None:
    code = (
        "import django, os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'saas.settings'\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT current_setting(%s), current_database()', ['data_directory'])\n"
        "    print(*c.fetchone())\n"
        "print(os.environ['TOURDESK_EMBEDDED_DB'])\n"
    )
    result = run_python(code, DATABASE_URL=None, TOURDESK_EMBEDDED_DB=None)
    assert result.returncode == 0, result.stderr
    data_directory, database, embedded = result.stdout.split()
    assert data_directory == str(ROOT / ".data" / "pg")
    assert database == "tourdesk"
    assert embedded == "1"


def test_production_refuses_the_development_secret_key() -> None:
    result = run_python(
        "import saas.settings", DEBUG="0", SECRET_KEY=None, DATABASE_URL="postgresql://x@h/db"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a random string of at least 32 characters" in result.stderr


def test_production_starts_with_a_real_secret_key() -> None:
    result = run_python(
        "import saas.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SAAS_URL_SCHEME)",
        DEBUG="0",
        SECRET_KEY="k" * 50,
        DATABASE_URL="postgresql://x@h/db",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "https"]


@pytest.mark.parametrize(("dsn", "active"), [(None, "False"), ("https://key@127.0.0.1/1", "True")])
def test_sentry_is_initialised_only_when_a_dsn_is_set(dsn: str | None, active: str) -> None:
    result = run_python(
        "import saas.settings, sentry_sdk; print(sentry_sdk.get_client().is_active())",
        SENTRY_DSN=dsn,
        DATABASE_URL="postgresql://x@h/db",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == active


def test_sentry_events_are_tagged_with_the_tenant_schema(tenant_a: TenantFixture) -> None:
    with tenant_a.schema():
        event = tag_tenant_schema({"tags": {"existing": "kept"}}, {})
    assert event["tags"] == {"existing": "kept", "tenant.schema": "t_alpha"}
    connection.set_schema_to_public()
    assert tag_tenant_schema({}, {})["tags"] == {"tenant.schema": "public"}


def test_datastar_client_is_served_and_is_the_pinned_build(tenant_a: TenantFixture) -> None:
    client = tenant_a.client()
    login = client.get("/accounts/login/").content.decode()
    assert '<script type="module" src="/static/vendor/datastar.js"></script>' in login
    response = client.get("/static/vendor/datastar.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == (
        "31c8c9efb895beadeba5f73407c3ca60201dee321c5dea56c182817b475bde9f"
    )


def test_public_site_has_no_tenant_pages(db: None) -> None:
    response = Client(HTTP_HOST="localhost").get("/dashboard/today")
    assert response.status_code == 404
