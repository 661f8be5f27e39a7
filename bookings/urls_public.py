"""The public booking page on a business's host (no login)."""

from django.urls import path

from bookings.views import public
from saas.live.registry import Access
from saas.live.views import current_state_view

urlpatterns = [
    path("book/", public.book_index, name="book-index"),
    # Served by the stream server (saas.live.streams); here, the current seats once.
    path(
        "book/live",
        current_state_view(lambda: "availability", access=Access.PUBLIC),
        name="book-live",
    ),
    path("book/<int:event_id>/", public.book_event, name="book-event"),
    path("book/<int:event_id>/create", public.book_event_create, name="book-event-create"),
]
