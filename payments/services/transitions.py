"""The one way a Payment changes status: lock, check the map, save, record who and why."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core import fragments
from core.transitions import StateMachine

from ..models import Payment, PaymentEvent
from ..states import PAYMENT_TRANSITIONS, InvalidPaymentTransition

PAYMENT = StateMachine(
    allowed=PAYMENT_TRANSITIONS,
    events=PaymentEvent,
    refuse=lambda payment, current, target: InvalidPaymentTransition(
        payment_id=payment.pk, from_status=current, to_status=target
    ),
    # A late payment decides whether its expired booking is listed on the payer's booking list.
    scopes=lambda payment: [fragments.user_scope(payment.user_id)],
)


def payment_lock(*, payment_id: int) -> Payment:
    """The payment row, locked until the surrounding transaction ends (call inside atomic)."""
    # Only the payment is locked, not the joined user row (logins update it).
    return PAYMENT.lock(Payment.objects.select_related("user"), pk=payment_id)


def payment_transition_locked(
    *,
    payment: Payment,
    to_status: str,
    source: str,
    actor=None,
    note: str = "",
    fields: dict | None = None,
) -> Payment:
    """Move a payment already locked by the caller (who is inside transaction.atomic)."""
    fields = dict(fields or {})
    if to_status == Payment.Status.SUCCEEDED:
        fields.setdefault("succeeded_at", timezone.now())
    PAYMENT.move(payment, to_status, actor=actor, note=note[:255], fields=fields, event={"source": source[:120]})
    return payment


def payment_transition(
    *, payment_id: int, to_status: str, source: str, actor=None, note: str = "", fields: dict | None = None
) -> Payment:
    with transaction.atomic():
        payment = payment_lock(payment_id=payment_id)
        return payment_transition_locked(
            payment=payment, to_status=to_status, source=source, actor=actor, note=note, fields=fields
        )
