"""The earnings ledger: one row per completed consultation, staff bonuses/adjustments, release
from pending to available once the dispute window closes, and what a refund does to a row."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef

from bookings.models import Booking
from core.transitions import StateMachine
from expert_marketplace.models import ExpertProfile

from .. import policy
from ..models import Dispute, Earning, EarningEvent
from .common import now_or, require_staff
from .errors import ConsultationError, InvalidTransition

logger = logging.getLogger("consultations")
ES = Earning.Status
PAYOUT_CLAIM_TTL = dt.timedelta(minutes=10)


EARNING = StateMachine(
    allowed=Earning.TRANSITIONS,
    events=EarningEvent,
    refuse=lambda earning, current, target: InvalidTransition(
        what="Earning", pk=earning.pk, current=current, target=target
    ),
)


def earning_lock(*, earning_id: int) -> Earning:
    return EARNING.lock(Earning.objects.select_related("expert", "booking", "booking__payment"), pk=earning_id)


def earning_transition_locked(
    *, earning: Earning, to_status: str, actor=None, note: str = "", fields: dict | None = None
) -> Earning:
    """Move an earning the caller has locked: check the map, save with update_fields, record the event."""
    EARNING.move(earning, to_status, actor=actor, note=note, fields=fields)
    return earning


def earning_note(*, earning: Earning, actor=None, note: str) -> EarningEvent:
    return EarningEvent.record(earning, from_status=earning.status, to_status=earning.status, actor=actor, note=note)


def open_dispute_q():
    """Exists(...) of an open dispute on the row's booking (for Earning querysets)."""
    return Exists(Dispute.objects.filter(booking_id=OuterRef("booking_id"), status__in=Dispute.OPEN_STATUSES))


def has_open_dispute(*, booking_id: int | None) -> bool:
    if booking_id is None:
        return False
    return Dispute.objects.filter(booking_id=booking_id, status__in=Dispute.OPEN_STATUSES).exists()


def earning_create_for_booking(*, booking: Booking, now: dt.datetime | None = None, actor=None) -> Earning:
    """The consultation's earning (once): gross = the booking price, commission at the booking's
    own rate (copied when it was booked), pending until the dispute window closes."""
    now = now_or(now)
    existing = Earning.objects.filter(booking_id=booking.pk, kind=Earning.Kind.CONSULTATION).first()
    if existing is not None:
        return existing
    money = policy.split(gross_pence=booking.price_pence, bps=booking.commission_bps)
    earning = Earning.objects.create(
        expert_id=booking.expert_id,
        booking=booking,
        kind=Earning.Kind.CONSULTATION,
        status=ES.PENDING,
        gross_pence=money.gross_pence,
        commission_bps=booking.commission_bps,
        commission_pence=money.commission_pence,
        net_pence=money.net_pence,
        currency=booking.currency,
        available_at=max(policy.dispute_deadline(booking=booking), now),
        created_at=now,
    )
    EarningEvent.record(
        earning,
        to_status=ES.PENDING,
        actor=actor,
        note=f"Booking {booking.reference} ({booking.get_status_display().lower()}): {money.gross_pence}p gross, "
        f"{money.commission_pence}p commission at {booking.commission_bps} bps, {money.net_pence}p net.",
    )
    return earning


def earning_create_for_late_cancel(*, booking: Booking, share_pence: int, actor=None, now: dt.datetime) -> Earning:
    """bookings observer (inside the cancel's transaction): the expert's share of what a late-cancelling
    client forfeited, less commission at the booking's rate. Payable once the session's time has passed."""
    existing = Earning.objects.filter(booking_id=booking.pk, kind=Earning.Kind.LATE_CANCEL).first()
    if existing is not None:
        return existing
    money = policy.split(gross_pence=share_pence, bps=booking.commission_bps)
    earning = Earning.objects.create(
        expert_id=booking.expert_id,
        booking=booking,
        kind=Earning.Kind.LATE_CANCEL,
        status=ES.PENDING,
        gross_pence=money.gross_pence,
        commission_bps=booking.commission_bps,
        commission_pence=money.commission_pence,
        net_pence=money.net_pence,
        currency=booking.currency,
        reason=f"Client cancelled booking {booking.reference} late.",
        available_at=max(booking.end_at, now),
        created_at=now,
    )
    EarningEvent.record(
        earning,
        to_status=ES.PENDING,
        actor=actor,
        note=f"Late cancellation of {booking.reference}: {money.gross_pence}p share of the forfeited fee, "
        f"{money.commission_pence}p commission at {booking.commission_bps} bps, {money.net_pence}p net.",
    )
    return earning


def earning_release_locked(*, earning: Earning, now: dt.datetime, actor=None) -> bool:
    """pending -> available if the window has closed and no dispute is open (caller holds the lock)."""
    if earning.status != ES.PENDING or earning.available_at > now or has_open_dispute(booking_id=earning.booking_id):
        return False
    earning_transition_locked(earning=earning, to_status=ES.AVAILABLE, actor=actor, note="Dispute window closed.")
    return True


