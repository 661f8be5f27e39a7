"""Reads shared by the staff pages of a business (inside its schema: no business filter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from tenants.models import Business


@dataclass(frozen=True)
class TodayFigures:
    local_now: datetime
    staff_accounts: int


def dashboard_today(*, business: Business) -> TodayFigures:
    """Today's figures for the dashboard, with the time in the business's own time zone."""
    return TodayFigures(
        local_now=timezone.localtime(timezone.now(), business.zone),
        staff_accounts=get_user_model().objects.filter(is_active=True).count(),
    )
