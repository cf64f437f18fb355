"""Domain errors of bookings. `.message` is always safe to show to the user."""

from __future__ import annotations

import datetime as dt


class BookingError(Exception):
    """A request the booking rules refuse; nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SlotUnavailable(BookingError):
    """The chosen start is not (or no longer) free; `.alternatives` are other free starts (UTC)."""

    def __init__(self, message: str = "", *, alternatives: list[dt.datetime] | None = None):
        super().__init__(message or "Sorry, that time is no longer available. Please pick another slot.")
        self.alternatives = list(alternatives or [])


class InvalidTransition(BookingError):
    def __init__(self, *, booking_id: int, current: str, target: str):
        self.booking_id, self.current, self.target = booking_id, current, target
        super().__init__(f"Booking {booking_id} cannot go from {current} to {target}.")


class TooManyHoldAttempts(BookingError):
    """The client asked for more slot holds than HOLD_ATTEMPTS_LIMIT in the window (answer 429)."""
