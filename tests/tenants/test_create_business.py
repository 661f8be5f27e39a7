"""The create_business command: success, and each refusal leaves the database unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from tenants.models import Business, BusinessEvent, Domain
from tests.live import ROOT, database_url


def snapshot() -> tuple[list[str], list[str], list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%' ORDER BY nspname"
        )
        schemas = [row[0] for row in cursor.fetchall()]
    return (
        schemas,
        sorted(Business.objects.values_list("schema_name", flat=True)),
        sorted(Domain.objects.values_list("domain", flat=True)),
    )


@pytest.mark.django_db
def test_create_business_creates_schema_domain_and_owner() -> None:
    out = StringIO()
    call_command(
        "create_business",
        name="Harbour Kayaks",
        subdomain="Harbour-Kayaks",
        owner_email="Skipper@Harbour.example",
        owner_password="long-enough-secret",
        stdout=out,
    )
    assert out.getvalue().splitlines() == [
        "Created Harbour Kayaks at http://harbour-kayaks.localhost:8000/",
        "Owner login: skipper@harbour.example",
    ]
    business = Business.objects.get(schema_name="t_harbour_kayaks")
    assert business.name == "Harbour Kayaks"
    assert business.status == Business.Status.ACTIVE
    assert business.primary_domain == "harbour-kayaks.localhost"
    assert schema_exists("t_harbour_kayaks")
    assert list(BusinessEvent.objects.filter(business=business).values_list("kind", "actor")) == [
        ("provisioned", "command:create_business")
    ]
    with schema_context("t_harbour_kayaks"):
        owner = get_user_model().objects.get()
        assert owner.username == "skipper@harbour.example"
        assert owner.is_superuser
        assert owner.check_password("long-enough-secret")


@pytest.mark.django_db
def test_create_business_generates_and_prints_a_password_when_none_is_given() -> None:
    out = StringIO()
    call_command(
        "create_business",
        name="Dune Rides",
        subdomain="dunes",
        owner_email="a@dunes.example",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[2].startswith("Owner password: ")
    password = lines[2].removeprefix("Owner password: ")
    assert len(password) >= 16
    with schema_context("t_dunes"):
        assert get_user_model().objects.get().check_password(password)


@pytest.mark.parametrize(
    ("subdomain", "reason"),
    [
        ("-bad", "cannot start or end with a hyphen"),
        ("under_score", "letters, digits or hyphens"),
        ("a" * 61, "1 to 60 letters"),
        ("../etc", "letters, digits or hyphens"),
        ("www", "“www” is reserved."),
        ("ADMIN", "“admin” is reserved."),
        ("api", "“api” is reserved."),
        ("mail", "“mail” is reserved."),
        ("static", "“static” is reserved."),
        ("ALPHA", "“alpha” is already taken."),
    ],
)
def test_refusals_exit_non_zero_with_one_line_and_change_nothing(
    tenant_a,
    subdomain: str,
    reason: str,
) -> None:
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "create_business", f"--subdomain={subdomain}", name="X", owner_email="x@x.example"
        )
    message = str(excinfo.value)
    assert "\n" not in message
    assert message.startswith("Business not created: subdomain: ")
    assert reason in message
    assert snapshot() == before


def test_bad_email_and_time_zone_are_refused(db: None) -> None:
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "create_business",
            name="X",
            subdomain="fine",
            owner_email="not-an-email",
            time_zone="Mars/Olympus",
        )
    assert "owner_email: Enter a valid e-mail address." in str(excinfo.value)
    assert "time_zone: “Mars/Olympus” is not an IANA time zone" in str(excinfo.value)
    assert snapshot() == before


def test_command_line_refusal_exits_with_status_1(tenant_a) -> None:
    # given the real command line, against the test database
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    before = snapshot()
    argv = ["create_business", "--subdomain=www", "--name=X", "--owner-email=a@b.example"]
    result = subprocess.run(
        [sys.executable, "manage.py", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "CommandError: Business not created: subdomain: “www” is reserved."
    ]
    assert snapshot() == before
