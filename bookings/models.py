"""Client and booking models arrive with the bookings issue."""
