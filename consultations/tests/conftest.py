import datetime as dt

import pytest

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.tests.conftest import hold_and_checkout, pay_test_mode
from bookings.tests.factories import NOW, WEDNESDAY_10, BookingFactory, expert_with_session
from payments.services import checkout_fulfil
from payments.tests import fake_stripe

START = WEDNESDAY_10
END = WEDNESDAY_10 + dt.timedelta(hours=1)


@pytest.fixture
def test_mode(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True


@pytest.fixture
def stripe_fake(settings):
    fake = fake_stripe.FakeStripe()
    fake_stripe.install(fake)
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_API_BASE = ""
    settings.PAYMENTS_STRIPE_HTTP_CLIENT_FACTORY = "payments.tests.fake_stripe.current_client"
    yield fake
    fake_stripe.install(None)


def paid_booking(*, fake=None, payouts=True, price_pence=9000) -> Booking:
    """A confirmed booking paid through the real checkout path (test mode, or Stripe via the fake)."""
    expert, session_type = expert_with_session(price_pence=price_pence)
    if payouts:
        expert.stripe_account_id = "acct_expert_1" if fake else f"tm_acct_expert-{expert.pk}"
        expert.payouts_enabled = True
        expert.save(update_fields=["stripe_account_id", "payouts_enabled"])
    booking, payment, _ = hold_and_checkout(client=UserFactory(), session_type=session_type, now=NOW)
    if fake is not None:
        fake.pay(payment.checkout_session_id)
        checkout_fulfil(session_id=payment.checkout_session_id, source="webhook")
    else:
        pay_test_mode(payment)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    return booking


def after_end(hours=0, minutes=0) -> dt.datetime:
    return END + dt.timedelta(hours=hours, minutes=minutes)


@pytest.fixture
def booking(db):
    """A confirmed booking (no real payment) on Wednesday 3 March 2027 10:00-11:00 UTC."""
    return BookingFactory(price_pence=9000, commission_bps=2000)


__all__ = ["NOW", "START", "END", "BookingFactory", "paid_booking", "after_end"]
