"""Every write of the bookings app (STYLE.md). Use: ``from bookings import services``."""

from bookings.services.bookings import (
    ClientDetails,
    booking_cancel,
    booking_check_in,
    booking_complete,
    booking_confirm,
    booking_create,
    booking_create_public,
    booking_undo_check_in,
)
from bookings.services.clients import client_create, client_find_or_create, client_update
from bookings.services.settings import booking_settings_update

__all__ = [
    "ClientDetails",
    "booking_cancel",
    "booking_check_in",
    "booking_complete",
    "booking_confirm",
    "booking_create",
    "booking_create_public",
    "booking_settings_update",
    "booking_undo_check_in",
    "client_create",
    "client_find_or_create",
    "client_update",
]
