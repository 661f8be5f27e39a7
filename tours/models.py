"""Tenant-schema models: tours, their departures, and the staff audit trail.

Everything here lives in one business's schema: no row carries a business, the schema is the
boundary (DESIGN.md §2).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

MAX_CAPACITY = 10_000
MAX_DURATION_MINUTES = 14 * 24 * 60


class Tour(models.Model):
    """Something a business sells: a walk, a boat trip, a tasting. Departures are its dates."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text="In the business's currency.",
    )
    default_capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="tour_price_not_negative"),
            models.CheckConstraint(
                condition=Q(default_capacity__gte=1), name="tour_default_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="tour_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def duration_label(self) -> str:
        hours, minutes = divmod(self.duration_minutes, 60)
        if hours and minutes:
            return f"{hours} h {minutes} min"
        return f"{hours} h" if hours else f"{minutes} min"


class TourEventQuerySet(models.QuerySet["TourEvent"]):
    def scheduled(self) -> TourEventQuerySet:
        return self.filter(status=TourEvent.Status.SCHEDULED)

    def locked(self) -> TourEventQuerySet:
        """Rows locked for the rest of the transaction, in primary-key order (no deadlocks)."""
        return self.select_for_update().order_by("pk")


class TourEvent(models.Model):
    """A departure: one tour at one start time, with a number of seats."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    tour = models.ForeignKey(Tour, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField(db_index=True)
    capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    # Maintained by the bookings services, under a row lock; the CHECK below is the last line.
    seats_booked = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    guide_name = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TourEventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_booked__gte=0) & Q(seats_booked__lte=F("capacity")),
                name="tour_event_seats_booked_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="tour_event_capacity_positive"
            ),
            # One scheduled departure per tour and start time: recurring schedules skip duplicates,
            # and two concurrent schedulers cannot both create one.
            models.UniqueConstraint(
                fields=["tour", "starts_at"],
                condition=Q(status="scheduled"),
                name="tour_event_one_scheduled_per_tour_and_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_booked, 0)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + self.tour.duration

    @property
    def fill_level(self) -> str:
        """A word for how full the departure is, for styling: open, filling, full."""
        if self.seats_left == 0:
            return "full"
        return "filling" if self.seats_left * 4 <= self.capacity else "open"


class AuditEntry(models.Model):
    """Who changed what inside a business (the platform's own trail is tenants.BusinessEvent)."""

    actor = models.CharField(max_length=254, help_text="A user name, a command, or 'system'.")
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=64)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id} by {self.actor}"

    @property
    def action_label(self) -> str:
        """The action as people read it in a timeline: "booking.checked_in" → "Checked in"."""
        return self.action.split(".", 1)[-1].replace("_", " ").capitalize()
