"""Tour and departure models arrive with the tours issue; the app exists so its schema does."""
