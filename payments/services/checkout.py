"""Creating payments, starting checkout, and settling a checkout session.

checkout_fulfil is THE settlement entry point: the Stripe webhook, the success page and the
test-mode Pay/Cancel buttons all call it (failures go through checkout_mark_failed). It may
run many times, concurrently, for one session; the Payment row lock plus the forward-only
transition map make every run after the first a no-op.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from .. import fulfilment
from ..gateways import CheckoutSession, GatewayError, default_gateway_name, get_gateway
from ..models import Payment
from ..states import PaymentMismatch
from .transitions import payment_lock, payment_transition, payment_transition_locked

S = Payment.Status
UNSETTLED = (S.CREATED, S.PENDING)


def payment_create(*, user, purpose: str, amount_pence: int, description: str, metadata: dict | None = None) -> Payment:
    fulfilment.handler_for(purpose)  # refuse a purpose nobody can fulfil before taking money for it
    if amount_pence <= 0:
        raise ValueError("amount_pence must be positive")
    with transaction.atomic():
        return Payment.objects.create(
            user=user,
            purpose=purpose,
            amount_pence=amount_pence,
            currency=settings.PAYMENTS_CURRENCY,
            description=description[:200],
            gateway=default_gateway_name(),
            metadata=metadata or {},
        )


def checkout_start(*, payment: Payment, success_url: str, cancel_url: str, transfer_group: str = "") -> CheckoutSession:
    """Create the gateway's checkout session for a new payment; returns it (its url is where to send the user)."""
    gateway = get_gateway(payment.gateway)
    try:
        # Outside any transaction: no row lock is held while waiting on the network.
        session = gateway.checkout_create(
            payment_id=payment.pk,
            amount_pence=payment.amount_pence,
            currency=payment.currency,
            description=payment.description,
            purpose=payment.purpose,
            customer_email=payment.user.email,
            success_url=success_url,
            cancel_url=cancel_url,
            metadata={"payment_id": str(payment.pk), "purpose": payment.purpose},
            transfer_group=transfer_group,
        )
    except GatewayError as exc:
        payment_transition(payment_id=payment.pk, to_status=S.FAILED, source="checkout start", note=str(exc))
        raise
    with transaction.atomic():
        locked = payment_lock(payment_id=payment.pk)
        if not locked.checkout_session_id:
            locked.checkout_session_id = session.id
            locked.save(update_fields=["checkout_session_id", "updated_at"])
        if locked.status == S.CREATED:
            payment_transition_locked(payment=locked, to_status=S.PENDING, source="checkout start")
    payment.refresh_from_db()
    return session


def _payment_id_of(session: CheckoutSession) -> int:
    raw = session.metadata.get("payment_id") or session.client_reference_id
    if not raw or not str(raw).isdigit():
        raise PaymentMismatch(f"Checkout session {session.id} does not name a payment.")
    return int(raw)


def _check_session_matches(payment: Payment, session: CheckoutSession) -> None:
    if payment.checkout_session_id and payment.checkout_session_id != session.id:
        raise PaymentMismatch(
            f"Payment {payment.pk} belongs to session {payment.checkout_session_id}, not {session.id}."
        )
    if session.amount_total != payment.amount_pence or session.currency.lower() != payment.currency:
        raise PaymentMismatch(
            f"Session {session.id} is for {session.amount_total} {session.currency}, "
            f"payment {payment.pk} for {payment.amount_pence} {payment.currency}."
        )


def payment_settle_from_session(*, session: CheckoutSession, source: str, actor=None) -> Payment:
    """Apply a checkout session's current state to its Payment (forward moves only)."""
    with transaction.atomic():
        payment = payment_lock(payment_id=_payment_id_of(session))
        _check_session_matches(payment, session)
        refs = {
            name: value
            for name, value in (
                ("checkout_session_id", session.id),
                ("payment_intent_id", session.payment_intent_id),
                ("charge_id", session.charge_id),
                ("receipt_url", session.receipt_url),
            )
            if value and getattr(payment, name) != value
        }
        if session.is_paid and payment.status in UNSETTLED:
            payment_transition_locked(payment=payment, to_status=S.SUCCEEDED, source=source, actor=actor, fields=refs)
            fulfilment.payment_succeeded(payment=payment)
        elif session.is_expired and payment.status in UNSETTLED:
            payment_transition_locked(payment=payment, to_status=S.CANCELLED, source=source, actor=actor, fields=refs)
        elif payment.status == S.CREATED:
            payment_transition_locked(payment=payment, to_status=S.PENDING, source=source, actor=actor, fields=refs)
        elif refs:
            # Already settled: only fill in references we did not have (e.g. the receipt URL).
            for name, value in refs.items():
                setattr(payment, name, value)
            payment.save(update_fields=[*refs, "updated_at"])
        return payment


def checkout_fulfil(*, session_id: str, source: str, actor=None) -> Payment:
    """Ask the gateway for the session's current state and settle the Payment from it."""
    known = Payment.objects.filter(checkout_session_id=session_id).only("gateway").first()
    gateway = get_gateway(known.gateway if known else None)
    # Retrieved rather than taken from the webhook body: the current state, not a snapshot
    # that may be older than one we have already applied.
    session = gateway.checkout_retrieve(session_id=session_id)
    return payment_settle_from_session(session=session, source=source, actor=actor)


def checkout_mark_failed(*, session_id: str, source: str, note: str = "", actor=None) -> Payment:
    """A delayed payment method failed (or the test-mode Fail button): nothing was taken."""
    with transaction.atomic():
        payment_id = Payment.objects.filter(checkout_session_id=session_id).values_list("pk", flat=True).first()
        if payment_id is None:
            raise PaymentMismatch(f"No payment has checkout session {session_id}.")
        payment = payment_lock(payment_id=payment_id)
        if payment.status in UNSETTLED:
            payment_transition_locked(payment=payment, to_status=S.FAILED, source=source, actor=actor, note=note)
            fulfilment.handler_for(payment.purpose).on_failed(payment=payment)
        return payment
