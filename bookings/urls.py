"""Staff URLs of the bookings app (included from saas.urls_tenant)."""

from django.urls import path

from bookings.views import clients, settings, staff, staff_form

urlpatterns = [
    path("bookings/", staff.booking_list, name="booking-list"),
    path("bookings/export.csv", staff.booking_export, name="booking-export"),
    path("bookings/new/", staff_form.booking_new, name="booking-new"),
    path("bookings/create", staff_form.booking_create, name="booking-create"),
    path("bookings/<int:booking_id>/", staff.booking_detail, name="booking-detail"),
    path("bookings/<int:booking_id>/confirm", staff.booking_confirm, name="booking-confirm"),
    path("bookings/<int:booking_id>/check-in", staff.booking_check_in, name="booking-check-in"),
    path("bookings/<int:booking_id>/complete", staff.booking_complete, name="booking-complete"),
    path("bookings/<int:booking_id>/cancel", staff.booking_cancel, name="booking-cancel"),
    path("events/<int:event_id>/manifest/", staff.event_manifest_page, name="departure-manifest"),
    path(
        "events/<int:event_id>/manifest/<int:booking_id>/check-in",
        staff.manifest_toggle_check_in,
        name="manifest-check-in",
    ),
    path("clients/", clients.client_list, name="client-list"),
    path("clients/<int:client_id>/", clients.client_detail, name="client-detail"),
    path("settings/bookings/", settings.booking_settings_page, name="booking-settings"),
]
