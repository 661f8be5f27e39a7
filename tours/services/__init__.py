"""Every write inside a business's schema (STYLE.md: one function per business action).

Split by sub-domain; import from here: ``from tours import services``.
"""

from tours.services.audit import audit_record
from tours.services.events import (
    RecurrencePattern,
    ScheduleOutcome,
    tour_event_cancel,
    tour_event_schedule,
    tour_event_update,
    tour_events_schedule_recurring,
)
from tours.services.team import staff_add, staff_remove
from tours.services.tours import tour_archive, tour_create, tour_restore, tour_update

__all__ = [
    "RecurrencePattern",
    "ScheduleOutcome",
    "audit_record",
    "staff_add",
    "staff_remove",
    "tour_archive",
    "tour_create",
    "tour_event_cancel",
    "tour_event_schedule",
    "tour_event_update",
    "tour_events_schedule_recurring",
    "tour_restore",
    "tour_update",
]
