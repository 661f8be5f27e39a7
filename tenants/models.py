"""Public-schema models: the businesses (tenants) and the host names that route to them."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

from tenants.currencies import CURRENCY_CHOICES, validate_currency


@cache
def _time_zones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk (~45 ms); the set does not change.
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(f"“{value}” is not an IANA time zone (for example Europe/Lisbon).")


class Business(TenantMixin):
    """A tour operator: one PostgreSQL schema, one or more domains."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    currency = models.CharField(
        max_length=3,
        default="EUR",
        choices=CURRENCY_CHOICES,
        validators=[validate_currency],
        help_text="ISO 4217 code of the currency tour prices are in.",
    )
    # A spare is an already-migrated schema waiting in the warm pool to be claimed by a sign-up.
    is_spare = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name_plural = "businesses"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def primary_domain(self) -> str | None:
        domain = self.domains.filter(is_primary=True).first()  # type: ignore[attr-defined]
        return domain.domain if domain else None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Domain(DomainMixin):
    """A host name (always lower-case, no port, no trailing dot) that routes to a business."""

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class BusinessEvent(models.Model):
    """Audit trail of platform-level changes to a business (provisioned, suspended, …)."""

    # SET_NULL: the trail of a deleted business outlives it (its schema name is kept in ``detail``).
    business = models.ForeignKey(
        Business, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=40)
    actor = models.CharField(max_length=200, help_text="Who did it: a user, a command, a system.")
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.business_id} by {self.actor}"  # type: ignore[attr-defined]


class LoginLinkUse(models.Model):
    """A redeemed single-use login link (its nonce): a second use of the same link is refused."""

    nonce = models.CharField(max_length=64, unique=True)
    schema_name = models.CharField(max_length=63)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.schema_name} {self.used_at:%Y-%m-%d %H:%M}"


class SignupAttempt(models.Model):
    """One sign-up submission from a client address; rows inside the window are the rate limit."""

    client_address = models.GenericIPAddressField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["client_address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.client_address} {self.created_at:%Y-%m-%d %H:%M}"
