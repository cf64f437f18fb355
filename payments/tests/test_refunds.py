"""refund_create: full, partial, idempotent, bounded, and taking back unspent points."""

import pytest

from accounts.models import LedgerEntry, Wallet
from accounts.services import points_spend
from accounts.tests.factories import UserFactory
from payments.models import Payment, Refund
from payments.services import checkout_fulfil, refund_create
from payments.states import RefundNotAllowed

from .fake_stripe import make_event

pytestmark = pytest.mark.django_db


def _balance(user):
    return Wallet.objects.get(user=user).points_balance


@pytest.fixture
def paid_purchase(started_purchase, stripe_fake):
    payment, session = started_purchase
    stripe_fake.pay(session.id)
    checkout_fulfil(session_id=session.id, source="test")
    payment.refresh_from_db()
    return payment


def test_full_refund_calls_stripe_with_a_row_derived_key_and_removes_points(paid_purchase, stripe_fake):
    staff = UserFactory(is_staff=True)
    refund = refund_create(payment=paid_purchase, reason="customer asked", requested_by=staff, idempotency_key="k1")

    (request,) = stripe_fake.posts_to("/v1/refunds")
    assert request.idempotency_key == f"refund-{refund.pk}"
    assert request.params["payment_intent"] == paid_purchase.payment_intent_id
    assert request.params["amount"] == "500"
    assert refund.status == Refund.Status.SUCCEEDED and refund.gateway_refund_id.startswith("re_")
    paid_purchase.refresh_from_db()
    assert paid_purchase.status == Payment.Status.REFUNDED and paid_purchase.amount_refunded_pence == 500
    assert _balance(paid_purchase.user) == 0
    reversal = LedgerEntry.objects.get(reason=LedgerEntry.Reason.REVERSAL)
    assert reversal.amount == -50 and reversal.idempotency_key == f"refund-points-{refund.pk}"
    assert reversal.actor == staff
    assert refund.metadata["fulfilment"] == {"points_to_remove": 50, "points_removed": 50, "points_shortfall": 0}


def test_same_key_refunds_once(paid_purchase, stripe_fake):
    first = refund_create(payment=paid_purchase, amount_pence=100, reason="x", idempotency_key="same")
    second = refund_create(payment=paid_purchase, amount_pence=100, reason="x", idempotency_key="same")
    assert first.pk == second.pk
    assert len(stripe_fake.posts_to("/v1/refunds")) == 1
    paid_purchase.refresh_from_db()
    assert paid_purchase.amount_refunded_pence == 100


def test_partial_refunds_add_up_and_points_follow(paid_purchase):
    refund_create(payment=paid_purchase, amount_pence=150, reason="part", idempotency_key="a")
    paid_purchase.refresh_from_db()
    assert paid_purchase.status == Payment.Status.PARTIALLY_REFUNDED
    assert _balance(paid_purchase.user) == 35  # 15 of 50 points for £1.50 of £5

    refund_create(payment=paid_purchase, reason="rest", idempotency_key="b")  # the remaining £3.50
    paid_purchase.refresh_from_db()
    assert paid_purchase.status == Payment.Status.REFUNDED and paid_purchase.amount_refunded_pence == 500
    assert _balance(paid_purchase.user) == 0


@pytest.mark.parametrize("amount", [501, 0, -5])
def test_never_more_than_what_remains(paid_purchase, stripe_fake, amount):
    with pytest.raises(RefundNotAllowed):
        refund_create(payment=paid_purchase, amount_pence=amount, reason="x")
    assert not stripe_fake.posts_to("/v1/refunds")


def test_after_a_partial_refund_only_the_rest_is_refundable(paid_purchase):
    refund_create(payment=paid_purchase, amount_pence=400, reason="x", idempotency_key="a")
    paid_purchase.refresh_from_db()
    with pytest.raises(RefundNotAllowed, match="100p remains"):
        refund_create(payment=paid_purchase, amount_pence=101, reason="x", idempotency_key="b")


def test_unpaid_payment_cannot_be_refunded(started_purchase):
    payment, _ = started_purchase
    with pytest.raises(RefundNotAllowed):
        refund_create(payment=payment, reason="x")


