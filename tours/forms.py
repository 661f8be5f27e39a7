"""Input parsing for the staff pages. Forms check shapes and types; services enforce the rules."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tenants.currencies import CURRENCY_CHOICES
from tours.models import MAX_CAPACITY, MAX_DURATION_MINUTES
from tours.recurrence import WEEKDAY_NAMES, RecurrencePattern

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type=datetime-local> sends


def parse_local_datetime(value: str, zone: zoneinfo.ZoneInfo) -> datetime:
    """``2026-12-10T09:30`` read as wall-clock time in ``zone``; ValidationError otherwise."""
    try:
        naive = datetime.strptime(value.strip(), LOCAL_INPUT_FORMAT)
    except ValueError as exc:
        raise ValidationError("Enter a date and time like 2026-12-10T09:30.") from exc
    return timezone.make_aware(naive, zone)


def local_input_value(value: datetime, zone: zoneinfo.ZoneInfo) -> str:
    return timezone.localtime(value, zone).strftime(LOCAL_INPUT_FORMAT)


class StrictCharField(forms.CharField):
    """A CharField that refuses non-strings (JSON signals can carry numbers, lists, objects)."""

    def to_python(self, value: Any) -> str | None:
        if value is not None and not isinstance(value, str):
            raise ValidationError("Expected text.", code="type")
        return super().to_python(value)


class StrictIntegerField(forms.IntegerField):
    """An IntegerField that accepts an int or a string of digits, never a bool, float or list."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int | str | None):
            raise ValidationError("Expected a whole number.", code="type")
        return super().to_python(value)


class EventEditForm(forms.Form):
    """The signals of the inline departure editor (camelCase in the browser, snake_case here)."""

    SIGNAL_NAMES = {
        "title": "title",
        "startsAt": "starts_at",
        "capacity": "capacity",
        "guideName": "guide_name",
        "notes": "notes",
    }

    # Types and shapes only: the rules (title required, capacity range and seats booked, start
    # in the future) are tour_event_update's, so that every broken rule is reported at once.
    title = StrictCharField(required=False)
    starts_at = StrictCharField(label="Start", max_length=40)
    capacity = StrictIntegerField()
    guide_name = StrictCharField(label="Guide", required=False)
    notes = StrictCharField(required=False)

    def __init__(self, signals: dict[str, Any], *, zone: zoneinfo.ZoneInfo) -> None:
        self.zone = zone
        self.missing = [name for name in self.SIGNAL_NAMES if name not in signals]
        data = {field: signals.get(name) for name, field in self.SIGNAL_NAMES.items()}
        super().__init__(data)

    def clean_starts_at(self) -> datetime:
        return parse_local_datetime(self.cleaned_data["starts_at"], self.zone)

    def clean(self) -> dict[str, Any]:
        if self.missing:
            raise ValidationError(f"The request is missing: {', '.join(self.missing)}.")
        return super().clean() or {}


class TourForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=1, max_value=MAX_DURATION_MINUTES
    )
    price = forms.DecimalField(min_value=0, max_digits=10, decimal_places=2)
    default_capacity = forms.IntegerField(
        label="Seats per departure", min_value=1, max_value=MAX_CAPACITY
    )


class DepartureForm(forms.Form):
    """One departure of a tour."""

    starts_at = forms.CharField(
        label="Start", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    title = forms.CharField(max_length=200, required=False, help_text="Defaults to the tour name.")
    capacity = forms.IntegerField(min_value=1, max_value=MAX_CAPACITY, required=False)
    guide_name = forms.CharField(label="Guide", max_length=120, required=False)

    def __init__(self, *args: Any, zone: zoneinfo.ZoneInfo, **kwargs: Any) -> None:
        self.zone = zone
        super().__init__(*args, **kwargs)

    def clean_starts_at(self) -> datetime:
        return parse_local_datetime(self.cleaned_data["starts_at"], self.zone)


def parse_times(value: str) -> tuple[time, ...]:
    """``9:00, 14:30`` → (09:00, 14:30); ValidationError naming the first bad entry."""
    times: list[time] = []
    for part in value.replace(";", ",").replace(" ", ",").split(","):
        if not part:
            continue
        try:
            times.append(datetime.strptime(part, "%H:%M").time())
        except ValueError as exc:
            raise ValidationError(f"“{part[:20]}” is not a time like 09:00 or 14:30.") from exc
    if len(times) > 24:
        raise ValidationError("At most 24 start times a day.")
    return tuple(sorted(set(times)))


class RecurrenceForm(forms.Form):
    """A recurring pattern: weekdays, times and a date range (preview and create share it)."""

    weekdays = forms.TypedMultipleChoiceField(
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    times = forms.CharField(
        label="Start times", max_length=200, required=False, help_text="For example 09:00, 14:30"
    )
    first_day = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label="Until", widget=forms.DateInput(attrs={"type": "date"}))
    capacity = forms.IntegerField(min_value=1, max_value=MAX_CAPACITY, required=False)
    guide_name = forms.CharField(label="Guide", max_length=120, required=False)

    def clean_times(self) -> tuple[time, ...]:
        return parse_times(self.cleaned_data["times"])

    def pattern(self) -> RecurrencePattern:
        data = self.cleaned_data
        return RecurrencePattern(
            weekdays=frozenset(data["weekdays"]),
            times=data["times"],
            first_day=data["first_day"],
            last_day=data["last_day"],
        )


class StaffAddForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Share it with them; they can log in straight away.",
    )


class BusinessSettingsForm(forms.Form):
    name = forms.CharField(max_length=200)
    time_zone = forms.CharField(
        max_length=64,
        help_text=(
            "An IANA zone, e.g. Europe/Lisbon. Departures keep their moment in time and are "
            "shown in the new zone."
        ),
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES)
