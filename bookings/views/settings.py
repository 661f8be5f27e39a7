"""The owner's booking settings: whether public-page bookings start as confirmed or pending."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bookings import services
from bookings.selectors import booking_settings
from tours.access import actor_of, owner_required


class BookingSettingsForm(forms.Form):
    public_bookings_confirmed = forms.BooleanField(
        required=False, label="Confirm bookings from the public page automatically"
    )


@owner_required
@require_http_methods(["GET", "POST"])
def booking_settings_page(request: HttpRequest) -> HttpResponse:
    current = booking_settings()
    form = BookingSettingsForm(
        # not ``request.POST or None``: unticking the only box posts an empty (falsy) form
        request.POST if request.method == "POST" else None,
        initial={"public_bookings_confirmed": current.public_bookings_confirmed},
    )
    if request.method == "POST" and form.is_valid():
        services.booking_settings_update(actor=actor_of(request), **form.cleaned_data)
        messages.success(request, "Booking settings saved.")
        return redirect("booking-settings")
    return render(request, "bookings/settings.html", {"form": form})
