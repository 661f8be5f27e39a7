"""Forms of the public site: sign-up, and the operator console's domain form."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tenants.services import subdomain_availability


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")
    return [(zone, zone.replace("_", " ")) for zone in zones]


class SignupForm(forms.Form):
    """What a business gives to sign up. Every rule runs before anything is created."""

    name = forms.CharField(label="Business name", max_length=200)
    subdomain = forms.CharField(label="Subdomain", max_length=63)
    owner_name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="E-mail", max_length=254)
    password = forms.CharField(label="Password", max_length=128, strip=False)
    time_zone = forms.ChoiceField(label="Time zone", choices=time_zone_choices)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Give the business a name.")
        return name

    def clean_subdomain(self) -> str:
        availability = subdomain_availability(self.cleaned_data["subdomain"])
        if not availability.available:
            raise ValidationError(availability.message)
        return availability.label

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            first, _, last = str(cleaned.get("owner_name", "")).partition(" ")
            # No username: the similarity message then names the e-mail address the owner typed.
            user = get_user_model()(
                username="",
                email=cleaned.get("email", ""),
                first_name=first,
                last_name=last,
            )
            try:
                validate_password(password, user)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class DomainForm(forms.Form):
    domain = forms.CharField(label="Extra domain", max_length=253)
