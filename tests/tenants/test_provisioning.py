"""Provisioning: claim from the warm pool, fall back to migrations, never half-create anything."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from tenants.models import Business, BusinessEvent, Domain
from tenants.selectors import schema_pool_level
from tenants.services import business_provision, port_suffix, schedule_pool_refill
from tenants.services import provisioning as provisioning_module
from tests.tenants.conftest import SpareLock, committed, schemas


def _provision(sub: str, **extra: object):
    return business_provision(
        name=f"{sub.title()} Tours",
        subdomain=sub,
        owner_email=f"Owner@{sub}.example",
        owner_password="a-long-owner-password",
        time_zone="Europe/Madrid",
        actor="tests",
        **extra,
    )


def test_provisioning_claims_a_spare_schema_and_renames_it(spare_pool) -> None:
    # given a warm pool with at least one spare
    level = spare_pool(1)
    spare = Business.objects.filter(is_spare=True).order_by("pk").first()
    assert spare is not None and spare.schema_name.startswith("spare_")
    steps: list[str] = []

    # when a business is provisioned
    result = _provision("poolclaim", on_step=lambda key, _text: steps.append(key))

    # then the oldest spare row became the business, its schema renamed to the derived name
    business = Business.objects.get(schema_name="t_poolclaim")
    assert business.pk == spare.pk == result.business.pk
    assert (business.name, business.time_zone, business.is_spare, business.status) == (
        "Poolclaim Tours",
        "Europe/Madrid",
        False,
        "active",
    )
    assert spare.schema_name not in schemas("spare_")
    assert "t_poolclaim" in schemas("t_poolclaim")
    assert schema_pool_level() == level - 1
    assert list(business.domains.values_list("domain", "is_primary")) == [
        ("poolclaim.localhost", True)
    ]
    assert result.url == f"http://poolclaim.localhost{port_suffix()}/"
    assert result.owner_email == "owner@poolclaim.example"
    assert steps == ["schema", "domain", "owner"]
    event = BusinessEvent.objects.get(business=business, kind="provisioned")
    assert (event.detail["path"], event.detail["domain"], event.actor) == (
        "pool",
        "poolclaim.localhost",
        "tests",
    )
    # and the owner exists in the renamed schema, with the password given
    with schema_context("t_poolclaim"):
        owner = get_user_model().objects.get()
        assert (owner.username, owner.is_staff, owner.is_superuser) == (
            "owner@poolclaim.example",
            True,
            True,
        )
        assert owner.check_password("a-long-owner-password")
    # and the connection's search path follows the new name (a query in the schema works)
    with schema_context(business.schema_name), connection.cursor() as cursor:
        cursor.execute("SELECT current_schemas(false)")
        assert cursor.fetchone()[0][0] == "t_poolclaim"


def test_the_business_is_served_on_its_subdomain_right_after_the_claim(spare_pool) -> None:
    spare_pool(1)
    _provision("servedfast")
    from django.test import Client

    response = Client(HTTP_HOST="servedfast.localhost").get("/accounts/login/")
    assert response.status_code == 200
    assert "Log in to Servedfast Tours" in response.content.decode()


def test_with_every_spare_taken_it_falls_back_to_migrations_and_schedules_a_refill(
    spare_pool,
    django_capture_on_commit_callbacks,
) -> None:
    # given spares exist but other sign-ups hold every one of them
    level = spare_pool(1)
    with SpareLock() as lock, django_capture_on_commit_callbacks() as callbacks:
        assert lock.count == level
        # when a business is provisioned
        result = _provision("fallback")
    # then it got a freshly migrated schema, not a spare
    event = BusinessEvent.objects.get(business=result.business, kind="provisioned")
    assert event.detail["path"] == "migrate"
    assert not result.business.schema_name.startswith("spare_")
    assert schema_pool_level() == level
    with schema_context("t_fallback"):
        assert get_user_model().objects.get().username == "owner@fallback.example"
    # and a pool refill is scheduled for after the commit
    assert provisioning_module.schedule_pool_refill in callbacks


def test_refill_tops_the_pool_up_in_the_background(spare_pool) -> None:
    level = spare_pool(1)
    with override_settings(SCHEMA_POOL_AUTOFILL=True, SCHEMA_POOL_SIZE=level + 1):
        thread = schedule_pool_refill()
    assert thread is not None
    thread.join(timeout=120)
    assert schema_pool_level() == level + 1
    newest = Business.objects.filter(is_spare=True).order_by("-pk").first()
    assert newest is not None
    assert newest.schema_name in schemas("spare_")
    assert BusinessEvent.objects.filter(business=newest, kind="spare_created").count() == 1


def test_refill_is_off_when_autofill_is_off() -> None:
    with override_settings(SCHEMA_POOL_AUTOFILL=False):
        assert schedule_pool_refill() is None


def test_a_failure_after_the_rename_leaves_the_database_as_it_was(
    spare_pool,
    monkeypatch,
) -> None:
    # given a spare pool and a failure injected when the owner is created (after the rename)
    spare_pool(1)
    spares_before = set(Business.objects.filter(is_spare=True).values_list("pk", "schema_name"))
    schemas_before = schemas("")
    domains_before = Domain.objects.count()

    def explode(**_kwargs: object) -> None:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(provisioning_module, "_create_owner", explode)
    # when provisioning runs in a real (committing) transaction
    with pytest.raises(RuntimeError, match="injected failure"):
        committed(_provision, "halfway")
    # then nothing is left: same spares under the same names, no schema, row, domain
    assert set(Business.objects.filter(is_spare=True).values_list("pk", "schema_name")) == (
        spares_before
    )
    assert schemas("") == schemas_before
    assert "t_halfway" not in schemas("t_")
    assert not Business.objects.filter(schema_name="t_halfway").exists()
    assert Domain.objects.count() == domains_before
    assert not BusinessEvent.objects.filter(detail__domain="halfway.localhost").exists()


def test_a_failure_on_the_migrate_path_leaves_no_schema(spare_pool, monkeypatch) -> None:
    spare_pool(1)
    schemas_before = schemas("")

    def explode(**_kwargs: object) -> None:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(provisioning_module, "_create_owner", explode)
    with SpareLock(), pytest.raises(RuntimeError):
        _provision("migratefail")
    assert schemas("") == schemas_before
    assert not Business.objects.filter(schema_name="t_migratefail").exists()


def test_two_concurrent_signups_for_one_subdomain_create_exactly_one_business(
    spare_pool,
    cleanup,
) -> None:
    # given two spares, and two sign-ups for the same subdomain released at the same instant
    level = spare_pool(2)
    spares_before = set(
        Business.objects.filter(is_spare=True).values_list("schema_name", flat=True)
    )
    cleanup.append("racer")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sign_up(email: str) -> None:
        barrier.wait(timeout=30)
        try:
            business_provision(
                name="Racer",
                subdomain="racer",
                owner_email=email,
                owner_password="a-long-owner-password",
                actor="tests",
            )
            outcomes.append("created")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.message_dict["subdomain"]))

    threads = [
        threading.Thread(target=committed, args=(sign_up, email))
        for email in ("one@racer.example", "two@racer.example")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then exactly one business exists, the other sign-up was told the subdomain is taken
    assert sorted(outcomes) == ["created", "“racer” is already taken."]
    assert Business.objects.filter(schema_name="t_racer").count() == 1
    assert Domain.objects.filter(domain="racer.localhost").count() == 1
    # and the loser's spare went back to the pool untouched
    assert schema_pool_level() == level - 1
    spares_after = set(Business.objects.filter(is_spare=True).values_list("schema_name", flat=True))
    assert len(spares_before - spares_after) == 1
    assert spares_after <= schemas("spare_")


def test_concurrent_signups_claim_different_spares(spare_pool, cleanup) -> None:
    level = spare_pool(2)
    cleanup.extend(["parallel-a", "parallel-b"])
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def sign_up(sub: str) -> None:
        barrier.wait(timeout=30)
        results[sub] = business_provision(
            name=sub, subdomain=sub, owner_email=f"o@{sub}.example", actor="tests"
        ).business.pk

    threads = [
        threading.Thread(target=committed, args=(sign_up, sub))
        for sub in ("parallel-a", "parallel-b")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 2 and results["parallel-a"] != results["parallel-b"]
    paths = sorted(
        BusinessEvent.objects.filter(
            kind="provisioned", business__pk__in=results.values()
        ).values_list("detail__path", flat=True)
    )
    assert paths == ["pool", "pool"]
    assert schema_pool_level() == level - 2


def test_create_business_command_uses_the_pool(spare_pool, capsys) -> None:
    spare_pool(1)
    call_command(
        "create_business", name="Cmd Tours", subdomain="cmdtours", owner_email="o@cmd.example"
    )
    out = capsys.readouterr().out
    assert f"Created Cmd Tours at http://cmdtours.localhost{port_suffix()}/" in out
    assert "Owner password: " in out
    business = Business.objects.get(schema_name="t_cmdtours")
    assert business.events.get(kind="provisioned").detail["path"] == "pool"


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("subdomain", {"subdomain": "admin"}, "“admin” is reserved."),
        ("owner_email", {"owner_email": "not-an-email"}, "Enter a valid e-mail address."),
        ("time_zone", {"time_zone": "Mars/Olympus"}, "“Mars/Olympus” is not an IANA time zone"),
        ("name", {"name": "  "}, "Give the business a name."),
    ],
)
def test_invalid_input_creates_nothing(spare_pool, field, kwargs, message) -> None:
    level = spare_pool(1)
    counts = (Business.objects.count(), Domain.objects.count(), len(schemas("")))
    arguments = {
        "name": "Fine",
        "subdomain": "finesub",
        "owner_email": "o@fine.example",
        "time_zone": "UTC",
        **kwargs,
    }
    with pytest.raises(ValidationError) as info:
        business_provision(**arguments)
    assert message in " ".join(info.value.message_dict[field])
    assert (Business.objects.count(), Domain.objects.count(), len(schemas(""))) == counts
    assert schema_pool_level() == level
