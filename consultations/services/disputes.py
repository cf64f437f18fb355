"""No-show disputes: the client raises one within the dispute window, the expert responds,
staff resolve it (full refund, partial refund or reject). Every step is a DisputeEvent and an email;
while a dispute is open the booking's earning is not released or paid."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from bookings.models import Booking
from bookings.services import BookingError, booking_transition
from core.transitions import StateMachine
from payments.gateways import GatewayError
from payments.models import Payment
from payments.services import refund_create
from payments.states import RefundNotAllowed

from .. import policy
from ..models import Dispute, DisputeEvent, Earning
from .common import booking_lock, email_on_commit, is_client_of, is_expert_of, now_or, require_staff
from .core import consultation_ensure
from .earnings import earning_create_for_booking, earning_hold_for_refund_locked, earning_lock, earning_release_locked
from .errors import ConsultationError, InvalidTransition

BS = Booking.Status
DS = Dispute.Status
K = Dispute.Kind

# Which kinds of dispute a client may raise, by booking status.
KINDS_BY_STATUS: dict[str, tuple[str, ...]] = {
    BS.CONFIRMED: (K.EXPERT_NO_SHOW, K.OTHER),
    BS.COMPLETED: (K.EXPERT_NO_SHOW, K.OTHER),
    BS.NO_SHOW_CLIENT: (K.CONTEST_NO_SHOW, K.OTHER),
}


def dispute_kinds_for(*, booking: Booking) -> tuple[str, ...]:
    return KINDS_BY_STATUS.get(booking.status, ())


def _when(value: dt.datetime) -> str:
    return f"{value.astimezone(dt.UTC):%d %b %Y %H:%M} UTC"


DISPUTE = StateMachine(
    allowed=Dispute.TRANSITIONS,
    events=DisputeEvent,
    refuse=lambda dispute, current, target: InvalidTransition(
        what="Dispute", pk=dispute.pk, current=current, target=target
    ),
)


def _transition_locked(*, dispute: Dispute, to_status: str, actor, note: str = "", fields: dict | None = None):
    DISPUTE.move(dispute, to_status, actor=actor, note=note, fields=fields)
    return dispute


def dispute_open(*, booking: Booking, client, kind: str, description: str, now: dt.datetime | None = None) -> Dispute:
    """The booking's client raises a dispute between the start time and the end of the dispute window."""
    now = now_or(now)
    description = (description or "").strip()
    if not description:
        raise ConsultationError("Tell us what happened.")
    try:
        with transaction.atomic():
            locked = booking_lock(booking_id=booking.pk)
            if not is_client_of(locked, client):
                raise ConsultationError("Only the client of this consultation can raise a dispute.")
            if now < locked.start_at:
                raise ConsultationError("You can report a problem once the consultation has started.")
            deadline = policy.dispute_deadline(booking=locked)
            if now > deadline:
                raise ConsultationError(f"The window to report a problem closed at {_when(deadline)}.")
            if kind not in dispute_kinds_for(booking=locked):
                raise ConsultationError("That kind of problem can't be reported for this consultation.")
            if Dispute.objects.filter(booking_id=locked.pk, status__in=Dispute.OPEN_STATUSES).exists():
                raise ConsultationError("A dispute about this consultation is already open.")
            # Hold the earning (if any) while the dispute is open: release and payout check for it.
            earning_id = (
                Earning.objects.filter(booking_id=locked.pk, kind=Earning.Kind.CONSULTATION)
                .values_list("pk", flat=True)
                .first()
            )
            if earning_id is not None:
                earning_lock(earning_id=earning_id)
            if kind == K.EXPERT_NO_SHOW and locked.status == BS.CONFIRMED:
                try:
                    locked = booking_transition(
                        booking=locked,
                        to_status=BS.NO_SHOW_EXPERT,
                        actor=client,
                        note="Client reports the expert absent.",
                    )
                except BookingError as exc:
                    raise ConsultationError(exc.message) from exc
            consultation_ensure(booking=locked)
            dispute = Dispute.objects.create(
                booking=locked, opened_by=client, kind=kind, description=description, created_at=now
            )
            DisputeEvent.record(
                dispute, to_status=DS.OPEN, actor=client, note=f"{Dispute.Kind(kind).label}: {description}"
            )
            extra = {"dispute_id": dispute.pk}
            email_on_commit(
                booking_id=locked.pk, template="dispute_opened", recipients=["expert", "staff"], extra=extra
            )
            email_on_commit(booking_id=locked.pk, template="dispute_received", recipients=["client"], extra=extra)
    except IntegrityError as exc:  # a concurrent second dispute hit the one-open-per-booking constraint
        raise ConsultationError("A dispute about this consultation is already open.") from exc
    return dispute


