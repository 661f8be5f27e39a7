"""Calendar of departures: a week grid and a month grid, in the business's time zone."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tours import selectors
from tours.access import staff_required
from tours.views.common import business_of


def _today(request: HttpRequest) -> date:
    return timezone.localdate(timezone.now(), business_of(request).zone)


def _parse_day(value: str | None, default: date) -> date:
    """A day from the query string; anything unreadable or far off falls back to ``default``."""
    try:
        day = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if 2000 <= day.year <= 2100 else default


@staff_required
@require_GET
def calendar_week(request: HttpRequest) -> HttpResponse:
    today = _today(request)
    day = _parse_day(request.GET.get("date"), today)
    monday = day - timedelta(days=day.weekday())
    by_day = selectors.tour_events_by_local_day(
        first_day=monday, days=7, zone=business_of(request).zone
    )
    return render(
        request,
        "tenant/calendar_week.html",
        {
            "days": list(by_day.items()),
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": today,
            "this_week": today - timedelta(days=today.weekday()),
            "count": sum(len(events) for events in by_day.values()),
        },
    )


@staff_required
@require_GET
def calendar_month(request: HttpRequest) -> HttpResponse:
    today = _today(request)
    month = request.GET.get("month")
    first = _parse_day(f"{month}-01" if month else None, today).replace(day=1)
    grid_start = first - timedelta(days=first.weekday())
    days_in_month = pycalendar.monthrange(first.year, first.month)[1]
    last = first.replace(day=days_in_month)
    grid_end = last + timedelta(days=6 - last.weekday())
    span = (grid_end - grid_start).days + 1
    by_day = selectors.tour_events_by_local_day(
        first_day=grid_start, days=span, zone=business_of(request).zone
    )
    items = list(by_day.items())
    weeks = [items[i : i + 7] for i in range(0, len(items), 7)]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render(
        request,
        "tenant/calendar_month.html",
        {
            "weeks": weeks,
            "month": first,
            "previous": previous,
            "next": following,
            "today": today,
            "weekday_names": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            "count": sum(len(events) for day, events in items if day.month == first.month),
        },
    )
