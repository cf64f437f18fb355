"""The test-mode gateway's local checkout page (embedded default, no Stripe)."""

import pytest

from accounts.models import Wallet
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from payments.models import Payment

pytestmark = pytest.mark.django_db


def _start(client, user, package):
    assert client.login(email=user.email, password=DEFAULT_PASSWORD)
    response = client.post("/payments/points/", {"package": package.pk})
    assert response.status_code == 302
    return response["Location"], Payment.objects.get(user=user)


def _balance(user):
    wallet = Wallet.objects.filter(user=user).first()
    return wallet.points_balance if wallet else 0


def test_page_is_clearly_labelled_and_has_no_inline_script(client, user, package, test_mode):
    url, payment = _start(client, user, package)
    assert url.startswith("/payments/test-checkout/tm_cs_")
    assert payment.gateway == Payment.Gateway.TEST_MODE and payment.status == Payment.Status.PENDING
    body = client.get(url).content.decode()
    assert "Test payment — no card is charged" in body
    assert "£5.00" in body
    assert " onclick=" not in body and "<script>" not in body


def test_buy_page_shows_test_mode_banner(client, user, test_mode):
    client.force_login(user)
    assert "No card is charged" in client.get("/payments/points/").content.decode()


def test_pay_credits_once_through_the_webhook_settlement(client, user, package, test_mode):
    url, payment = _start(client, user, package)

    response = client.post(url, {"action": "pay"})

    assert response.status_code == 302
    assert (
        response["Location"] == f"http://testserver/payments/checkout/success/?session_id={payment.checkout_session_id}"
    )
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and payment.payment_intent_id == f"tm_pi_{payment.pk}"
    assert _balance(user) == 50
    # Pressing Pay again (back button), and the success page, change nothing.
    client.post(url, {"action": "pay"})
    page = client.get(response["Location"])
    assert "payment received" in page.content.decode()
    assert _balance(user) == 50


def test_cancel_moves_to_cancelled(client, user, package, test_mode):
    url, payment = _start(client, user, package)
    response = client.post(url, {"action": "cancel"})
    assert response["Location"] == f"http://testserver/payments/checkout/{payment.pk}/cancelled/"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED and _balance(user) == 0


def test_fail_moves_to_failed(client, user, package, test_mode):
    url, payment = _start(client, user, package)
    response = client.post(url, {"action": "fail"}, follow=True)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED and _balance(user) == 0
    assert "Payment failed" in response.content.decode()


def test_unknown_action_is_400(client, user, package, test_mode):
    url, payment = _start(client, user, package)
    assert client.post(url, {"action": "steal"}).status_code == 400
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_another_users_session_is_404(client, user, package, test_mode):
    url, payment = _start(client, user, package)
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "pay"}).status_code == 404
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_disabled_when_debug_is_off_without_the_setting(client, user, package, test_mode, settings):
    url, payment = _start(client, user, package)
    settings.DEBUG = False
    settings.PAYMENTS_TEST_MODE_ENABLED = False

    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "pay"}).status_code == 404
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING

    # And no new test-mode checkout can be started: the buy page says payments are unavailable.
    assert "not available" in client.get("/payments/points/").content.decode()
    client.post("/payments/points/", {"package": package.pk})
    assert Payment.objects.filter(user=user).count() == 1


def test_debug_alone_does_not_enable_it(client, user, package, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = False
    settings.DEBUG = True
    client.force_login(user)
    client.post("/payments/points/", {"package": package.pk})
    assert not Payment.objects.filter(user=user).exists()


def test_enabled_in_development_when_switched_on(client, user, package, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    settings.PAYMENTS_TEST_MODE_IN_PRODUCTION = False
    settings.DEBUG = True
    url, _ = _start(client, user, package)
    assert client.get(url).status_code == 200


def test_in_production_without_the_second_flag_the_gateway_moves_no_money(settings):
    from payments.gateways import GatewayUnavailable
    from payments.gateways.test_mode import TestModeGateway

    settings.DEBUG = False
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    settings.PAYMENTS_TEST_MODE_IN_PRODUCTION = False
    gateway = TestModeGateway()
    calls = [
        lambda: gateway.refund_create(payment_intent_id="tm_pi_1", amount_pence=100, refund_id=1, metadata={}),
        lambda: gateway.transfer_create(
            reference="e1", amount_pence=100, currency="gbp", destination_account_id="tm_acct_1"
        ),
        lambda: gateway.transfer_reverse(transfer_id="tm_tr_e1", reference="r1"),
        lambda: gateway.connect_account_create(reference="x1", email="x@example.com"),
    ]
    for call in calls:
        with pytest.raises(GatewayUnavailable, match="Test-mode payments are off"):
            call()
    settings.PAYMENTS_TEST_MODE_IN_PRODUCTION = True
    assert gateway.refund_create(payment_intent_id="tm_pi_1", amount_pence=100, refund_id=1, metadata={}).amount == 100


def test_refund_of_a_test_mode_payment(client, user, package, test_mode):
    from payments.services import refund_create

    url, payment = _start(client, user, package)
    client.post(url, {"action": "pay"})
    payment.refresh_from_db()
    refund = refund_create(payment=payment, reason="test", idempotency_key="tm")
    assert refund.gateway_refund_id == f"tm_re_{refund.pk}"
    assert _balance(user) == 0
