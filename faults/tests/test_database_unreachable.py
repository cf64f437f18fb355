"""The database unreachable: a friendly 503 with Retry-After (never a stack trace or a 500), a
Stripe webhook answered 503 so Stripe retries it, and once the database is back that retry
credits exactly once."""

import socket
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Wallet
from payments.models import Payment, WebhookEvent
from payments.tests.conftest import package, post_webhook, started_purchase, stripe_fake, user  # noqa: F401
from payments.tests.fake_stripe import make_event

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_unreachable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    real = connection.settings_dict["PORT"], connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", closed_port
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["HOST"] = real


def test_pages_answer_a_friendly_503_while_the_database_is_unreachable(needs_postgres_db):
    client = Client(raise_request_exception=False)
    with database_unreachable():
        responses = {path: client.get(path) for path in ("/", "/experts/", "/me/dashboard/", "/contact/")}
        health = client.get("/healthz")
    # Pages whose HTML is cached (the landing page) are still served; the others say so kindly.
    codes = {path: r.status_code for path, r in responses.items()}
    assert set(codes.values()) <= {200, 302, 503} and 503 in codes.values(), codes
    for path, response in responses.items():
        if response.status_code == 503:
            assert response["Retry-After"] == "30", path
            assert "be back in a moment" in response.content.decode(), path
    print(f"\ndatabase unreachable: {codes}")
    assert health.status_code == 503 and health.json()["checks"]["database"]["ok"] is False
    assert client.get("/").status_code == 200  # and back


def _post_signed(event):
    import json

    from payments.tests.conftest import WEBHOOK_SECRET
    from payments.tests.fake_stripe import signed_headers

    payload = json.dumps(event)
    client = Client(raise_request_exception=False)  # see what Stripe would see
    return client.post(
        "/payments/stripe-webhook/", payload, content_type="application/json", **signed_headers(payload, WEBHOOK_SECRET)
    )


def test_a_webhook_during_the_outage_is_retried_and_credits_once(
    needs_postgres_db,
    started_purchase,  # noqa: F811
    stripe_fake,  # noqa: F811
    post_webhook,  # noqa: F811
):
    payment, session = started_purchase
    event = make_event("checkout.session.completed", stripe_fake.pay(session.id))

    with database_unreachable():
        during = _post_signed(event)

    assert during.status_code == 503  # not 2xx: Stripe keeps the event and retries it
    assert post_webhook(event).status_code == 200
    assert post_webhook(event).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert Wallet.objects.get(user=payment.user).points_balance == 50
    assert WebhookEvent.objects.count() == 1
