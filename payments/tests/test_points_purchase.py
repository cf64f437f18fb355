"""Buying points: the package page, Stripe Checkout, the success and cancel pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Wallet
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from payments.models import Payment, PointsPackage

from .factories import PaymentFactory, PointsPackageFactory
from .fake_stripe import make_event

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(email=user.email, password=DEFAULT_PASSWORD)


def _balance(user):
    wallet = Wallet.objects.filter(user=user).first()
    return wallet.points_balance if wallet else 0


def test_data_migration_created_the_default_packages():
    packages = {(p.points, p.price_pence) for p in PointsPackage.objects.filter(active=True)}
    assert {(50, 500), (120, 1000), (300, 2000)} <= packages


def test_buy_page_requires_login(client):
    response = client.get("/payments/points/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_buy_page_lists_active_packages_only(client, user, stripe_fake):
    PointsPackageFactory(name="Hidden", active=False)
    _login(client, user)
    response = client.get("/payments/points/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Buy 50 points for £5.00" in body and "£20.00" in body
    assert "Hidden" not in body
    assert "Test mode" not in body


def test_buy_page_query_count_is_constant(client, user, stripe_fake):
    _login(client, user)
    client.get("/payments/points/")  # warm the session/auth caches
    with CaptureQueriesContext(connection) as few:
        client.get("/payments/points/")
    PointsPackageFactory.create_batch(15)
    with CaptureQueriesContext(connection) as many:
        client.get("/payments/points/")
    assert len(few) == len(many)


def test_buying_redirects_to_stripe_checkout(client, user, stripe_fake, package):
    _login(client, user)
    response = client.post("/payments/points/", {"package": package.pk})

    payment = Payment.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == f"https://checkout.stripe.test/c/pay/{payment.checkout_session_id}"
    assert payment.status == Payment.Status.PENDING and payment.amount_pence == 500
    assert payment.metadata == {"package_id": package.pk, "points": 50, "package_name": package.name}
    (request,) = stripe_fake.posts_to("/v1/checkout/sessions")
    assert (
        request.params["success_url"] == "http://testserver/payments/checkout/success/?session_id={CHECKOUT_SESSION_ID}"
    )
    assert request.params["cancel_url"] == f"http://testserver/payments/checkout/{payment.pk}/cancelled/"


def test_inactive_package_cannot_be_bought(client, user, stripe_fake):
    hidden = PointsPackageFactory(active=False)
    _login(client, user)
    assert client.post("/payments/points/", {"package": hidden.pk}).status_code == 404
    assert not Payment.objects.exists()


def test_gateway_error_at_start_marks_payment_failed(client, user, stripe_fake, package):
    stripe_fake.fail_next = [400]
    _login(client, user)
    response = client.post("/payments/points/", {"package": package.pk}, follow=True)
    assert response.redirect_chain[-1][0] == "/payments/points/"
    assert "Nothing was charged" in response.content.decode()
    assert Payment.objects.get().status == Payment.Status.FAILED


def test_package_edits_do_not_change_a_started_purchase(started_purchase, stripe_fake, post_webhook, package):
    payment, session = started_purchase
    package.points = 9999
    package.save()
    post_webhook(make_event("checkout.session.completed", stripe_fake.pay(session.id)))
    assert _balance(payment.user) == 50


def test_success_page_settles_when_it_arrives_before_the_webhook(client, started_purchase, stripe_fake, post_webhook):
    payment, session = started_purchase
    obj = stripe_fake.pay(session.id)
    _login(client, payment.user)

    response = client.get("/payments/checkout/success/", {"session_id": session.id})

    assert response.status_code == 200
    assert "payment received" in response.content.decode()
    assert "View receipt" in response.content.decode()
    assert _balance(payment.user) == 50
    assert post_webhook(make_event("checkout.session.completed", obj)).status_code == 200
    client.get("/payments/checkout/success/", {"session_id": session.id})
    assert _balance(payment.user) == 50
    payment.refresh_from_db()
    assert [e.source for e in payment.events.all()][-1] == "success page"


def test_success_page_before_payment_says_confirming(client, started_purchase):
    payment, session = started_purchase
    _login(client, payment.user)
    response = client.get("/payments/checkout/success/", {"session_id": session.id})
    body = response.content.decode()
    assert response.status_code == 200
    assert "confirming your payment" in body and "Refresh" in body
    assert _balance(payment.user) == 0


def test_success_page_survives_a_gateway_outage(client, started_purchase, stripe_fake):
    payment, session = started_purchase
    stripe_fake.fail_next = [400]
    _login(client, payment.user)
    response = client.get("/payments/checkout/success/", {"session_id": session.id})
    assert response.status_code == 200 and "confirming your payment" in response.content.decode()


def test_cancel_page(client, started_purchase):
    payment, _ = started_purchase
    _login(client, payment.user)
    response = client.get(f"/payments/checkout/{payment.pk}/cancelled/")
    assert response.status_code == 200 and "Nothing was charged" in response.content.decode()


def test_other_users_payments_are_404_everywhere(client, started_purchase):
    payment, session = started_purchase
    _login(client, UserFactory())
    assert client.get("/payments/checkout/success/", {"session_id": session.id}).status_code == 404
    assert client.get(f"/payments/checkout/{payment.pk}/cancelled/").status_code == 404
    assert client.get("/payments/checkout/success/").status_code == 404
    assert payment.user.email not in client.get("/payments/history/").content.decode()


def test_history_shows_only_own_payments_with_badges_and_receipts(client, user):
    PaymentFactory(user=user, status=Payment.Status.SUCCEEDED, receipt_url="https://pay.stripe.test/receipts/r1")
    PaymentFactory(user=user, status=Payment.Status.FAILED, description="120 points (Standard)", amount_pence=1000)
    PaymentFactory(description="Someone else's 300 points")
    _login(client, user)

    body = client.get("/payments/history/").content.decode()

    assert "£5.00" in body and "£10.00" in body
    assert "Paid" in body and "Failed" in body
    assert 'href="https://pay.stripe.test/receipts/r1"' in body
    assert "Someone else" not in body


def test_history_says_how_much_of_a_payment_was_refunded(client, user):
    PaymentFactory(user=user, status=Payment.Status.PARTIALLY_REFUNDED, amount_pence=9000, amount_refunded_pence=4500)
    _login(client, user)
    body = client.get("/payments/history/").content.decode()
    assert "£45.00 refunded" in body and "Partly refunded" not in body


def test_history_requires_login(client):
    assert client.get("/payments/history/").status_code == 302


def test_history_query_count_is_constant(client, user):
    _login(client, user)
    PaymentFactory(user=user)
    client.get("/payments/history/")
    with CaptureQueriesContext(connection) as few:
        client.get("/payments/history/")
    PaymentFactory.create_batch(30, user=user, status=Payment.Status.SUCCEEDED)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/payments/history/")
    assert len(few) == len(many)
    assert "Page 1 of 2" in response.content.decode()


@pytest.mark.parametrize("session_id", ["\x00", "cs_test_\x00", "c" * 256, "cs\ttest"])
def test_success_page_with_an_impossible_session_id_is_404(client, session_id):
    client.force_login(UserFactory())
    assert client.get("/payments/checkout/success/", {"session_id": session_id}).status_code == 404
