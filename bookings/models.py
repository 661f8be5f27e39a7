"""Tenant-schema models: clients, their bookings of departures, and the booking settings.

Like tours.models, nothing here carries a business: the schema is the boundary (DESIGN.md §2).
Seats are accounted on ``TourEvent.seats_booked`` by the services in bookings.services, under a
row lock on the departure; the CHECK constraint there is the last line against overbooking.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from tours.models import TourEvent

MAX_PARTICIPANTS = 100
# Booking references are read out on the phone and typed from e-mails: no 0/O, 1/I/L.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6


class Client(models.Model):
    """A person who books. One client per e-mail address in a business (case-insensitive)."""

    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="client_email_unique_ci",
                violation_error_message="A client with this e-mail address already exists.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class BookingQuerySet(models.QuerySet["Booking"]):
    def active(self) -> BookingQuerySet:
        """Bookings that hold seats (everything but cancelled)."""
        return self.exclude(status=Booking.Status.CANCELLED)

    def locked(self) -> BookingQuerySet:
        """Rows locked for the rest of the transaction, in primary-key order (no deadlocks)."""
        return self.select_for_update().order_by("pk")


class Booking(models.Model):
    """Seats on one departure for one client.

    Lifecycle: pending → confirmed → checked_in → completed; pending or confirmed → cancelled
    (which frees the seats). Only bookings.services changes the status.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        CHECKED_IN = "checked_in", "Checked in"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Source(models.TextChoices):
        STAFF = "staff", "Staff"
        PUBLIC = "public", "Public booking page"

    PROGRESS = {
        Status.PENDING: 25,
        Status.CONFIRMED: 50,
        Status.CHECKED_IN: 75,
        Status.COMPLETED: 100,
        Status.CANCELLED: 0,
    }

    reference = models.CharField(max_length=12, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="bookings")
    event = models.ForeignKey(TourEvent, on_delete=models.PROTECT, related_name="bookings")
    participants = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTICIPANTS)]
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.STAFF)
    notes = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__gte=1), name="booking_participants_positive"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "confirmed", "checked_in", "completed", "cancelled"]
                ),
                name="booking_status_known",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.participants} × {self.event_id})"  # type: ignore[attr-defined]

    @property
    def progress_percentage(self) -> int:
        return self.PROGRESS[Booking.Status(self.status)]

    @property
    def holds_seats(self) -> bool:
        return self.status != self.Status.CANCELLED


class BookingSettings(models.Model):
    """The business's booking preferences: one row per schema (pk 1).

    Kept in the tenant schema rather than as columns on the public Business row, so that all of a
    business's data stays in its own schema (DESIGN.md §2).
    """

    SINGLETON_PK = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_PK, editable=False)
    public_bookings_confirmed = models.BooleanField(
        default=False,
        help_text="Public-page bookings start as confirmed (otherwise as pending).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "booking settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="booking_settings_singleton"),
        ]

    def __str__(self) -> str:
        return "Booking settings"
