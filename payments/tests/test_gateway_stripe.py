"""The Stripe gateway, driven through the real stripe SDK against the in-process fake."""

import pytest
import stripe

from payments.gateways import GatewayError, get_gateway
from payments.gateways.stripe import MAX_NETWORK_RETRIES, StripeGateway
from payments.models import Payment

from .conftest import CANCEL_URL, SUCCESS_URL

pytestmark = pytest.mark.django_db


def test_stripe_is_chosen_when_a_secret_key_is_set(stripe_fake, settings):
    assert isinstance(get_gateway(), StripeGateway)
    settings.STRIPE_SECRET_KEY = ""
    assert get_gateway().name == "test_mode"


def test_client_retries_network_errors_explicitly(stripe_fake):
    gateway = get_gateway()
    assert gateway.client._requestor._options.max_network_retries == MAX_NETWORK_RETRIES == 2


def test_checkout_session_is_created_with_our_ids_and_a_deterministic_key(started_purchase, stripe_fake):
    payment, session = started_purchase

    (request,) = stripe_fake.posts_to("/v1/checkout/sessions")
    p = request.params
    assert request.idempotency_key == f"checkout-payment-{payment.pk}"
    assert request.headers["Authorization"] == "Bearer sk_test_fake"
    assert p["mode"] == "payment"
    assert p["client_reference_id"] == str(payment.pk)
    assert p["metadata[payment_id]"] == str(payment.pk)
    assert p["metadata[purpose]"] == "points_purchase"
    assert p["payment_intent_data[metadata][payment_id]"] == str(payment.pk)
    assert p["line_items[0][price_data][unit_amount]"] == "500"
    assert p["line_items[0][price_data][currency]"] == "gbp"
    assert p["line_items[0][quantity]"] == "1"
    assert p["success_url"] == SUCCESS_URL and "{CHECKOUT_SESSION_ID}" in p["success_url"]
    assert p["cancel_url"] == CANCEL_URL
    assert p["customer_email"] == payment.user.email
    assert session.url.startswith("https://checkout.stripe.test/")
    assert payment.checkout_session_id == session.id
    assert payment.status == Payment.Status.PENDING
    assert payment.events.get().to_status == Payment.Status.PENDING


def test_retrieve_expands_the_charge_for_the_receipt(started_purchase, stripe_fake):
    _, session = started_purchase
    stripe_fake.pay(session.id)

    retrieved = get_gateway().checkout_retrieve(session_id=session.id)

    assert retrieved.is_paid
    assert retrieved.payment_intent_id.startswith("pi_")
    assert retrieved.charge_id.startswith("ch_")
    assert retrieved.receipt_url.startswith("https://pay.stripe.test/receipts/")
    get_request = [r for r in stripe_fake.requests if r.method == "GET"][-1]
    assert "payment_intent.latest_charge" in get_request.params.values()


def test_a_500_is_retried_with_the_same_idempotency_key(stripe_fake, monkeypatch):
    monkeypatch.setattr(stripe.HTTPClient, "_sleep_time_seconds", lambda self, n: 0)
    stripe_fake.fail_next = [500]

    account_id = get_gateway().connect_account_create(reference="expert-7", email="e@example.com")

    posts = stripe_fake.posts_to("/v1/accounts")
    assert len(posts) == 2
    assert {r.idempotency_key for r in posts} == {"account-expert-7"}
    assert account_id.startswith("acct_")


def test_gateway_errors_are_wrapped(stripe_fake):
    with pytest.raises(GatewayError):
        get_gateway().checkout_retrieve(session_id="cs_missing")


def test_connect_link_transfer_and_reversal_carry_deterministic_keys(stripe_fake):
    gateway = get_gateway()
    account = gateway.connect_account_create(reference="expert-3", email="x@example.com")
    link = gateway.connect_onboarding_link_create(
        account_id=account, refresh_url="http://testserver/r", return_url="http://testserver/done"
    )
    transfer = gateway.transfer_create(
        reference="earning-12",
        amount_pence=4000,
        currency="gbp",
        destination_account_id=account,
        source_charge_id="ch_1",
        transfer_group="booking-9",
    )
    reversal = gateway.transfer_reverse(transfer_id=transfer, reference="earning-12", amount_pence=1000)

    assert link.startswith("https://connect.stripe.test/")
    (t,) = stripe_fake.posts_to("/v1/transfers")
    assert t.idempotency_key == "transfer-earning-12"
    assert t.params["source_transaction"] == "ch_1"
    assert t.params["transfer_group"] == "booking-9"
    assert t.params["destination"] == account
    (r,) = stripe_fake.posts_to(f"/v1/transfers/{transfer}/reversals")
    assert r.idempotency_key == "reversal-earning-12" and r.params["amount"] == "1000"
    assert reversal.startswith("trr_")


def test_api_base_override_is_used(stripe_fake, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:12111"
    get_gateway().connect_account_create(reference="x", email="x@example.com")
    # The fake sees the path only; the override is checked on the client options.
    assert get_gateway().client._requestor._options.base_addresses["api"] == "http://127.0.0.1:12111"
