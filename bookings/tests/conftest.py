import pytest

from bookings.models import Booking
from bookings.services import booking_checkout_start, booking_hold, booking_intake_update
from payments.models import Payment, TestModeCheckoutSession
from payments.services import checkout_fulfil
from payments.tests import fake_stripe

from .factories import NOW, WEDNESDAY_10, expert_with_session

SUCCESS_URL = "http://testserver/bookings/paid/?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "http://testserver/bookings/cancelled/"


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


@pytest.fixture
def expert_session(db):
    return expert_with_session()


def hold_and_checkout(*, client, session_type, start=WEDNESDAY_10, now=NOW) -> tuple[Booking, Payment, str]:
    booking = booking_hold(client=client, session_type=session_type, start=start, now=now)
    booking = booking_intake_update(
        booking=booking,
        client=client,
        questions="Which criteria fit me?",
        target_route="digital_technology",
        target_category="talent",
        agree_policy=True,
        now=now,
    )
    url = booking_checkout_start(
        booking=booking, client=client, success_url=SUCCESS_URL, cancel_url=CANCEL_URL, now=now
    )
    booking.refresh_from_db()
    return booking, booking.payment, url


def pay_test_mode(payment: Payment) -> Payment:
    """What the test-mode page's Pay button does."""
    row = TestModeCheckoutSession.objects.get(payment=payment)
    row.status, row.payment_status = TestModeCheckoutSession.SessionStatus.COMPLETE, "paid"
    row.save(update_fields=["status", "payment_status"])
    return checkout_fulfil(session_id=row.session_id, source="test pay")


def confirmed_booking(*, client, session_type, start=WEDNESDAY_10, now=NOW, capture=None) -> Booking:
    booking, payment, _ = hold_and_checkout(client=client, session_type=session_type, start=start, now=now)
    pay_test_mode(payment)
    booking.refresh_from_db()
    return booking
