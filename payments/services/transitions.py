"""The one way a Payment changes status: lock, check the map, save, record who and why."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import Payment, PaymentEvent
from ..states import InvalidPaymentTransition, can_transition


def payment_lock(*, payment_id: int) -> Payment:
    """The payment row, locked until the surrounding transaction ends (call inside atomic)."""
    # of=("self",): lock the payment only, not the joined user row (logins update it).
    return Payment.objects.select_for_update(of=("self",)).select_related("user").get(pk=payment_id)


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
    if not can_transition(payment.status, to_status):
        raise InvalidPaymentTransition(payment_id=payment.pk, from_status=payment.status, to_status=to_status)
    from_status = payment.status
    fields = dict(fields or {})
    if to_status == Payment.Status.SUCCEEDED:
        fields.setdefault("succeeded_at", timezone.now())
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.status = to_status
    payment.save(update_fields=["status", "updated_at", *fields])
    PaymentEvent.objects.create(
        payment=payment,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        source=source[:120],
        note=note[:255],
    )
    return payment


def payment_transition(
    *, payment_id: int, to_status: str, source: str, actor=None, note: str = "", fields: dict | None = None
) -> Payment:
    with transaction.atomic():
        payment = payment_lock(payment_id=payment_id)
        return payment_transition_locked(
            payment=payment, to_status=to_status, source=source, actor=actor, note=note, fields=fields
        )
