"""Payouts: transfer available earnings to the expert's connected account (separate charges and
transfers), and reverse a transfer when the booking is refunded afterwards.

Never doubled: a payout claims the row under its lock (state AVAILABLE, no fresh claim), calls
the gateway with no lock held and a deterministic key (transfer-earning-<id>), then books the
result under the lock again. A crash between leaves a claim that goes stale after
PAYOUT_CLAIM_TTL; the retry sends the same key, so Stripe answers with the same transfer.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q

from payments.gateways import GatewayError, get_gateway

from ..models import Earning
from .common import now_or, require_staff
from .earnings import PAYOUT_CLAIM_TTL, earning_lock, earning_note, earning_transition_locked, has_open_dispute

logger = logging.getLogger("consultations")
ES = Earning.Status


def _reference(earning: Earning) -> str:
    # The stripe gateway prefixes it: Idempotency-Key transfer-earning-<id> / reversal-earning-<id>.
    return f"earning-{earning.pk}"


def _gateway_for(earning: Earning):
    payment = earning.booking.payment if earning.booking_id else None
    return get_gateway(payment.gateway if payment is not None else None)


def _claim(*, earning_id: int, now: dt.datetime) -> dict | None:
    """Under the lock: check the row may be paid now and claim it. Returns the transfer arguments."""
    with transaction.atomic():
        earning = earning_lock(earning_id=earning_id)
        if earning.status != ES.AVAILABLE:
            return None
        if earning.reverse_requested_at is not None:
            earning_transition_locked(
                earning=earning, to_status=ES.REVERSED, note="Refunded before payout.", fields={"reversed_at": now}
            )
            return None
        if earning.payout_started_at is not None and now - earning.payout_started_at < PAYOUT_CLAIM_TTL:
            return None  # another run is calling the gateway for it right now
        expert = earning.expert
        if not (expert.payouts_enabled and expert.stripe_account_id):
            return None  # waits until the expert finishes Connect onboarding
        if has_open_dispute(booking_id=earning.booking_id):
            return None
        amount = earning.payout_pence
        if amount <= 0:
            return None
        earning.payout_started_at = now
        earning.payout_attempts += 1
        earning.save(update_fields=["payout_started_at", "payout_attempts", "updated_at"])
        booking = earning.booking
        return {
            "reference": _reference(earning),
            "amount_pence": amount,
            "currency": earning.currency,
            "destination_account_id": expert.stripe_account_id,
            "source_charge_id": booking.payment.charge_id if booking is not None and booking.payment_id else "",
            "transfer_group": f"booking-{booking.pk}" if booking is not None else f"earning-{earning.pk}",
            "metadata": {
                "earning_id": str(earning.pk),
                "expert_id": str(expert.pk),
                **({"booking_id": str(booking.pk)} if booking is not None else {}),
            },
        }


def earning_payout(*, earning_id: int, now: dt.datetime | None = None) -> Earning:
    """Transfer one available earning. Safe to call twice or concurrently: one transfer at most."""
    now = now_or(now)
    args = _claim(earning_id=earning_id, now=now)
    if args is None:
        return Earning.objects.get(pk=earning_id)
    earning = Earning.objects.select_related("booking__payment").get(pk=earning_id)
    try:
        transfer_id = _gateway_for(earning).transfer_create(**args)
    except GatewayError as exc:
        with transaction.atomic():
            earning = earning_lock(earning_id=earning_id)
            earning.payout_started_at = None
            earning.last_error = str(exc)[:2000]
            earning.save(update_fields=["payout_started_at", "last_error", "updated_at"])
            earning_note(earning=earning, note=f"Payout attempt {earning.payout_attempts} failed: {exc}"[:2000])
        logger.warning("payout of earning %s failed: %s", earning_id, exc)
        return earning
    with transaction.atomic():
        earning = earning_lock(earning_id=earning_id)
        if earning.status == ES.AVAILABLE:
            earning_transition_locked(
                earning=earning,
                to_status=ES.PAID,
                note=f"Transferred {args['amount_pence']}p to {args['destination_account_id']} ({transfer_id}).",
                fields={"transfer_id": transfer_id, "paid_at": now, "payout_started_at": None, "last_error": ""},
            )
            if earning.reverse_requested_at is not None:  # refunded while the transfer was in flight
                from ..tasks import earning_reverse_task

                transaction.on_commit(lambda: earning_reverse_task.delay(earning_id=earning_id))
    return earning


def earning_reverse_transfer(*, earning_id: int, now: dt.datetime | None = None) -> Earning:
    """Reverse a paid earning's transfer after a full refund (key reversal-earning-<id>)."""
    now = now_or(now)
    with transaction.atomic():
        earning = earning_lock(earning_id=earning_id)
        if earning.reverse_requested_at is None or earning.status == ES.REVERSED:
            return earning
        if earning.status in (ES.PENDING, ES.AVAILABLE):
            if earning.payout_started_at is None or now - earning.payout_started_at >= PAYOUT_CLAIM_TTL:
                earning_transition_locked(
                    earning=earning, to_status=ES.REVERSED, note="Refunded before payout.", fields={"reversed_at": now}
                )
            return earning  # else: the payout in flight re-queues this once it lands
        transfer_id = earning.transfer_id
    earning = Earning.objects.select_related("booking__payment").get(pk=earning_id)
    try:
        reversal_id = _gateway_for(earning).transfer_reverse(transfer_id=transfer_id, reference=_reference(earning))
    except GatewayError as exc:
        with transaction.atomic():
            earning = earning_lock(earning_id=earning_id)
            earning.last_error = str(exc)[:2000]
            earning.save(update_fields=["last_error", "updated_at"])
            earning_note(earning=earning, note=f"Transfer reversal failed: {exc}"[:2000])
        raise
    with transaction.atomic():
        earning = earning_lock(earning_id=earning_id)
        if earning.status == ES.PAID:
            earning_transition_locked(
                earning=earning,
                to_status=ES.REVERSED,
                note=f"Transfer {transfer_id} reversed ({reversal_id}) after the booking was refunded.",
                fields={"reversal_id": reversal_id, "reversed_at": now, "last_error": ""},
            )
    return earning