def earnings_release(*, now: dt.datetime | None = None) -> int:
    """Periodic: every pending earning whose dispute window has closed and has no open dispute."""
    now = now_or(now)
    ids = list(
        Earning.objects.filter(status=ES.PENDING, available_at__lte=now)
        .exclude(open_dispute_q())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    released = 0
    for earning_id in ids:
        with transaction.atomic():
            if earning_release_locked(earning=earning_lock(earning_id=earning_id), now=now):
                released += 1
    return released


def earning_adjustment_create(
    *, expert: ExpertProfile, amount_pence: int, kind: str, reason: str, actor, now: dt.datetime | None = None
) -> Earning:
    """Staff: a bonus (positive) or adjustment (either sign) with a reason. Available at once.

    Positive rows are paid by the next payout run; a negative adjustment stays in the ledger
    (it lowers the expert's available total) and is settled by staff outside the payout run."""
    require_staff(actor)
    now = now_or(now)
    reason = (reason or "").strip()
    if not reason:
        raise ConsultationError("Give a reason for the adjustment.")
    if kind not in (Earning.Kind.BONUS, Earning.Kind.ADJUSTMENT):
        raise ConsultationError("Choose bonus or adjustment.")
    if amount_pence == 0 or (kind == Earning.Kind.BONUS and amount_pence < 0):
        raise ConsultationError("A bonus must be positive; an adjustment must not be zero.")
    with transaction.atomic():
        earning = Earning.objects.create(
            expert=expert,
            kind=kind,
            status=ES.AVAILABLE,
            gross_pence=amount_pence,
            commission_pence=0,
            net_pence=amount_pence,
            reason=reason,
            created_by=actor,
            available_at=now,
            created_at=now,
        )
        EarningEvent.record(
            earning, to_status=ES.AVAILABLE, actor=actor, note=f"Staff {kind} of {amount_pence}p: {reason}"
        )
    return earning


def earning_hold_for_refund_locked(*, earning: Earning, refund_pence: int, full: bool, actor, now, note: str) -> None:
    """What a refund of the booking does to its earning (caller holds the lock).

    Full refund: an unpaid earning is reversed at once; a paid one (or one whose transfer is in
    flight) is flagged and its transfer reversed by a task after commit. Partial refund: the
    expert's share of it (the refund less commission) is held back from the payout."""
    if earning.status == ES.REVERSED:
        return
    if not full:
        share = policy.expert_share_of_refund(refund_pence=refund_pence, bps=earning.commission_bps)
        clawback = min(earning.net_pence, earning.clawback_pence + share)
        earning.clawback_pence = clawback
        earning.save(update_fields=["clawback_pence", "updated_at"])
        earning_note(earning=earning, actor=actor, note=f"{note} Expert's share held back: {share}p.")
        if clawback < earning.net_pence:
            if earning.status == ES.PAID:
                earning_note(
                    earning=earning,
                    actor=actor,
                    note="Already paid: the held-back share must be recovered by staff (partial reversal).",
                )
            return
    in_flight = earning.payout_started_at is not None and now - earning.payout_started_at < PAYOUT_CLAIM_TTL
    if earning.status in (ES.PENDING, ES.AVAILABLE) and not in_flight:
        earning_transition_locked(
            earning=earning, to_status=ES.REVERSED, actor=actor, note=note, fields={"reversed_at": now}
        )
        return
    if earning.reverse_requested_at is None:
        earning.reverse_requested_at = now
        earning.save(update_fields=["reverse_requested_at", "updated_at"])
        earning_note(earning=earning, actor=actor, note=f"{note} Transfer reversal requested.")
    from ..tasks import earning_reverse_task

    earning_id = earning.pk
    transaction.on_commit(lambda: earning_reverse_task.delay(earning_id=earning_id))


def earnings_on_payment_refunded(*, payment, refund) -> None:
    """payments.fulfilment observer: runs inside the refund's transaction, under the Payment lock."""
    booking_id = (payment.metadata or {}).get("booking_id")
    if payment.purpose != "booking" or not booking_id:
        return
    full = payment.amount_refunded_pence >= payment.amount_pence
    late_cancel_id = (
        Earning.objects.filter(booking_id=int(booking_id), kind=Earning.Kind.LATE_CANCEL)
        .values_list("pk", flat=True)
        .first()
    )
    if late_cancel_id is not None and full:
        # Staff gave the client back what they had forfeited: the expert's share of it goes too.
        earning_hold_for_refund_locked(
            earning=earning_lock(earning_id=late_cancel_id),
            refund_pence=refund.amount_pence,
            full=True,
            actor=refund.requested_by,
            now=now_or(None),
            note=f"Forfeited fee refunded to the client (refund {refund.pk}: {refund.amount_pence}p).",
        )
    earning_id = (
        Earning.objects.filter(booking_id=int(booking_id), kind=Earning.Kind.CONSULTATION)
        .values_list("pk", flat=True)
        .first()
    )
    if earning_id is None:
        return  # refunded before completion: nothing was earned
    earning = earning_lock(earning_id=earning_id)
    earning_hold_for_refund_locked(
        earning=earning,
        refund_pence=refund.amount_pence,
        full=full,
        actor=refund.requested_by,
        now=now_or(None),
        note=f"Booking refunded {'in full' if full else 'in part'} (refund {refund.pk}: {refund.amount_pence}p).",
    )
