"""Provisioning businesses (DESIGN.md §3): claim a warm spare schema, or migrate a new one.

A spare is a Business row with ``is_spare=True`` whose schema ``spare_<hex>`` has every tenant
migration applied (``migrate_schemas`` keeps it current like any tenant). Claiming one renames the
schema and fills in the row inside the sign-up's transaction, which takes milliseconds; running
the migrations takes seconds and grows with every migration added.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from psycopg import errors as pg_errors

from saas.db import tenant_db
from tenants.models import Business, BusinessEvent, Domain, validate_time_zone
from tenants.selectors import schema_pool_level
from tenants.services.subdomains import business_url, schema_name_for, subdomain_problem
from tenants.sqlnames import ident

logger = logging.getLogger(__name__)

ProvisionPath = Literal["pool", "migrate"]
StepCallback = Callable[[str, str], None]  # (step key, human sentence)

SPARE_PREFIX = "spare_"
SPARE_NAME = "Spare schema (warm pool)"
# pg_try_advisory_lock key: one pool filler at a time across every process.
POOL_FILL_LOCK = 0x70D5_9001


@dataclass(frozen=True)
class Provisioned:
    business: Business
    url: str
    owner_email: str
    owner_password: str | None  # set only when it was generated here


def _no_step(_key: str, _text: str) -> None:
    return None


def business_provision(
    *,
    name: str,
    subdomain: str,
    owner_email: str,
    owner_password: str | None = None,
    owner_name: str = "",
    time_zone: str = "UTC",
    actor: str = "system",
    on_step: StepCallback | None = None,
) -> Provisioned:
    """Create a business with its schema, its primary domain ``<sub>.<base>`` and its owner.

    Guarantees: every input is validated before anything is written; a spare schema from the warm
    pool is claimed when there is one, otherwise the tenant migrations run; the whole provisioning
    runs in one transaction, so a failure at any step leaves no schema, row, domain or user behind
    (a claimed spare goes back to the pool untouched); two concurrent calls never claim the same
    spare, and two concurrent calls for the same subdomain create exactly one business, the other
    raising ValidationError. After the commit, the pool is refilled in the background.
    """
    step = on_step or _no_step
    label = subdomain.strip().lower()
    email = owner_email.strip().lower()
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors.setdefault("name", []).append("Give the business a name.")
    problem = subdomain_problem(label)
    if problem:
        errors.setdefault("subdomain", []).append(problem)
    try:
        validate_email(email)
    except ValidationError:
        errors.setdefault("owner_email", []).append("Enter a valid e-mail address.")
    try:
        validate_time_zone(time_zone)
    except ValidationError as exc:
        errors.setdefault("time_zone", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    generated = owner_password is None
    password = owner_password if owner_password is not None else secrets.token_urlsafe(12)
    # Hashing is deliberately slow; doing it before the transaction keeps the claim's locks short.
    password_hash = make_password(password)
    first_name, _, last_name = owner_name.strip().partition(" ")
    host = f"{label}.{settings.SAAS_BASE_DOMAIN}"
    started = time.perf_counter()
    try:
        with transaction.atomic():
            business, path = _business_with_schema(
                schema_name=schema_name_for(label),
                name=name.strip(),
                time_zone=time_zone,
                step=step,
            )
            step("domain", f"Pointing {host} at it")
            Domain.objects.create(domain=host, tenant=business, is_primary=True)
            step("owner", f"Creating the owner account {email}")
            _create_owner(
                business=business,
                email=email,
                password_hash=password_hash,
                first_name=first_name,
                last_name=last_name.strip(),
            )
            BusinessEvent.objects.create(
                business=business,
                kind="provisioned",
                actor=actor,
                detail={
                    "domain": host,
                    "path": path,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            transaction.on_commit(schedule_pool_refill)
    except IntegrityError as exc:
        raise ValidationError({"subdomain": [f"“{label}” is already taken."]}) from exc
    except ValidationError as exc:
        # Schema-name uniqueness found on the row (a sign-up that won a race since the check).
        if hasattr(exc, "error_dict") and "schema_name" in exc.error_dict:
            raise ValidationError({"subdomain": [f"“{label}” is already taken."]}) from exc
        raise
    except DatabaseError as exc:
        if isinstance(exc.__cause__, pg_errors.DuplicateSchema):
            raise ValidationError({"subdomain": [f"“{label}” is already taken."]}) from exc
        raise
    finally:
        tenant_db().set_schema_to_public()
    return Provisioned(
        business=business,
        url=business_url(host),
        owner_email=email,
        owner_password=password if generated else None,
    )


def _business_with_schema(
    *, schema_name: str, name: str, time_zone: str, step: StepCallback
) -> tuple[Business, ProvisionPath]:
    """A business row with a migrated schema: a claimed spare, or (pool empty) a new migration.

    Must run inside a transaction: the claim holds the spare's row lock until the commit.
    """
    step("schema", "Claiming a ready database schema from the warm pool")
    spare = (
        Business.objects.select_for_update(skip_locked=True)
        .filter(is_spare=True)
        .order_by("pk")
        .first()
    )
    if spare is not None:
        _rename_schema(old=spare.schema_name, new=schema_name)
        spare.schema_name = schema_name
        spare.name = name
        spare.time_zone = time_zone
        spare.is_spare = False
        spare.status = Business.Status.ACTIVE
        spare.created_at = timezone.now()
        # Uniqueness is the database's job here (a race is reported as "already taken").
        spare.full_clean(validate_unique=False)
        spare.save(
            update_fields=["schema_name", "name", "time_zone", "is_spare", "status", "created_at"]
        )
        return spare, "pool"
    step("migrate", "The pool is empty: creating a schema and running the migrations")
    business = Business(schema_name=schema_name, name=name, time_zone=time_zone)
    business.full_clean()
    business.save(verbosity=0)  # creates the schema and runs the tenant migrations
    return business, "migrate"


def _rename_schema(*, old: str, new: str) -> None:
    # The session may still have the old name in its search_path; forget it so that the next
    # set_tenant()/schema_context() issues SET search_path with the new name.
    tenant_db().set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {ident(old)} RENAME TO {ident(new)}")
    tenant_db().search_path_set_schemas = None


def _create_owner(
    *, business: Business, email: str, password_hash: str, first_name: str, last_name: str
) -> None:
    with schema_context(business.schema_name):
        get_user_model().objects.create(
            username=email,
            email=email,
            password=password_hash,
            first_name=first_name[:150],
            last_name=last_name[:150],
            is_staff=True,
            is_superuser=True,  # the owner; superuser only inside their own schema
        )


def schema_pool_fill(*, size: int, actor: str = "system") -> int:
    """Create spare schemas until the pool holds ``size``; returns how many were created.

    Each spare is committed on its own, so sign-ups can claim it as soon as it exists. One filler
    runs at a time across all processes (a PostgreSQL advisory lock); a second caller returns 0.
    """
    if size < 0:
        raise ValidationError({"size": ["The pool size cannot be negative."]})
    tenant_db().set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [POOL_FILL_LOCK])
        (locked,) = cursor.fetchone()
    if not locked:
        return 0
    created = 0
    try:
        while schema_pool_level() < size:
            with transaction.atomic():
                spare = Business(
                    schema_name=f"{SPARE_PREFIX}{secrets.token_hex(6)}",
                    name=SPARE_NAME,
                    is_spare=True,
                )
                spare.full_clean()
                spare.save(verbosity=0)
                BusinessEvent.objects.create(
                    business=spare, kind="spare_created", actor=actor, detail={}
                )
            created += 1
    finally:
        tenant_db().set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [POOL_FILL_LOCK])
    return created


_refill_lock = threading.Lock()
refill_threads: list[threading.Thread] = []  # the latest refill, for tests and shutdown


def schedule_pool_refill() -> threading.Thread | None:
    """Top the pool up to SCHEMA_POOL_SIZE in a background thread (never in the request)."""
    if not settings.SCHEMA_POOL_AUTOFILL:
        return None
    thread = threading.Thread(target=_refill, name="schema-pool-refill", daemon=True)
    refill_threads[:] = [thread]
    thread.start()
    return thread


def _refill() -> None:
    if not _refill_lock.acquire(blocking=False):
        return  # this process is refilling already
    try:
        schema_pool_fill(size=settings.SCHEMA_POOL_SIZE, actor="system:pool-refill")
    except Exception:
        logger.exception("refilling the schema pool failed")
    finally:
        _refill_lock.release()
        connection.close()
