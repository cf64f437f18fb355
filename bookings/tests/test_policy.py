"""The cancellation and reschedule policy, window by window."""

import datetime as dt

import pytest

from bookings import policy
from bookings.models import Booking
from payments.models import Payment

from .factories import WEDNESDAY_10, BookingFactory

H = dt.timedelta(hours=1)


@pytest.fixture
def paid_booking(db):
    booking = BookingFactory(price_pence=9000)
    booking.payment = Payment.objects.create(
        user=booking.client,
        purpose="booking",
        description="test",
        amount_pence=9000,
        gateway="test_mode",
        status=Payment.Status.SUCCEEDED,
    )
    booking.save()
    return booking


@pytest.mark.parametrize(
    ("hours_before", "percent", "pence"),
    [
        (200, 100, 9000),
        (48, 100, 9000),  # exactly on the boundary: full
        (47.99, 50, 4500),
        (30, 50, 4500),
        (24, 50, 4500),  # boundary: partial
        (23.99, 0, 0),
        (1, 0, 0),
    ],
)
def test_client_cancellation_windows(paid_booking, hours_before, percent, pence):
    now = WEDNESDAY_10 - dt.timedelta(hours=hours_before)
    outcome = policy.cancellation_outcome(booking=paid_booking, by="client", now=now)
    assert outcome.allowed
    assert (outcome.refund_percent, outcome.refund_pence) == (percent, pence)
    assert outcome.message


@pytest.mark.parametrize("by", ["expert", "staff"])
@pytest.mark.parametrize("hours_before", [200, 30, 2])
def test_expert_or_staff_cancellation_refunds_in_full(paid_booking, by, hours_before):
    outcome = policy.cancellation_outcome(booking=paid_booking, by=by, now=WEDNESDAY_10 - hours_before * H)
    assert (outcome.allowed, outcome.refund_percent, outcome.refund_pence) == (True, 100, 9000)


def test_partial_refund_counts_what_is_left_and_rounds_down(paid_booking):
    paid_booking.payment.amount_refunded_pence = 1
    outcome = policy.cancellation_outcome(booking=paid_booking, by="client", now=WEDNESDAY_10 - 30 * H)
    assert outcome.refund_pence == 8999 * 50 // 100


def test_no_cancel_after_start_or_when_finished(paid_booking):
    assert not policy.cancellation_outcome(booking=paid_booking, by="client", now=WEDNESDAY_10).allowed
    paid_booking.status = Booking.Status.COMPLETED
    assert not policy.cancellation_outcome(booking=paid_booking, by="expert", now=WEDNESDAY_10 - 100 * H).allowed


def test_unpaid_hold_cancels_without_refund(db):
    booking = BookingFactory(status=Booking.Status.PENDING_PAYMENT)
    outcome = policy.cancellation_outcome(booking=booking, by="client", now=WEDNESDAY_10 - 100 * H)
    assert (outcome.allowed, outcome.refund_pence) == (True, 0)


@pytest.mark.parametrize(
    ("hours_before", "count", "allowed"),
    [(48, 0, True), (24, 0, True), (23.5, 0, False), (100, 1, True), (100, 2, False)],
)
def test_reschedule_windows_and_count(db, hours_before, count, allowed):
    booking = BookingFactory(reschedule_count=count)
    outcome = policy.reschedule_outcome(booking=booking, now=WEDNESDAY_10 - dt.timedelta(hours=hours_before))
    assert outcome.allowed is allowed
    assert outcome.message


def test_windows_come_from_site_settings(paid_booking, site_config):
    site_config(booking_full_refund_hours=72, booking_partial_refund_percent=25)
    outcome = policy.cancellation_outcome(booking=paid_booking, by="client", now=WEDNESDAY_10 - 50 * H)
    assert (outcome.refund_percent, outcome.refund_pence) == (25, 2250)
    assert "72" in policy.policy_summary()


def test_only_confirmed_bookings_reschedule(db):
    booking = BookingFactory(status=Booking.Status.CANCELLED_BY_CLIENT)
    assert not policy.reschedule_outcome(booking=booking, now=WEDNESDAY_10 - 100 * H).allowed
