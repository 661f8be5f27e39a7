"""Input parsing for the booking forms. Forms check shapes and types; services enforce the rules
(seats, departure status), so a cancelled or past departure gets the service's clear message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from bookings.models import MAX_PARTICIPANTS, Booking, Client
from tours.models import TourEvent

PARTICIPANT_ERRORS = {
    "required": "Enter the number of participants.",
    "invalid": "Enter a whole number of participants.",
    "min_value": "Book at least 1 participant.",
    "max_value": f"Book at most {MAX_PARTICIPANTS} participants.",
}


def participants_field() -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1, max_value=MAX_PARTICIPANTS, error_messages=PARTICIPANT_ERRORS
    )


class StaffBookingForm(forms.Form):
    """The staff booking form (posted as a form): an existing client or a new one inline."""

    client = forms.ModelChoiceField(
        queryset=Client.objects.all(),
        required=False,
        error_messages={"invalid_choice": "Choose a client from the list."},
    )
    new_client_name = forms.CharField(label="Name", max_length=200, required=False)
    new_client_email = forms.EmailField(label="E-mail", max_length=254, required=False)
    new_client_phone = forms.CharField(label="Phone", max_length=40, required=False)
    # Any departure of this schema: the service explains why a cancelled or past one is refused.
    event = forms.ModelChoiceField(
        queryset=TourEvent.objects.all(),
        label="Departure",
        error_messages={
            "required": "Choose a departure.",
            "invalid_choice": "Choose a departure from the list.",
        },
    )
    participants = participants_field()
    notes = forms.CharField(max_length=5000, required=False)
    confirm = forms.BooleanField(required=False, label="Confirm right away")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("client") is None and "client" not in self.errors:
            if not data.get("new_client_name") and "new_client_name" not in self.errors:
                self.add_error("new_client_name", "Choose a client or enter a new client's name.")
            if not data.get("new_client_email") and "new_client_email" not in self.errors:
                self.add_error("new_client_email", "Enter the new client's e-mail address.")
        return data

    @property
    def initial_status(self) -> Booking.Status:
        confirmed = self.cleaned_data.get("confirm")
        return Booking.Status.CONFIRMED if confirmed else Booking.Status.PENDING


class PublicBookingForm(forms.Form):
    """What a customer fills in on the public booking page."""

    name = forms.CharField(max_length=200, error_messages={"required": "Enter your name."})
    email = forms.EmailField(
        max_length=254,
        label="E-mail",
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter a valid e-mail address.",
        },
    )
    participants = participants_field()


def error_dict(form: forms.Form) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


def validation_error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}