def dispute_respond(*, dispute: Dispute, actor, response: str, now: dt.datetime | None = None) -> Dispute:
    """The expert answers an open dispute (once); staff decide next."""
    now = now_or(now)
    response = (response or "").strip()
    if not response:
        raise ConsultationError("Write your response.")
    with transaction.atomic():
        locked = DISPUTE.lock(Dispute.objects.select_related("booking__expert"), pk=dispute.pk)
        if not is_expert_of(locked.booking, actor):
            raise ConsultationError("Only the expert of this consultation can respond.")
        if locked.status != DS.OPEN:
            raise ConsultationError("This dispute has already been answered.")
        _transition_locked(
            dispute=locked,
            to_status=DS.RESPONDED,
            actor=actor,
            note=response,
            fields={"response": response, "responded_at": now},
        )
        extra = {"dispute_id": locked.pk}
        email_on_commit(
            booking_id=locked.booking_id, template="dispute_responded", recipients=["client", "staff"], extra=extra
        )
    return locked


OUTCOMES = (DS.REFUNDED_FULL, DS.REFUNDED_PARTIAL, DS.REJECTED)


def dispute_resolve(
    *,
    dispute: Dispute,
    actor,
    outcome: str,
    amount_pence: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Dispute:
    """Staff decide: refund in full, refund part (amount_pence), or reject. The refund goes through
    payments.refund_create with the key dispute-<id>-refund, so a retried decision never refunds twice."""
    require_staff(actor)
    now = now_or(now)
    if outcome not in OUTCOMES:
        raise ConsultationError("Choose full refund, partial refund or reject.")
    with transaction.atomic():
        locked = DISPUTE.lock(Dispute, pk=dispute.pk)
        if not DISPUTE.can_move(locked.status, outcome):
            raise ConsultationError(
                f"This dispute is {locked.get_status_display().lower()}: it can't be resolved again."
            )
        booking = Booking.objects.get(pk=locked.booking_id)
    refund = None
    if outcome in (DS.REFUNDED_FULL, DS.REFUNDED_PARTIAL):
        if not booking.payment_id:
            raise ConsultationError("This booking has no payment to refund.")
        payment = Payment.objects.get(pk=booking.payment_id)
        if outcome == DS.REFUNDED_PARTIAL:
            if not amount_pence or amount_pence <= 0:
                raise ConsultationError("Enter the amount to refund.")
            if amount_pence >= payment.refundable_pence:
                raise ConsultationError(
                    f"A partial refund must be less than the {payment.refundable_pence}p left; choose full refund."
                )
        try:
            refund = refund_create(
                payment=payment,
                amount_pence=amount_pence if outcome == DS.REFUNDED_PARTIAL else None,
                reason=f"Dispute {locked.pk} on booking {booking.reference}",
                requested_by=actor,
                idempotency_key=f"dispute-{locked.pk}-refund",
            )
        except (GatewayError, RefundNotAllowed) as exc:
            raise ConsultationError(f"The refund failed: {exc}") from exc
    with transaction.atomic():
        booking = booking_lock(booking_id=booking.pk)
        locked = DISPUTE.lock(Dispute, pk=dispute.pk)
        if locked.status not in Dispute.OPEN_STATUSES:
            return locked  # resolved meanwhile (the refund key made the retry a no-op)
        fields = {"resolution_note": note, "resolved_by": actor, "resolved_at": now}
        if refund is not None:
            fields.update(refund=refund, refund_pence=refund.amount_pence)
        _transition_locked(dispute=locked, to_status=outcome, actor=actor, note=note, fields=fields)
        _after_resolution(dispute=locked, booking=booking, outcome=outcome, refund=refund, actor=actor, now=now)
        extra = {"dispute_id": locked.pk, "refund_pence": refund.amount_pence if refund else 0}
        email_on_commit(
            booking_id=booking.pk, template="dispute_resolved", recipients=["client", "expert"], extra=extra
        )
    return locked


def _after_resolution(*, dispute: Dispute, booking: Booking, outcome: str, refund, actor, now) -> None:
    """The booking and earning after the decision (inside the resolution transaction)."""
    if dispute.kind == K.EXPERT_NO_SHOW and outcome != DS.REFUNDED_FULL and booking.status == BS.NO_SHOW_EXPERT:
        # Staff found the expert did attend (or owed part of the fee): the session counts as held.
        booking = booking_transition(
            booking=booking, to_status=BS.COMPLETED, actor=actor, note=f"Dispute {dispute.pk}: session held."
        )
        earning = earning_create_for_booking(booking=booking, now=now, actor=actor)
        if refund is not None:  # the refund came before the earning existed: hold the expert's share back now
            locked = earning_lock(earning_id=earning.pk)
            earning_hold_for_refund_locked(
                earning=locked,
                refund_pence=refund.amount_pence,
                full=False,
                actor=actor,
                now=now,
                note=f"Partial refund of dispute {dispute.pk} ({refund.amount_pence}p).",
            )
    earning_id = (
        Earning.objects.filter(booking_id=booking.pk, kind=Earning.Kind.CONSULTATION)
        .values_list("pk", flat=True)
        .first()
    )
    if earning_id is not None:
        earning_release_locked(earning=earning_lock(earning_id=earning_id), now=now, actor=actor)
