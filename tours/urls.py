"""Staff back office URLs of a business (included from saas.urls_tenant)."""

from django.urls import path

from tours.views import calendar, events, team, tours

urlpatterns = [
    path("tours/", tours.tour_list, name="tour-list"),
    path("tours/new", tours.tour_create, name="tour-create"),
    path("tours/<int:tour_id>/", tours.tour_detail, name="tour-detail"),
    path("tours/<int:tour_id>/edit", tours.tour_edit, name="tour-edit"),
    path("tours/<int:tour_id>/archive", tours.tour_archive, name="tour-archive"),
    path("tours/<int:tour_id>/restore", tours.tour_restore, name="tour-restore"),
    path("tours/<int:tour_id>/schedule", tours.tour_schedule, name="tour-schedule"),
    path("tours/<int:tour_id>/schedule/one", tours.tour_schedule_one, name="tour-schedule-one"),
    path(
        "tours/<int:tour_id>/schedule/recurring",
        tours.tour_schedule_recurring,
        name="tour-schedule-recurring",
    ),
    path(
        "tours/<int:tour_id>/schedule/preview",
        tours.tour_schedule_preview,
        name="tour-schedule-preview",
    ),
    path("events/<int:event_id>/", events.tour_event_detail, name="tour-event-detail"),
    path("events/<int:event_id>/update", events.tour_event_update, name="tour-event-update"),
    path("events/<int:event_id>/cancel", events.tour_event_cancel, name="tour-event-cancel"),
    path("calendar/", calendar.calendar_week, name="calendar-week"),
    path("calendar/month", calendar.calendar_month, name="calendar-month"),
    path("team/", team.team, name="team"),
    path("team/<int:user_id>/remove", team.team_remove, name="team-remove"),
    path("settings/", team.business_settings, name="business-settings"),
]
