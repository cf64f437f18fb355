"""Writes for bookings. Views, forms, admin actions, Celery tasks and payment hooks call these.

A package because the whole is past ~500 lines: core (transition, locks, slot checks), holds
(hold, intake, checkout, expiry), changes (cancel, reschedule, reassign, refund), fulfilment
(payment hooks), reminders.
"""

from .changes import booking_cancel, booking_reassign, booking_refund, booking_reschedule, cancel_role
from .core import booking_note, booking_transition, observe_late_cancel
from .errors import BookingError, InvalidTransition, SlotUnavailable, TooManyHoldAttempts
from .fulfilment import booking_late_refund, new_meeting_url
from .holds import (
    booking_checkout_start,
    booking_hold,
    booking_hold_first_free,
    booking_hold_release,
    booking_intake_update,
    holds_expire,
)
from .messages import message_role, message_send, messages_mark_read, messages_notify, messaging_open
from .reminders import reminders_send

__all__ = [
    "booking_hold_release",
    "BookingError",
    "TooManyHoldAttempts",
    "InvalidTransition",
    "SlotUnavailable",
    "booking_cancel",
    "booking_checkout_start",
    "booking_hold",
    "booking_hold_first_free",
    "booking_intake_update",
    "booking_late_refund",
    "booking_note",
    "booking_reassign",
    "booking_refund",
    "booking_reschedule",
    "booking_transition",
    "cancel_role",
    "holds_expire",
    "new_meeting_url",
    "observe_late_cancel",
    "reminders_send",
    "message_role",
    "message_send",
    "messages_mark_read",
    "messages_notify",
    "messaging_open",
]
