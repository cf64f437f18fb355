"""Refunds: ours (refund_create) and Stripe's (dashboard refunds reconciled from charge.refunded).

A refund is reserved as a PENDING row under the payment lock, so two concurrent requests can
never together exceed what remains; the gateway is called with no lock held, with an
idempotency key derived from that row (refund-<id>); the result is then applied under the
lock again. A crash in between leaves a PENDING row that a retry with the same key resumes.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from .. import fulfilment
from ..gateways import ChargeSummary, GatewayError, get_gateway
from ..models import Payment, Refund
from ..states import REFUNDABLE_STATUSES, PaymentMismatch, RefundNotAllowed
from .transitions import payment_lock, payment_transition_locked

S = Payment.Status


def _reserved_pence(payment: Payment) -> int:
    pending = payment.refunds.filter(status=Refund.Status.PENDING).aggregate(s=Sum("amount_pence"))["s"]
    return pending or 0


def _refund_apply_locked(
    *, payment: Payment, refund: Refund, gateway_refund_id: str, source: str, actor=None
) -> Refund:
    """Book a refund the gateway has accepted: payment amounts, status, and the purpose's undo."""
    if refund.status == Refund.Status.SUCCEEDED:
        return refund
    refunded = payment.amount_refunded_pence + refund.amount_pence
    to_status = S.REFUNDED if refunded >= payment.amount_pence else S.PARTIALLY_REFUNDED
    payment_transition_locked(
        payment=payment,
        to_status=to_status,
        source=source,
        actor=actor,
        note=f"refund {refund.pk}: {refund.amount_pence}p",
        fields={"amount_refunded_pence": refunded},
    )
    notes = fulfilment.payment_refunded(payment=payment, refund=refund)
    refund.status = Refund.Status.SUCCEEDED
    refund.gateway_refund_id = gateway_refund_id or None
    refund.completed_at = timezone.now()
    refund.error = ""
    if notes:
        refund.metadata = {**refund.metadata, "fulfilment": notes}
    refund.save(update_fields=["status", "gateway_refund_id", "completed_at", "error", "metadata"])
    return refund


def _refund_reserve(
    *, payment_id: int, amount_pence: int | None, reason: str, requested_by, idempotency_key: str
) -> Refund:
    with transaction.atomic():
        payment = payment_lock(payment_id=payment_id)
        existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.payment_id != payment.pk:
                raise RefundNotAllowed("That idempotency key was used for another payment.")
            return existing
        if payment.status not in REFUNDABLE_STATUSES:
            raise RefundNotAllowed(f"A {payment.get_status_display().lower()} payment cannot be refunded.")
        remaining = payment.refundable_pence - _reserved_pence(payment)
        amount = remaining if amount_pence is None else amount_pence
        if amount <= 0 or amount > remaining:
            raise RefundNotAllowed(f"Cannot refund {amount}p: {max(remaining, 0)}p remains refundable.")
        return Refund.objects.create(
            payment=payment,
            amount_pence=amount,
            reason=reason[:200],
            requested_by=requested_by,
            idempotency_key=idempotency_key,
        )


def refund_create(
    *,
    payment: Payment,
    amount_pence: int | None = None,
    reason: str,
    requested_by=None,
    idempotency_key: str | None = None,
) -> Refund:
    """Refund `amount_pence` (default: all that remains). The same key always means the same refund."""
    refund = _refund_reserve(
        payment_id=payment.pk,
        amount_pence=amount_pence,
        reason=reason,
        requested_by=requested_by,
        idempotency_key=idempotency_key or f"refund-request-{uuid.uuid4()}",
    )
    if refund.status != Refund.Status.PENDING:
        return refund
    try:
        result = get_gateway(payment.gateway).refund_create(
            payment_intent_id=payment.payment_intent_id,
            amount_pence=refund.amount_pence,
            refund_id=refund.pk,
            metadata={"payment_id": str(payment.pk), "refund_id": str(refund.pk)},
        )
    except GatewayError as exc:
        Refund.objects.filter(pk=refund.pk, status=Refund.Status.PENDING).update(
            status=Refund.Status.FAILED, error=str(exc)[:2000], completed_at=timezone.now()
        )
        raise
    with transaction.atomic():
        locked_payment = payment_lock(payment_id=payment.pk)
        locked_refund = Refund.objects.select_for_update().get(pk=refund.pk)
        refund = _refund_apply_locked(
            payment=locked_payment,
            refund=locked_refund,
            gateway_refund_id=result.id,
            source="refund",
            actor=requested_by,
        )
    payment.refresh_from_db()
    return refund


def payment_reconcile_refunds(*, charge: ChargeSummary, source: str) -> Payment:
    """Book refunds made outside our service (the Stripe dashboard), found via charge.refunded.

    Stripe reports the running total (amount_refunded); whatever exceeds what we have booked
    or reserved becomes one Refund row, keyed by charge and total so a replay books nothing.
    """
    with transaction.atomic():
        payment_id = (
            Payment.objects.filter(payment_intent_id=charge.payment_intent_id).values_list("pk", flat=True).first()
        )
        if payment_id is None:
            raise PaymentMismatch(f"No payment has payment intent {charge.payment_intent_id}.")
        payment = payment_lock(payment_id=payment_id)
        new_pence = charge.amount_refunded - payment.amount_refunded_pence - _reserved_pence(payment)
        if new_pence <= 0 or payment.status not in REFUNDABLE_STATUSES:
            return payment
        refund, _ = Refund.objects.get_or_create(
            idempotency_key=f"stripe-{charge.id}-refunded-to-{charge.amount_refunded}",
            defaults={"payment": payment, "amount_pence": new_pence, "reason": "Refunded in the Stripe dashboard"},
        )
        _refund_apply_locked(payment=payment, refund=refund, gateway_refund_id="", source=source)
        return payment