def earnings_payout_run(*, now: dt.datetime | None = None) -> dict:
    """Periodic: pay every available earning of experts with payouts enabled; retry reversals."""
    now = now_or(now)
    payable = (
        Earning.objects.filter(status=ES.AVAILABLE, expert__payouts_enabled=True, net_pence__gt=0)
        .exclude(expert__stripe_account_id="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    paid = failed = 0
    for earning_id in list(payable):
        earning = earning_payout(earning_id=earning_id, now=now)
        if earning.status == ES.PAID and earning.paid_at == now:
            paid += 1
        elif earning.last_error and earning.status == ES.AVAILABLE:
            failed += 1
    reversals = Earning.objects.filter(
        Q(status=ES.PAID) | Q(status=ES.AVAILABLE), reverse_requested_at__isnull=False
    ).values_list("pk", flat=True)
    reversed_count = 0
    for earning_id in list(reversals):
        try:
            if earning_reverse_transfer(earning_id=earning_id, now=now).status == ES.REVERSED:
                reversed_count += 1
        except GatewayError:
            failed += 1
    return {"paid": paid, "failed": failed, "reversed": reversed_count}


def earning_payout_retry(*, earning: Earning, actor, now: dt.datetime | None = None) -> Earning:
    """Staff (admin action): try one earning's payout now, recorded."""
    require_staff(actor)
    with transaction.atomic():
        earning_note(earning=earning_lock(earning_id=earning.pk), actor=actor, note="Payout retried by staff.")
    return earning_payout(earning_id=earning.pk, now=now)


def transfer_reversed_webhook(*, event, webhook_event=None) -> None:
    """payments webhook registry: `transfer.reversed` (e.g. a reversal made in the Stripe dashboard)."""
    obj = event["data"]["object"]
    transfer_id = obj["id"]
    earning_id = Earning.objects.filter(transfer_id=transfer_id).values_list("pk", flat=True).first()
    if earning_id is None:
        return
    earning = earning_lock(earning_id=earning_id)
    fully = int(obj.get("amount_reversed") or 0) >= int(obj.get("amount") or 0)
    if earning.status == ES.PAID and fully:
        earning_transition_locked(
            earning=earning,
            to_status=ES.REVERSED,
            note=f"Transfer {transfer_id} reversed on Stripe (event {event['id']}).",
            fields={"reversed_at": now_or(None)},
        )
    elif earning.status == ES.PAID:
        earning_note(earning=earning, note=f"Transfer {transfer_id} partly reversed on Stripe (event {event['id']}).")
