"""The test-mode gateway: a local checkout page that never charges a card.

It stands in for Stripe in the embedded default. Its sessions live in TestModeCheckoutSession
rows; the page's Pay/Cancel/Fail buttons change the row and then call exactly the same
settlement services as the Stripe webhook does (see payments.views.test_mode).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.urls import reverse

from .base import CheckoutSession, GatewayError, GatewayRefund, GatewayUnavailable, PaymentGateway


def test_mode_enabled() -> bool:
    """Only when switched on explicitly, and in production (DEBUG=False) only with the second flag."""
    return bool(settings.PAYMENTS_TEST_MODE_ENABLED and (settings.DEBUG or settings.PAYMENTS_TEST_MODE_IN_PRODUCTION))


def _refuse_unless_enabled(action: str) -> None:
    # Settings refuse this combination at start; this guard also covers a payment made in test
    # mode earlier and refunded or paid out after the site switched to Stripe.
    if not test_mode_enabled():
        raise GatewayUnavailable(f"Test-mode payments are off: cannot {action} without moving real money.")


def _session_from_row(row) -> CheckoutSession:
    return CheckoutSession(
        id=row.session_id,
        url=reverse("payments:test_checkout", args=[row.session_id]),
        status=row.status,
        payment_status=row.payment_status,
        amount_total=row.amount_total,
        currency=row.currency,
        client_reference_id=str(row.payment_id),
        metadata=dict(row.metadata),
        payment_intent_id=f"tm_pi_{row.payment_id}" if row.payment_status == "paid" else "",
        charge_id=f"tm_ch_{row.payment_id}" if row.payment_status == "paid" else "",
        receipt_url="",
    )


class TestModeGateway(PaymentGateway):
    name = "test_mode"

    def checkout_create(
        self,
        *,
        payment_id,
        amount_pence,
        currency,
        description,
        purpose,
        customer_email,
        success_url,
        cancel_url,
        metadata,
        transfer_group="",
    ):
        from ..models import TestModeCheckoutSession

        if not test_mode_enabled():
            raise GatewayUnavailable("Payments are not available: Stripe is not configured and test mode is off.")
        row, _ = TestModeCheckoutSession.objects.get_or_create(
            payment_id=payment_id,
            defaults={
                "session_id": f"tm_cs_{secrets.token_urlsafe(18)}",
                "amount_total": amount_pence,
                "currency": currency,
                "success_url": success_url,
                "cancel_url": cancel_url,
                "metadata": metadata,
            },
        )
        return _session_from_row(row)

    def checkout_retrieve(self, *, session_id):
        from ..models import TestModeCheckoutSession

        return _session_from_row(TestModeCheckoutSession.objects.get(session_id=session_id))

    def checkout_expire(self, *, session_id):
        from ..models import TestModeCheckoutSession

        # Same rule as Stripe: only an open session can be expired.
        updated = TestModeCheckoutSession.objects.filter(
            session_id=session_id, status=TestModeCheckoutSession.SessionStatus.OPEN
        ).update(status=TestModeCheckoutSession.SessionStatus.EXPIRED)
        row = TestModeCheckoutSession.objects.get(session_id=session_id)
        if not updated:
            raise GatewayError(f"Checkout session {session_id} is {row.status}, not open: it cannot be expired.")
        return _session_from_row(row)

    def checkout_find_by_payment_intent(self, *, payment_intent_id):
        from ..models import TestModeCheckoutSession

        payment_id = payment_intent_id.removeprefix("tm_pi_")
        row = TestModeCheckoutSession.objects.filter(payment_id=payment_id if payment_id.isdigit() else None).first()
        return _session_from_row(row) if row else None

    def refund_create(self, *, payment_intent_id, amount_pence, refund_id, metadata):
        _refuse_unless_enabled("refund a payment")
        return GatewayRefund(id=f"tm_re_{refund_id}", status="succeeded", amount=amount_pence)

    def connect_account_create(self, *, reference, email, country="GB"):
        _refuse_unless_enabled("create a payout account")
        return f"tm_acct_{reference}"

    def connect_onboarding_link_create(self, *, account_id, refresh_url, return_url):
        # Nothing to fill in locally: "onboarding" returns straight to our own page.
        return return_url

    def transfer_create(
        self,
        *,
        reference,
        amount_pence,
        currency,
        destination_account_id,
        source_charge_id="",
        transfer_group="",
        metadata=None,
    ):
        _refuse_unless_enabled("transfer money to an expert")
        return f"tm_tr_{reference}"

    def transfer_reverse(self, *, transfer_id, reference, amount_pence=None):
        _refuse_unless_enabled("reverse a transfer")
        return f"tm_trr_{reference}"
