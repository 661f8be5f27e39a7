"""Staff back office views, split by page family."""

from tours.views.dashboard import dashboard, dashboard_today

__all__ = ["dashboard", "dashboard_today"]
