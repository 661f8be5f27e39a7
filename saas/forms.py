from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class StaffLoginForm(AuthenticationForm):
    """Django's login form with the e-mail address as the user name, matched case-insensitively."""

    username = forms.EmailField(
        label="E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter a correct e-mail and password. The password is case-sensitive."
        ),
    }

    def clean(self) -> dict[str, Any]:
        if isinstance(self.cleaned_data.get("username"), str):
            self.cleaned_data["username"] = self.cleaned_data["username"].strip().lower()
        return super().clean()
