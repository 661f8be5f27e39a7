"""Recurring departure patterns: weekdays, local times and a date range, in the business's zone."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

# A pattern may create at most this many departures at once (a typo in a date range must not
# create ten thousand rows), and may span at most this many days.
MAX_DEPARTURES_PER_PATTERN = 200
MAX_PATTERN_DAYS = 366

WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass(frozen=True)
class RecurrencePattern:
    weekdays: frozenset[int]  # 0 = Monday … 6 = Sunday
    times: tuple[time, ...]  # local wall-clock times
    first_day: date
    last_day: date  # inclusive

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def local_start(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """The aware instant of a local wall-clock time (in a DST gap, zoneinfo moves it forward)."""
    naive = datetime.combine(day, at.replace(second=0, microsecond=0))
    return timezone.make_aware(naive, zone).astimezone(UTC)


def pattern_starts(pattern: RecurrencePattern, zone: zoneinfo.ZoneInfo) -> list[datetime]:
    """Every start the pattern describes, in time order, as UTC instants.

    The caller checks the span first (MAX_PATTERN_DAYS); this only walks the days.
    """
    starts: list[datetime] = []
    times = sorted(set(pattern.times))
    day = pattern.first_day
    while day <= pattern.last_day:
        if day.weekday() in pattern.weekdays:
            starts.extend(local_start(day, at, zone) for at in times)
        day += timedelta(days=1)
    return starts
