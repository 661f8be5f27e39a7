"""The e-mail a client receives after booking (sent after commit, never inside a transaction)."""

from __future__ import annotations

import logging

import sentry_sdk
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bookings.models import Booking
from tenants.models import Business

logger = logging.getLogger(__name__)


def confirmation_message(*, booking: Booking, business: Business) -> EmailMessage:
    event = booking.event
    context = {
        "booking": booking,
        "business": business,
        "event": event,
        "tour": event.tour,
        "local_start": timezone.localtime(event.starts_at, business.zone),
    }
    subject = f"Your booking {booking.reference} with {business.name}"
    body = render_to_string("email/booking_confirmation.txt", context)
    return EmailMessage(subject=subject, body=body, to=[booking.client.email])


def send_confirmation_on_commit(*, booking: Booking, business: Business) -> None:
    """Compose the message now (inside the schema and transaction), send it once committed.

    A mail failure after commit must not turn a made booking into an error page: it is logged and
    reported to Sentry, and the booking stands.
    """
    message = confirmation_message(booking=booking, business=business)

    def send() -> None:
        try:
            message.send()
        except Exception as exc:  # any transport failure
            logger.exception("confirmation e-mail for booking %s failed", booking.reference)
            sentry_sdk.capture_exception(exc)

    transaction.on_commit(send)
