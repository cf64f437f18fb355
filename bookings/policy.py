"""The cancellation and reschedule policy: pure functions of a booking, who acts, and the time.

Windows come from settings (BOOKING_FULL_REFUND_HOURS, BOOKING_PARTIAL_REFUND_HOURS,
BOOKING_PARTIAL_REFUND_PERCENT, BOOKING_RESCHEDULE_MIN_HOURS, BOOKING_MAX_RESCHEDULES), so the
pages can show the same numbers the services apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.conf import setting
from core.money import format_pence

CLIENT, EXPERT, STAFF = "client", "expert", "staff"


@dataclass(frozen=True)
class CancelOutcome:
    allowed: bool
    refund_percent: int
    refund_pence: int
    message: str
    forfeit_pence: int = 0
    """What the client paid and does not get back (a late client cancellation)."""
    expert_share_pence: int = 0
    """The expert's share of the forfeited fee, before the platform commission."""


@dataclass(frozen=True)
class RescheduleOutcome:
    allowed: bool
    message: str


@dataclass(frozen=True)
class PolicyWindows:
    full_refund_hours: int
    partial_refund_hours: int
    partial_refund_percent: int
    reschedule_min_hours: int
    max_reschedules: int
    hold_minutes: int
    late_cancel_expert_percent: int


def windows() -> PolicyWindows:
    return PolicyWindows(
        full_refund_hours=setting("BOOKING_FULL_REFUND_HOURS"),
        partial_refund_hours=setting("BOOKING_PARTIAL_REFUND_HOURS"),
        partial_refund_percent=setting("BOOKING_PARTIAL_REFUND_PERCENT"),
        reschedule_min_hours=setting("BOOKING_RESCHEDULE_MIN_HOURS"),
        max_reschedules=setting("BOOKING_MAX_RESCHEDULES"),
        hold_minutes=setting("BOOKING_HOLD_MINUTES"),
        late_cancel_expert_percent=setting("BOOKING_LATE_CANCEL_EXPERT_PERCENT"),
    )


def policy_summary() -> str:
    """One paragraph for the intake page and emails ("You agree to...")."""
    w = windows()
    return (
        f"Cancel at least {w.full_refund_hours} hours before the start for a full refund, or at least "
        f"{w.partial_refund_hours} hours before for a {w.partial_refund_percent}% refund; later cancellations "
        f"are not refunded. You can reschedule up to {w.reschedule_min_hours} hours before the start, "
        f"at most {w.max_reschedules} times. If the expert cancels you get a full refund."
    )


def _paid_pence(booking) -> int:
    """What the client actually paid and has not had back yet (0 while unpaid)."""
    payment = booking.payment if booking.payment_id else None
    if payment is None or payment.status not in ("succeeded", "partially_refunded"):
        return 0
    return payment.amount_pence - payment.amount_refunded_pence


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def cancellation_outcome(*, booking, by: str, now: dt.datetime) -> CancelOutcome:
    """What cancelling now would do. `by` is "client", "expert" or "staff" (staff refunds like an expert)."""
    from .models import Booking

    status = booking.status
    if status == Booking.Status.PENDING_PAYMENT and _paid_pence(booking) == 0:
        return CancelOutcome(True, 0, 0, "Nothing has been paid yet: the held slot will be released.")
    if status not in (Booking.Status.CONFIRMED, Booking.Status.PENDING_PAYMENT):
        return CancelOutcome(
            False, 0, 0, f"A booking that is {booking.get_status_display().lower()} can't be cancelled."
        )
    if booking.start_at <= now:
        return CancelOutcome(False, 0, 0, "This consultation has already started and can no longer be cancelled.")

    paid = _paid_pence(booking)
    if by in (EXPERT, STAFF):
        percent = 100
        who = "the expert" if by == EXPERT else "TalentVisa"
        message = f"Cancelled by {who}: the client gets a full refund ({format_pence(paid, booking.currency)})."
        return CancelOutcome(True, percent, paid, message)

    w = windows()
    before = _hours(booking.start_at - now)
    if before >= w.full_refund_hours:
        percent = 100
        window = f"at least {w.full_refund_hours} hours before the start"
    elif before >= w.partial_refund_hours:
        percent = w.partial_refund_percent
        window = f"between {w.partial_refund_hours} and {w.full_refund_hours} hours before the start"
    else:
        percent = 0
        window = f"less than {w.partial_refund_hours} hours before the start"
    # Rounded down: the platform never refunds more than the percentage.
    refund = paid * percent // 100
    forfeit = paid - refund
    expert_share = forfeit * w.late_cancel_expert_percent // 100
    if percent == 100:
        message = f"You are cancelling {window}: you get a full refund of {format_pence(refund, booking.currency)}."
    elif percent:
        message = f"You are cancelling {window}: you get {percent}% back ({format_pence(refund, booking.currency)})."
    else:
        message = f"You are cancelling {window}: under the cancellation policy there is no refund."
    if expert_share:
        message += (
            f" Of the {format_pence(forfeit, booking.currency)} you forfeit, {format_pence(expert_share, booking.currency)}"
            f" ({w.late_cancel_expert_percent}%) goes to {booking.expert.display_name} for the time they set aside."
        )
    return CancelOutcome(True, percent, refund, message, forfeit_pence=forfeit, expert_share_pence=expert_share)


def reschedule_outcome(*, booking, now: dt.datetime) -> RescheduleOutcome:
    """Whether the client may move this booking now."""
    from .models import Booking

    w = windows()
    if booking.status != Booking.Status.CONFIRMED:
        return RescheduleOutcome(False, "Only a confirmed booking can be rescheduled.")
    if booking.reschedule_count >= w.max_reschedules:
        return RescheduleOutcome(
            False,
            f"This booking has already been moved {booking.reschedule_count} times (the limit is {w.max_reschedules}).",
        )
    if _hours(booking.start_at - now) < w.reschedule_min_hours:
        return RescheduleOutcome(
            False, f"Bookings can be moved up to {w.reschedule_min_hours} hours before the start; it is too late now."
        )
    left = w.max_reschedules - booking.reschedule_count
    return RescheduleOutcome(True, f"You can move this booking ({left} change{'s' if left != 1 else ''} left).")
