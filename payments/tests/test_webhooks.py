"""The Stripe webhook endpoints: signatures, dedupe, ordering, failures and retries."""

import time

import pytest

from accounts.models import LedgerEntry, Wallet
from payments.models import Payment, WebhookEvent
from payments.webhooks import registry

from .conftest import CONNECT_WEBHOOK_SECRET
from .fake_stripe import make_event

pytestmark = pytest.mark.django_db


def _balance(user):
    wallet = Wallet.objects.filter(user=user).first()
    return wallet.points_balance if wallet else 0


def test_completed_session_credits_points_and_records_everything(started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    event = make_event("checkout.session.completed", stripe_fake.pay(session.id))

    response = post_webhook(event)

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.payment_intent_id.startswith("pi_") and payment.charge_id.startswith("ch_")
    assert payment.receipt_url.startswith("https://pay.stripe.test/receipts/")
    assert payment.succeeded_at is not None
    assert _balance(payment.user) == 50
    entry = LedgerEntry.objects.get(user=payment.user, reason=LedgerEntry.Reason.PURCHASE)
    assert entry.idempotency_key == session.id and entry.source_id == str(payment.pk)
    row = WebhookEvent.objects.get(event_id=event["id"])
    assert row.processed_at is not None and row.attempts == 1 and row.error == ""
    assert row.type == "checkout.session.completed" and row.payload["id"] == event["id"]
    last = payment.events.last()
    assert (last.from_status, last.to_status) == ("pending", "succeeded")
    assert last.source.startswith(f"webhook {event['id']}")


def test_bad_signature_is_rejected_and_changes_nothing(started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    event = make_event("checkout.session.completed", stripe_fake.pay(session.id))

    response = post_webhook(event, secret="whsec_wrong")

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and _balance(payment.user) == 0


def test_missing_signature_is_rejected(started_purchase, stripe_fake, post_webhook):
    _, session = started_purchase
    response = post_webhook(make_event("checkout.session.completed", stripe_fake.pay(session.id)), headers={})
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_stale_timestamp_is_rejected(started_purchase, stripe_fake, post_webhook):
    _, session = started_purchase
    event = make_event("checkout.session.completed", stripe_fake.pay(session.id))

    response = post_webhook(event, timestamp=int(time.time()) - 10 * 60)

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_tampered_body_is_rejected(started_purchase, stripe_fake, client):
    import json

    from .fake_stripe import signed_headers

    _, session = started_purchase
    event = make_event("checkout.session.completed", stripe_fake.pay(session.id))
    headers = signed_headers(json.dumps(event), "whsec_test_account")
    event["data"]["object"]["amount_total"] = 1
    response = client.post(
        "/payments/stripe-webhook/", data=json.dumps(event), content_type="application/json", **headers
    )
    assert response.status_code == 400


def test_get_is_not_allowed(client):
    assert client.get("/payments/stripe-webhook/").status_code == 405


def test_replayed_twenty_times_credits_once(started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    event = make_event("checkout.session.completed", stripe_fake.pay(session.id))

    statuses = [post_webhook(event).status_code for _ in range(20)]

    assert statuses == [200] * 20
    assert _balance(payment.user) == 50
    assert WebhookEvent.objects.get().attempts == 1
    assert LedgerEntry.objects.filter(user=payment.user).count() == 1


def test_distinct_events_for_one_session_credit_once(started_purchase, stripe_fake, post_webhook):
    """Stripe may send two Event objects for one thing; the session id still credits once."""
    payment, session = started_purchase
    obj = stripe_fake.pay(session.id)
    assert post_webhook(make_event("checkout.session.completed", obj)).status_code == 200
    assert post_webhook(make_event("checkout.session.async_payment_succeeded", obj)).status_code == 200
    assert _balance(payment.user) == 50


def test_delayed_payment_pending_then_succeeded(started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    assert (
        post_webhook(make_event("checkout.session.completed", stripe_fake.complete_unpaid(session.id))).status_code
        == 200
    )
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and _balance(payment.user) == 0

    stripe_fake.state.sessions[session.id]["payment_status"] = "unpaid"
    obj = stripe_fake.pay(session.id)
    assert post_webhook(make_event("checkout.session.async_payment_succeeded", obj)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and _balance(payment.user) == 50


def test_async_payment_failed_marks_failed(started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    obj = stripe_fake.complete_unpaid(session.id)
    assert post_webhook(make_event("checkout.session.async_payment_failed", obj)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED and _balance(payment.user) == 0


def test_expired_session_cancels_payment(started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    assert post_webhook(make_event("checkout.session.expired", stripe_fake.expire(session.id))).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED


def test_stale_completed_snapshot_after_success_changes_nothing(started_purchase, stripe_fake, post_webhook):
    """Out of order: the 'completed, unpaid' event of a delayed payment arrives after success."""
    payment, session = started_purchase
    unpaid_snapshot = dict(stripe_fake.state.sessions[session.id], status="complete")
    assert (
        post_webhook(make_event("checkout.session.async_payment_succeeded", stripe_fake.pay(session.id))).status_code
        == 200
    )
    assert post_webhook(make_event("checkout.session.completed", unpaid_snapshot)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and _balance(payment.user) == 50


def test_refund_before_completed_settles_then_refunds(started_purchase, stripe_fake, post_webhook):
    """Reordered: charge.refunded arrives before checkout.session.completed."""
    payment, session = started_purchase
    completed = make_event("checkout.session.completed", stripe_fake.pay(session.id))
    refunded = make_event("charge.refunded", stripe_fake.refund_in_dashboard(session.id, 500))

    assert post_webhook(refunded).status_code == 200
    assert post_webhook(completed).status_code == 200

    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert payment.amount_refunded_pence == 500
    assert _balance(payment.user) == 0
    assert [e.to_status for e in payment.events.all()] == ["pending", "succeeded", "refunded"]
    assert LedgerEntry.objects.filter(user=payment.user).count() == 2


def test_dashboard_partial_refunds_are_reconciled_once_each(started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    post_webhook(make_event("checkout.session.completed", stripe_fake.pay(session.id)))

    first = make_event("charge.refunded", stripe_fake.refund_in_dashboard(session.id, 200))
    assert post_webhook(first).status_code == 200
    post_webhook(make_event("charge.refunded", dict(stripe_fake.charge_for(session.id))))  # same total, new event id
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded_pence) == (Payment.Status.PARTIALLY_REFUNDED, 200)
    assert payment.refunds.count() == 1
    assert _balance(payment.user) == 30  # 20 of the 50 points removed for £2 of £5

    post_webhook(make_event("charge.refunded", stripe_fake.refund_in_dashboard(session.id, 300)))
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded_pence) == (Payment.Status.REFUNDED, 500)
    assert _balance(payment.user) == 0


def test_unknown_type_is_stored_and_acknowledged(post_webhook, stripe_fake):
    event = make_event("customer.created", {"id": "cus_1", "object": "customer"})
    assert post_webhook(event).status_code == 200
    row = WebhookEvent.objects.get(event_id=event["id"])
    assert row.processed_at is not None and row.note == "no handler for this event type"


def test_foreign_checkout_session_is_acknowledged_and_ignored(post_webhook, stripe_fake):
    event = make_event("checkout.session.completed", {"id": "cs_other", "object": "checkout.session", "metadata": {}})
    assert post_webhook(event).status_code == 200
    assert WebhookEvent.objects.get().note == "not a TalentVisa checkout session"


def test_failing_handler_records_error_returns_500_and_retry_reprocesses(post_webhook, stripe_fake):
    calls = []

    def flaky(*, event, webhook_event):
        calls.append(event["id"])
        if len(calls) == 1:
            raise RuntimeError("downstream hiccup")

    registry.register_event_handler("transfer.reversed", flaky)
    try:
        event = make_event("transfer.reversed", {"id": "tr_1", "object": "transfer"})
        first = post_webhook(event)
        row = WebhookEvent.objects.get(event_id=event["id"])
        assert first.status_code == 500
        assert row.processed_at is None and row.attempts == 1 and "downstream hiccup" in row.error

        second = post_webhook(event)
        row.refresh_from_db()
        assert second.status_code == 200
        assert row.processed_at is not None and row.attempts == 2 and row.error == ""
        assert len(calls) == 2
        assert post_webhook(event).status_code == 200 and len(calls) == 2
    finally:
        registry._handlers["transfer.reversed"].remove(flaky)


def test_failing_fulfilment_rolls_back_the_payment_move(started_purchase, stripe_fake, post_webhook, monkeypatch):
    from payments.purposes.points import PointsPurchaseFulfilment

    payment, session = started_purchase
    event = make_event("checkout.session.completed", stripe_fake.pay(session.id))

    def boom(self, *, payment):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(PointsPurchaseFulfilment, "on_succeeded", boom)
    assert post_webhook(event).status_code == 500
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING  # the move rolled back with the handler

    monkeypatch.undo()
    assert post_webhook(event).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and _balance(payment.user) == 50


def test_amount_mismatch_is_refused_recorded_for_staff_and_not_retried(started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    stripe_fake.pay(session.id)
    stripe_fake.state.sessions[session.id]["amount_total"] = 1
    event = make_event("checkout.session.completed", stripe_fake.state.sessions[session.id])

    response = post_webhook(event)

    # 2xx: a retry cannot fix it (before, 500 on every retry for three days until Stripe gave up).
    assert response.status_code == 200
    row = WebhookEvent.objects.get()
    assert row.needs_attention and row.processed_at is not None
    assert (
        row.attention_reason.startswith("PaymentMismatch: Session cs_test_") and "is for 1 gbp" in row.attention_reason
    )
    assert "PaymentMismatch" in row.error
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and _balance(payment.user) == 0
    assert post_webhook(event).status_code == 200  # the retry changes nothing
    assert WebhookEvent.objects.get().attempts == 1


def test_a_session_stripe_does_not_know_is_recorded_for_staff_with_2xx(stripe_fake, post_webhook):
    """Staging and production sharing one Stripe account: the other one's session answers 404."""
    unknown = {"id": "cs_test_elsewhere", "object": "checkout.session", "metadata": {"payment_id": "999"}}

    response = post_webhook(make_event("checkout.session.completed", unknown))

    assert response.status_code == 200
    row = WebhookEvent.objects.get()
    assert row.needs_attention and row.attention_reason.startswith("GatewayNotFound: ")
    assert not Payment.objects.exists()


def test_a_session_naming_a_payment_we_do_not_have_is_recorded_with_2xx(started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    stripe_fake.pay(session.id)
    stripe_fake.state.sessions[session.id]["metadata"] = {"payment_id": str(payment.pk + 1000)}
    response = post_webhook(make_event("checkout.session.completed", stripe_fake.state.sessions[session.id]))
    assert response.status_code == 200
    assert WebhookEvent.objects.get().needs_attention
    assert _balance(payment.user) == 0


def test_a_transient_gateway_error_still_answers_500_so_stripe_retries(started_purchase, stripe_fake, post_webhook):
    from payments.gateways import GatewayError
    from payments.gateways.stripe import StripeGateway

    payment, session = started_purchase
    event = make_event("checkout.session.completed", stripe_fake.pay(session.id))

    def down(self, *, session_id):
        raise GatewayError("Stripe: connection reset")

    original = StripeGateway.checkout_retrieve
    StripeGateway.checkout_retrieve = down
    try:
        assert post_webhook(event).status_code == 500
    finally:
        StripeGateway.checkout_retrieve = original
    row = WebhookEvent.objects.get()
    assert not row.needs_attention and row.processed_at is None
    assert post_webhook(event).status_code == 200 and _balance(payment.user) == 50


def test_livemode_mismatch_is_ignored_and_recorded(started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    event = {**make_event("checkout.session.completed", stripe_fake.pay(session.id)), "livemode": True}

    response = post_webhook(event)

    assert response.status_code == 200
    row = WebhookEvent.objects.get()
    assert row.needs_attention and row.processed_at is not None
    assert row.attention_reason == "Livemode mismatch: a live event, but this site uses a test key."
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and _balance(payment.user) == 0


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        '[{"id": "evt_1", "type": "checkout.session.completed"}]',
        '"evt_1"',
        '{"id": "evt_\\u0000x", "type": "checkout.session.completed", "data": {"object": {}}}',
        '{"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {"id": "cs_\\u0000"}}}',
        '{"id": "' + "e" * 256 + '", "type": "checkout.session.completed", "data": {"object": {}}}',
        '{"id": 42, "type": "checkout.session.completed"}',
        '{"id": "evt_1", "type": ["x"]}',
        '{"id": "evt_1"}',
    ],
    ids=["empty-array", "array", "string", "nul-id", "nul-inside", "long-id", "int-id", "list-type", "no-type"],
)
def test_signed_but_malformed_bodies_are_400_and_store_nothing(client, stripe_fake, body):
    from .conftest import WEBHOOK_SECRET
    from .fake_stripe import signed_headers

    response = client.post(
        "/payments/stripe-webhook/", data=body, content_type="application/json", **signed_headers(body, WEBHOOK_SECRET)
    )

    assert response.status_code == 400
    assert b"signature" not in response.content  # the signature was good: refused for its shape
    assert not WebhookEvent.objects.exists()


def test_a_255_character_event_id_is_accepted(post_webhook, stripe_fake):
    event = make_event("customer.created", {"id": "cus_1"}, event_id="e" * 255)
    assert post_webhook(event).status_code == 200
    assert WebhookEvent.objects.get().event_id == "e" * 255


def test_connect_endpoint_uses_its_own_secret(post_webhook, stripe_fake):
    seen = []
    handler = lambda *, event, webhook_event: seen.append(event["data"]["object"]["id"])  # noqa: E731
    registry.register_event_handler("account.updated", handler)
    try:
        event = make_event("account.updated", {"id": "acct_1", "object": "account", "charges_enabled": True})
        path = "/payments/stripe-connect-webhook/"
        assert post_webhook(event, path=path).status_code == 400  # account secret is wrong here
        assert post_webhook(event, path=path, secret=CONNECT_WEBHOOK_SECRET).status_code == 200
        assert seen == ["acct_1"]
        assert WebhookEvent.objects.get().endpoint == WebhookEvent.Endpoint.CONNECT
    finally:
        registry._handlers["account.updated"].remove(handler)


def test_webhook_without_configured_secret_is_rejected(post_webhook, stripe_fake, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    event = make_event("customer.created", {"id": "cus_1"})
    assert post_webhook(event).status_code == 400
