"""The public booking page on a business's host (no login)."""

from django.urls import path

from bookings.views import public

urlpatterns = [
    path("book/", public.book_index, name="book-index"),
    path("book/<int:event_id>/", public.book_event, name="book-event"),
    path("book/<int:event_id>/create", public.book_event_create, name="book-event-create"),
]
