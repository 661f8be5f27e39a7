"""Platform operators' changes to a business: suspend, resume, extra domains, delete."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_domain_name
from django.db import connection, transaction

from saas.db import tenant_db
from tenants.models import Business, BusinessEvent, Domain, LoginLinkUse
from tenants.sqlnames import ident


def business_suspend(*, business: Business, actor: str, reason: str = "") -> Business:
    """Suspend a business: its hosts answer with the suspended page from the very next request.

    The routing cache of every process is invalidated when the transaction commits (a NOTIFY on
    the routing channel, sent by the Business save; see saas.routing).
    """
    with transaction.atomic():
        locked = Business.objects.select_for_update().get(pk=business.pk, is_spare=False)
        if locked.status == Business.Status.SUSPENDED:
            raise ValidationError(f"{locked.name} is already suspended.")
        locked.status = Business.Status.SUSPENDED
        locked.save(update_fields=["status"])
        BusinessEvent.objects.create(
            business=locked, kind="suspended", actor=actor, detail={"reason": reason}
        )
    business.status = locked.status
    return locked


def business_resume(*, business: Business, actor: str) -> Business:
    """Resume a suspended business; its hosts serve it again from the very next request."""
    with transaction.atomic():
        locked = Business.objects.select_for_update().get(pk=business.pk, is_spare=False)
        if locked.status == Business.Status.ACTIVE:
            raise ValidationError(f"{locked.name} is not suspended.")
        locked.status = Business.Status.ACTIVE
        locked.save(update_fields=["status"])
        BusinessEvent.objects.create(business=locked, kind="resumed", actor=actor, detail={})
    business.status = locked.status
    return locked


def business_add_domain(*, business: Business, domain: str, actor: str) -> Domain:
    """Route an extra host name (e.g. the operator's own ``book.acme.com``) to a business.

    The name is stored lower-case without a trailing dot, which is how routing looks it up.
    """
    host = domain.strip().lower().rstrip(".")
    try:
        validate_domain_name(host)
    except ValidationError as exc:
        raise ValidationError(
            {"domain": ["Enter a valid host name, e.g. book.example.com."]}
        ) from exc
    base = settings.SAAS_BASE_DOMAIN
    if host in (base, f"www.{base}"):
        raise ValidationError({"domain": [f"{host} is the public site."]})
    with transaction.atomic():
        if Domain.objects.filter(domain=host).exists():
            raise ValidationError({"domain": [f"{host} already routes to a business."]})
        added = Domain(domain=host, tenant=business, is_primary=False)
        added.full_clean()
        added.save()
        BusinessEvent.objects.create(
            business=business, kind="domain_added", actor=actor, detail={"domain": host}
        )
    return added


def business_delete(*, business: Business, actor: str) -> None:
    """Drop the business's schema and delete its row and domains, in one transaction.

    The audit trail stays: the BusinessEvent rows lose their link and a "deleted" event names the
    schema and domains that were removed. Export first (``business_export``) to keep the data.
    """
    with transaction.atomic():
        locked = Business.objects.select_for_update().get(pk=business.pk)
        domains = list(locked.domains.values_list("domain", flat=True))  # type: ignore[attr-defined]
        schema_name = locked.schema_name
        tenant_db().set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {ident(schema_name)} CASCADE")
        BusinessEvent.objects.create(
            business=None,
            kind="deleted",
            actor=actor,
            detail={"schema_name": schema_name, "name": locked.name, "domains": domains},
        )
        locked.domains.all().delete()  # type: ignore[attr-defined]
        LoginLinkUse.objects.filter(schema_name=schema_name).delete()
        # Not Model.delete(): the schema is gone already, and TenantMixin would look for it.
        Business.objects.filter(pk=locked.pk).delete()


def business_update_settings(
    *, business: Business, actor: str, name: str, time_zone: str, currency: str
) -> Business:
    """Change a business's name, time zone and currency (its owner's settings page).

    Validates every field (ValidationError, nothing written), saves in one transaction with an
    audit entry, and leaves the connection on the schema it was on (the row is public).
    """
    with transaction.atomic():
        row = Business.objects.select_for_update().get(pk=business.pk)
        before = {"name": row.name, "time_zone": row.time_zone, "currency": row.currency}
        row.name, row.time_zone, row.currency = name.strip(), time_zone.strip(), currency
        row.full_clean(exclude=["schema_name"])
        after = {"name": row.name, "time_zone": row.time_zone, "currency": row.currency}
        changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        if changes:
            row.save(update_fields=["name", "time_zone", "currency"])  # clears the routing cache
            BusinessEvent.objects.create(
                business=row, kind="settings_updated", actor=actor, detail=changes
            )
    business.name, business.time_zone, business.currency = row.name, row.time_zone, row.currency
    return business
