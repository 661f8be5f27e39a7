"""Operator actions on a business: suspend, resume, extra domains, export, restore, delete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from tenants.models import Business, BusinessEvent, Domain
from tenants.services import (
    business_add_domain,
    business_delete,
    business_export,
    business_provision,
    business_restore,
    business_resume,
    business_suspend,
)
from tests.conftest import OWNER_PASSWORD, TenantFixture
from tests.tenants.conftest import committed, schemas


def _row_counts(schema: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema]
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def test_suspend_and_resume_take_effect_on_the_next_request(tenant_a: TenantFixture) -> None:
    # given the business's route is cached by a first request
    assert tenant_a.client().get("/accounts/login/").status_code == 200
    # when it is suspended
    business_suspend(business=tenant_a.business, actor="tests", reason="unpaid")
    # then the next request gets the suspended page
    response = tenant_a.client().get("/accounts/login/")
    assert response.status_code == 403
    assert "Alpha Tours is not taking bookings" in response.content.decode()
    # when it is resumed, the next request is served again
    business_resume(business=tenant_a.business, actor="tests")
    assert tenant_a.client().get("/accounts/login/").status_code == 200
    kinds = list(
        BusinessEvent.objects.filter(business=tenant_a.business)
        .order_by("id")
        .values_list("kind", "actor", "detail")
    )
    assert kinds[-2:] == [("suspended", "tests", {"reason": "unpaid"}), ("resumed", "tests", {})]


def test_suspending_twice_is_refused_and_changes_nothing(tenant_a: TenantFixture) -> None:
    business_suspend(business=tenant_a.business, actor="tests")
    events = BusinessEvent.objects.count()
    with pytest.raises(ValidationError, match="already suspended"):
        business_suspend(business=tenant_a.business, actor="tests")
    assert BusinessEvent.objects.count() == events
    assert Business.objects.get(pk=tenant_a.business.pk).status == "suspended"


def test_resuming_an_active_business_is_refused(tenant_b: TenantFixture) -> None:
    events = BusinessEvent.objects.count()
    with pytest.raises(ValidationError, match="is not suspended"):
        business_resume(business=tenant_b.business, actor="tests")
    assert BusinessEvent.objects.count() == events


def test_suspend_and_resume_commands(tenant_a: TenantFixture, capsys) -> None:
    call_command("suspend_business", "alpha", reason="chargeback")
    assert "Suspended Alpha Tours (alpha.localhost)." in capsys.readouterr().out
    assert tenant_a.client().get("/").status_code == 403
    call_command("resume_business", "ALPHA.localhost")
    assert "Resumed Alpha Tours (alpha.localhost)." in capsys.readouterr().out
    assert tenant_a.client().get("/accounts/login/").status_code == 200
    with pytest.raises(CommandError, match=r"No business at nosuch\.localhost"):
        call_command("suspend_business", "nosuch")


def test_an_extra_domain_routes_to_the_business(tenant_a: TenantFixture) -> None:
    added = business_add_domain(
        business=tenant_a.business, domain="Book.Alpha-Tours.COM.", actor="tests"
    )
    assert (added.domain, added.is_primary) == ("book.alpha-tours.com", False)
    response = Client(HTTP_HOST="book.alpha-tours.com").get("/accounts/login/")
    assert response.status_code == 200
    assert "Log in to Alpha Tours" in response.content.decode()
    event = BusinessEvent.objects.filter(business=tenant_a.business).first()
    assert (event.kind, event.detail) == ("domain_added", {"domain": "book.alpha-tours.com"})


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        ("not a host", "Enter a valid host name"),
        ("localhost", "Enter a valid host name"),
        ("www.localhost", "www.localhost is the public site."),
        ("bravo.localhost", "bravo.localhost already routes to a business."),
    ],
)
def test_a_bad_or_taken_extra_domain_is_refused(
    tenant_a: TenantFixture, tenant_b: TenantFixture, domain: str, message: str
) -> None:
    before = sorted(Domain.objects.values_list("domain", "tenant_id"))
    with pytest.raises(ValidationError) as info:
        business_add_domain(business=tenant_a.business, domain=domain, actor="tests")
    assert message in " ".join(info.value.message_dict["domain"])
    assert sorted(Domain.objects.values_list("domain", "tenant_id")) == before


def test_export_then_restore_gives_a_business_with_equal_rows(
    tenant_a: TenantFixture,
    spare_pool,
) -> None:
    # given a business with some data of its own
    spare_pool(1)
    with tenant_a.schema():
        for n in range(3):
            get_user_model().objects.create_user(
                username=f"staff{n}@alpha.example", password="x-pass-1234", is_staff=True
            )
    source_counts = _row_counts("t_alpha")
    # when it is exported (through JSON text, as the file holds it) and restored under a new name
    export = json.loads(json.dumps(business_export(business=tenant_a.business, actor="tests")))
    restored = business_restore(export=export, subdomain="alpha-copy", actor="tests")
    # then every table has the same number of rows
    assert export["business"]["domains"] == ["alpha.localhost"]
    assert _row_counts(restored.schema_name) == source_counts
    assert source_counts["auth_user"] == 4
    assert (restored.name, restored.time_zone) == ("Alpha Tours", "Europe/Lisbon")
    # and the owner logs in on the restored business's host with the same password
    client = Client(HTTP_HOST="alpha-copy.localhost")
    response = client.post(
        "/accounts/login/", {"username": tenant_a.owner_email, "password": OWNER_PASSWORD}
    )
    assert response.status_code == 302
    # and new rows continue after the restored ids
    with schema_context(restored.schema_name):
        new_user = get_user_model().objects.create_user(username="new@alpha.example")
        assert (
            new_user.pk
            == max(get_user_model().objects.exclude(pk=new_user.pk).values_list("pk", flat=True))
            + 1
        )
    assert restored.events.get(kind="restored").detail["from_schema"] == "t_alpha"


def test_restore_refuses_what_is_not_an_export(db: None) -> None:
    count = Business.objects.count()
    with pytest.raises(ValidationError, match="not a Tourdesk business export"):
        business_restore(export={"tables": {}}, subdomain="junk", actor="tests")
    assert Business.objects.count() == count


def test_export_delete_then_the_schema_is_gone(spare_pool, tmp_path: Path) -> None:
    # given a committed business
    spare_pool(1)
    committed(business_provision, name="Doomed", subdomain="doomed", owner_email="o@doomed.example")
    business = Business.objects.get(schema_name="t_doomed")
    output = tmp_path / "doomed.json"
    # when the operator deletes it with the command (which exports first)
    committed(call_command, "delete_business", "doomed", "--confirm", "--output", str(output))
    # then the export holds its rows, and the schema, row and domain are gone
    data = json.loads(output.read_text())
    assert data["business"]["schema_name"] == "t_doomed"
    assert data["tables"]["auth_user"][0]["username"] == "o@doomed.example"
    assert "t_doomed" not in schemas("t_")
    assert not Business.objects.filter(pk=business.pk).exists()
    assert not Domain.objects.filter(domain="doomed.localhost").exists()
    # and the audit trail remains, naming what was deleted
    deleted = BusinessEvent.objects.filter(kind="deleted", detail__schema_name="t_doomed").get()
    assert (deleted.business, deleted.actor, deleted.detail["domains"]) == (
        None,
        "command:delete_business",
        ["doomed.localhost"],
    )
    assert Client(HTTP_HOST="doomed.localhost").get("/").status_code == 404


def test_delete_command_needs_confirm_and_deletes_nothing_without_it(
    tenant_a: TenantFixture,
) -> None:
    with pytest.raises(CommandError, match="Run again with --confirm"):
        call_command("delete_business", "alpha")
    assert "t_alpha" in schemas("t_alpha")
    assert Business.objects.filter(pk=tenant_a.business.pk).exists()


def test_delete_service_drops_schema_in_the_transaction(tenant_b: TenantFixture) -> None:
    business_delete(business=tenant_b.business, actor="tests")
    assert "t_bravo" not in schemas("t_bravo")
    assert not Business.objects.filter(schema_name="t_bravo").exists()
    # (rolled back with the test's transaction: DDL is transactional in PostgreSQL)


def test_export_and_restore_commands(
    tenant_a: TenantFixture, spare_pool, tmp_path: Path, capsys
) -> None:
    spare_pool(1)
    output = tmp_path / "alpha.json"
    call_command("export_business", "alpha", "--output", str(output))
    assert f"to {output}." in capsys.readouterr().out
    call_command("restore_business", str(output), "--subdomain", "alpha-two", "--name", "Alpha Two")
    assert "Restored into Alpha Two at alpha-two.localhost." in capsys.readouterr().out
    assert _row_counts("t_alpha_two") == _row_counts("t_alpha")


def test_list_businesses_json_and_table(
    tenant_a: TenantFixture, tenant_b: TenantFixture, capsys
) -> None:
    business_suspend(business=tenant_b.business, actor="tests")
    call_command("list_businesses", "--json")
    data = json.loads(capsys.readouterr().out)
    rows = {row["subdomain"]: row for row in data["businesses"]}
    assert (rows["alpha"]["status"], rows["alpha"]["staff"], rows["alpha"]["bookings"]) == (
        "active",
        1,
        0,
    )
    assert rows["bravo"]["status"] == "suspended"
    assert rows["bravo"]["primary_domain"] == "bravo.localhost"
    assert data["spare_pool"] == Business.objects.filter(is_spare=True).count()
    call_command("list_businesses", "--search", "bravo")
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["DOMAIN", "NAME", "STATUS", "CREATED", "STAFF", "BOOKINGS"]
    assert out[1].startswith("bravo.localhost  Bravo Adventures  suspended")
    assert out[-1].startswith("1 business(es);")


def test_add_business_domain_command(tenant_a: TenantFixture, capsys) -> None:
    call_command("add_business_domain", "alpha", "Trips.Alpha.Example")
    assert "trips.alpha.example now routes to Alpha Tours." in capsys.readouterr().out
    assert Client(HTTP_HOST="trips.alpha.example").get("/accounts/login/").status_code == 200
    with pytest.raises(CommandError, match="already routes to a business"):
        call_command("add_business_domain", "alpha", "trips.alpha.example")


def test_delete_with_no_export_writes_no_file(spare_pool, tmp_path: Path, monkeypatch) -> None:
    spare_pool(1)
    committed(business_provision, name="Gone", subdomain="gone-now", owner_email="o@gone.example")
    monkeypatch.chdir(tmp_path)
    committed(call_command, "delete_business", "gone-now", "--confirm", "--no-export")
    assert list(tmp_path.iterdir()) == []
    assert "t_gone_now" not in schemas("t_gone")
    assert not Domain.objects.filter(domain="gone-now.localhost").exists()
