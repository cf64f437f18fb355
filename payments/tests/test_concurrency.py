"""Real concurrent deliveries on PostgreSQL: points are credited exactly once."""

import json

import pytest
from django.test import Client

from accounts.models import LedgerEntry, Wallet
from accounts.tests.factories import UserFactory
from payments.models import Payment, PointsPackage, WebhookEvent
from payments.purposes.points import points_purchase_create
from payments.services import checkout_start, refund_create
from talentvisa.testing import needs_postgres, run_concurrently

from .conftest import CANCEL_URL, SUCCESS_URL, WEBHOOK_SECRET
from .fake_stripe import make_event, signed_headers

pytestmark = pytest.mark.django_db(transaction=True)


def _paid_session(stripe_fake):
    user = UserFactory()
    # transaction=True tests flush the tables, data migration rows included: make our own.
    package = PointsPackage.objects.create(name="Starter", points=50, price_pence=500)
    payment = points_purchase_create(user=user, package=package)
    session = checkout_start(payment=payment, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
    return user, payment, stripe_fake.pay(session.id)


def _post(event):
    payload = json.dumps(event)
    return (
        Client()
        .post(
            "/payments/stripe-webhook/",
            data=payload,
            content_type="application/json",
            **signed_headers(payload, WEBHOOK_SECRET),
        )
        .status_code
    )


def test_same_completed_event_from_twenty_threads_credits_once(stripe_fake):
    needs_postgres()
    user, payment, session_obj = _paid_session(stripe_fake)
    event = make_event("checkout.session.completed", session_obj)

    statuses = run_concurrently([lambda: _post(event)] * 20)

    assert statuses == [200] * 20, statuses
    assert Wallet.objects.get(user=user).points_balance == 50
    assert LedgerEntry.objects.filter(user=user).count() == 1
    row = WebhookEvent.objects.get()
    assert row.attempts == 1 and row.processed_at is not None
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.events.filter(to_status=Payment.Status.SUCCEEDED).count() == 1


def test_twenty_distinct_events_for_one_session_credit_once(stripe_fake):
    needs_postgres()
    user, _, session_obj = _paid_session(stripe_fake)
    events = [make_event("checkout.session.completed", session_obj) for _ in range(20)]

    statuses = run_concurrently([lambda e=e: _post(e) for e in events])

    assert statuses == [200] * 20, statuses
    assert Wallet.objects.get(user=user).points_balance == 50
    assert WebhookEvent.objects.count() == 20


def test_success_page_racing_webhooks_credits_once(stripe_fake):
    needs_postgres()
    user, payment, session_obj = _paid_session(stripe_fake)
    event = make_event("checkout.session.completed", session_obj)

    def success_page():
        client = Client()
        client.force_login(user)
        return client.get("/payments/checkout/success/", {"session_id": session_obj["id"]}).status_code

    statuses = run_concurrently([success_page] * 10 + [lambda: _post(event)] * 10)

    assert statuses == [200] * 20, statuses
    assert Wallet.objects.get(user=user).points_balance == 50
    assert LedgerEntry.objects.filter(user=user).count() == 1


def test_concurrent_refunds_never_exceed_the_amount(stripe_fake):
    needs_postgres()
    user, payment, session_obj = _paid_session(stripe_fake)
    _post(make_event("checkout.session.completed", session_obj))
    payment.refresh_from_db()

    results = run_concurrently(
        [
            lambda i=i: refund_create(payment=payment, amount_pence=200, reason="x", idempotency_key=f"k{i}")
            for i in range(10)
        ]
    )

    succeeded = [r for r in results if not isinstance(r, Exception)]
    assert len(succeeded) == 2  # 2 x £2 fit in £5; a third would exceed it
    payment.refresh_from_db()
    assert payment.amount_refunded_pence == 400
    assert stripe_fake.charge_for(session_obj["id"])["amount_refunded"] == 400
    assert Wallet.objects.get(user=user).points_balance == 10
