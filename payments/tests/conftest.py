import json

import pytest

from accounts.tests.factories import UserFactory
from payments.purposes.points import points_purchase_create
from payments.services import checkout_start

from . import fake_stripe

WEBHOOK_SECRET = "whsec_test_account"
CONNECT_WEBHOOK_SECRET = "whsec_test_connect"
SUCCESS_URL = "http://testserver/payments/checkout/success/?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "http://testserver/payments/checkout/1/cancelled/"


@pytest.fixture
def stripe_fake(settings):
    """Stripe is 'configured', and the real SDK talks to an in-process fake."""
    fake = fake_stripe.FakeStripe()
    fake_stripe.install(fake)
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_WEBHOOK_SECRET
    settings.STRIPE_API_BASE = ""
    settings.PAYMENTS_STRIPE_HTTP_CLIENT_FACTORY = "payments.tests.fake_stripe.current_client"
    yield fake
    fake_stripe.install(None)


@pytest.fixture
def test_mode(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def package():
    from payments.models import PointsPackage

    # Normally from the data migration; a transactional test's flush may have removed it.
    package, _ = PointsPackage.objects.get_or_create(
        points=50, price_pence=500, defaults={"name": "Starter", "active": True}
    )
    return package


@pytest.fixture
def started_purchase(stripe_fake, user, package):
    """A points purchase whose Stripe Checkout Session exists but is not paid yet."""
    payment = points_purchase_create(user=user, package=package)
    session = checkout_start(payment=payment, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
    payment.refresh_from_db()
    return payment, session


@pytest.fixture
def post_webhook(client):
    def post(event, *, secret=WEBHOOK_SECRET, timestamp=None, path="/payments/stripe-webhook/", headers=None):
        payload = json.dumps(event)
        sig = fake_stripe.signed_headers(payload, secret, timestamp=timestamp) if headers is None else headers
        return client.post(path, data=payload, content_type="application/json", **sig)

    return post
