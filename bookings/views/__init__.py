"""Booking pages: the wizard (new.py), the client's bookings (client.py), the expert's (expert.py)."""
