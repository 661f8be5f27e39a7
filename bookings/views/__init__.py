"""Booking views: the staff back office (bookings, manifest, clients) and the public booking page
(pretix-style separate surfaces, both calling bookings.services)."""