def test_spent_points_are_not_taken_below_zero_and_shortfall_is_recorded(paid_purchase):
    points_spend(user=paid_purchase.user, amount=40, description="CV analysis")

    refund = refund_create(payment=paid_purchase, reason="x", idempotency_key="k")

    assert _balance(paid_purchase.user) == 0
    reversal = LedgerEntry.objects.get(reason=LedgerEntry.Reason.REVERSAL)
    assert reversal.amount == -10
    assert "40 points already spent" in reversal.description
    assert refund.metadata["fulfilment"] == {"points_to_remove": 50, "points_removed": 10, "points_shortfall": 40}


def test_nothing_left_to_take_back_is_fine(paid_purchase):
    points_spend(user=paid_purchase.user, amount=50)
    refund = refund_create(payment=paid_purchase, reason="x", idempotency_key="k")
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.metadata["fulfilment"]["points_shortfall"] == 50
    assert not LedgerEntry.objects.filter(reason=LedgerEntry.Reason.REVERSAL).exists()


def test_gateway_refusal_marks_refund_failed_and_keeps_payment(paid_purchase, stripe_fake):
    from payments.gateways import GatewayError

    stripe_fake.fail_next = [400]
    with pytest.raises(GatewayError):
        refund_create(payment=paid_purchase, reason="x", idempotency_key="k")
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.FAILED and "injected failure" in refund.error
    paid_purchase.refresh_from_db()
    assert paid_purchase.status == Payment.Status.SUCCEEDED and _balance(paid_purchase.user) == 50
    # A new attempt (new key) can refund the full amount again.
    refund_create(payment=paid_purchase, reason="x", idempotency_key="k2")
    paid_purchase.refresh_from_db()
    assert paid_purchase.status == Payment.Status.REFUNDED


def test_our_refund_then_its_charge_refunded_webhook_books_nothing_more(paid_purchase, stripe_fake, post_webhook):
    session_id = paid_purchase.checkout_session_id
    refund_create(payment=paid_purchase, amount_pence=200, reason="x", idempotency_key="k")
    assert post_webhook(make_event("charge.refunded", dict(stripe_fake.charge_for(session_id)))).status_code == 200
    paid_purchase.refresh_from_db()
    assert paid_purchase.amount_refunded_pence == 200 and paid_purchase.refunds.count() == 1


def test_crashed_refund_is_resumed_by_the_same_key(paid_purchase, stripe_fake, monkeypatch):
    """A crash after Stripe accepted the refund leaves a PENDING row; the retry finishes it."""
    from payments.services import refunds as refunds_module

    real_apply = refunds_module._refund_apply_locked

    def crash(**kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr(refunds_module, "_refund_apply_locked", crash)
    with pytest.raises(RuntimeError):
        refund_create(payment=paid_purchase, reason="x", idempotency_key="k")
    assert Refund.objects.get().status == Refund.Status.PENDING

    monkeypatch.setattr(refunds_module, "_refund_apply_locked", real_apply)
    refund = refund_create(payment=paid_purchase, reason="x", idempotency_key="k")
    assert refund.status == Refund.Status.SUCCEEDED
    posts = stripe_fake.posts_to("/v1/refunds")
    assert len(posts) == 2 and {p.idempotency_key for p in posts} == {f"refund-{refund.pk}"}
    assert len(stripe_fake.state.refunds) == 1  # Stripe replayed the first answer
    paid_purchase.refresh_from_db()
    assert paid_purchase.amount_refunded_pence == 500


def test_admin_refund_in_full_goes_through_the_service(client, paid_purchase, stripe_fake):
    from accounts.models import User

    staff = User.objects.create_superuser(email="boss@example.com", password="pw-Secret-123")
    client.force_login(staff)
    data = {"action": "refund_in_full", "_selected_action": [paid_purchase.pk]}
    response = client.post("/admin/payments/payment/", data, follow=True)
    assert response.status_code == 200
    client.post("/admin/payments/payment/", data)  # a double click
    paid_purchase.refresh_from_db()
    assert paid_purchase.status == Payment.Status.REFUNDED
    assert len(stripe_fake.posts_to("/v1/refunds")) == 1
    assert Refund.objects.get().requested_by == staff
