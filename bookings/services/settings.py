"""The business's booking settings (a single row in its schema)."""

from __future__ import annotations

from django.db import transaction

from bookings.models import BookingSettings
from bookings.selectors import booking_settings
from tours.services import audit_record


@transaction.atomic
def booking_settings_update(*, actor: str, public_bookings_confirmed: bool) -> BookingSettings:
    """Choose whether bookings from the public page start as confirmed or pending."""
    booking_settings()  # make sure the row exists before locking it
    settings = BookingSettings.objects.select_for_update().get(pk=BookingSettings.SINGLETON_PK)
    if settings.public_bookings_confirmed != public_bookings_confirmed:
        settings.public_bookings_confirmed = public_bookings_confirmed
        settings.full_clean()
        settings.save()
        audit_record(
            actor=actor,
            action="booking_settings.updated",
            target=settings,
            detail={"public_bookings_confirmed": public_bookings_confirmed},
        )
    return settings
