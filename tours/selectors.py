"""Reads shared by the staff pages of a business (inside its schema: no business filter)."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from tenants.models import Business
from tours.models import Tour, TourEvent
from tours.recurrence import (
    MAX_DEPARTURES_PER_PATTERN,
    MAX_PATTERN_DAYS,
    RecurrencePattern,
    pattern_starts,
)


@dataclass(frozen=True)
class DayDepartures:
    day: date
    events: list[TourEvent]


@dataclass(frozen=True)
class TodayFigures:
    local_now: datetime
    staff_accounts: int
    today: list[TourEvent] = field(default_factory=list)
    next_days: list[DayDepartures] = field(default_factory=list)

    @property
    def seats_left_today(self) -> int:
        return sum(e.seats_left for e in self.today)

    @property
    def departures_this_week(self) -> int:
        return len(self.today) + sum(len(d.events) for d in self.next_days)


def local_day_bounds(day: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants at which a local calendar day starts and the next one starts."""
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end


def tour_events_between(
    *, start: datetime, end: datetime, include_cancelled: bool = False
) -> QuerySet[TourEvent]:
    """Departures starting in [start, end), with their tour, in time order."""
    events = TourEvent.objects.filter(starts_at__gte=start, starts_at__lt=end).select_related(
        "tour"
    )
    return events if include_cancelled else events.scheduled()


def tour_events_by_local_day(
    *, first_day: date, days: int, zone: zoneinfo.ZoneInfo, include_cancelled: bool = False
) -> dict[date, list[TourEvent]]:
    """Departures of ``days`` local days from ``first_day``, grouped by local day.

    Every day of the range is a key, in order, even when it has no departures."""
    start, _ = local_day_bounds(first_day, zone)
    end, _ = local_day_bounds(first_day + timedelta(days=days), zone)
    grouped: dict[date, list[TourEvent]] = {first_day + timedelta(days=n): [] for n in range(days)}
    events = tour_events_between(start=start, end=end, include_cancelled=include_cancelled)
    for event in events:
        grouped[timezone.localtime(event.starts_at, zone).date()].append(event)
    return grouped


def dashboard_today(*, business: Business) -> TodayFigures:
    """Today's figures for the dashboard, with the time in the business's own time zone:
    today's departures and those of the next seven days, with seats left."""
    zone = business.zone
    local_now = timezone.localtime(timezone.now(), zone)
    by_day = tour_events_by_local_day(first_day=local_now.date(), days=8, zone=zone)
    days = list(by_day.items())
    return TodayFigures(
        local_now=local_now,
        staff_accounts=get_user_model().objects.filter(is_active=True).count(),
        today=days[0][1],
        next_days=[DayDepartures(day, events) for day, events in days[1:] if events],
    )


def tours_for_listing(*, include_archived: bool) -> QuerySet[Tour]:
    tours = Tour.objects.all()
    return tours if include_archived else tours.filter(is_active=True)


def tour_upcoming_events(*, tour: Tour, limit: int = 20) -> list[TourEvent]:
    return list(
        TourEvent.objects.scheduled()
        .filter(tour=tour, starts_at__gte=timezone.now())
        .select_related("tour")[:limit]
    )


@dataclass(frozen=True)
class RecurrencePlan:
    """What a pattern would do right now: the starts it would create and the ones it skips."""

    new_starts: list[datetime]
    duplicates: int
    past: int
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.new_starts) + self.duplicates + self.past


def scheduled_starts(*, tour: Tour, starts: list[datetime]) -> set[datetime]:
    """Which of ``starts`` already have a scheduled departure of ``tour``."""
    if not starts:
        return set()
    return set(
        TourEvent.objects.scheduled()
        .filter(tour=tour, starts_at__in=starts)
        .values_list("starts_at", flat=True)
    )


def recurrence_plan(
    *, tour: Tour, pattern: RecurrencePattern, zone: zoneinfo.ZoneInfo
) -> RecurrencePlan:
    """The departures ``pattern`` would create now (shared by the live preview and the service)."""
    if pattern.last_day < pattern.first_day:
        return RecurrencePlan([], 0, 0, ["The last day is before the first day."])
    if pattern.days > MAX_PATTERN_DAYS:
        return RecurrencePlan([], 0, 0, [f"A pattern can span at most {MAX_PATTERN_DAYS} days."])
    problems: list[str] = []
    if not pattern.weekdays:
        problems.append("Pick at least one weekday.")
    if not pattern.times:
        problems.append("Give at least one start time.")
    if problems:
        return RecurrencePlan([], 0, 0, problems)
    starts = pattern_starts(pattern, zone)
    now = timezone.now()
    future = [s for s in starts if s > now]
    taken = scheduled_starts(tour=tour, starts=future)
    new = [s for s in future if s not in taken]
    if len(new) > MAX_DEPARTURES_PER_PATTERN:
        problems.append(
            f"This pattern would create {len(new)} departures; the limit is "
            f"{MAX_DEPARTURES_PER_PATTERN} at once. Shorten the date range."
        )
    if not tour.is_active:
        problems.append("This tour is archived; restore it to schedule it.")
    return RecurrencePlan(new, len(future) - len(new), len(starts) - len(future), problems)
