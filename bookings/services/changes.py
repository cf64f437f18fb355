"""Changing a booking after it is made: cancel (with the refund policy), reschedule, reassign, staff refund."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import fragments
from payments.gateways import GatewayError
from payments.models import Payment
from payments.services import refund_create
from payments.states import PaymentError, RefundNotAllowed

from .. import policy
from ..models import Booking, ReminderSent
from .core import (
    booking_lock,
    booking_note,
    booking_transition_locked,
    email_on_commit,
    experts_lock,
    is_overlap_error,
    late_cancel_notify,
    refresh_next_slot_on_commit,
    slot_fits,
    slot_is_offered,
    slot_unavailable,
    stale_holds_expire,
)
from .errors import BookingError, SlotUnavailable
from .fulfilment import refund_announce_on_commit

logger = logging.getLogger("bookings")
S = Booking.Status


def cancel_role(*, booking: Booking, actor) -> str:
    """ "client", "expert" or "staff" — who `actor` is for this booking (BookingError for anyone else)."""
    if actor is None:
        raise BookingError("Only the client, the expert or staff can cancel a booking.")
    if actor.pk == booking.client_id:
        return policy.CLIENT
    if actor.pk == booking.expert.user_id:
        return policy.EXPERT
    if actor.is_staff:
        return policy.STAFF
    raise BookingError("Only the client, the expert or staff can cancel a booking.")


def _refund(*, booking: Booking, amount_pence: int | None, reason: str, actor, key: str) -> bool:
    """Refund through payments (idempotent by key); failures are recorded on the booking, not raised."""
    payment = Payment.objects.get(pk=booking.payment_id)
    try:
        refund_create(
            payment=payment, amount_pence=amount_pence, reason=reason, requested_by=actor, idempotency_key=key
        )
        return True
    except (GatewayError, PaymentError) as exc:
        logger.warning("booking %s: refund %s failed: %s", booking.pk, key, exc)
        booking_note(booking=booking, actor=actor, note=f"Refund failed ({exc}); staff can retry from the admin.")
        return False


def booking_cancel(*, booking: Booking, actor, reason: str, now: dt.datetime | None = None) -> Booking:
    """Cancel as the client, the expert or staff, applying the policy (expert and staff: 100 %).

    The refund goes through payments.refund_create with the key booking-<id>-cancel, so calling
    this again for a cancelled booking retries a failed gateway call but never refunds twice.
    Both sides are emailed (with a CANCEL .ics) when the booking had been confirmed.
    """
    now = now or timezone.now()
    role = cancel_role(booking=booking, actor=actor)
    with transaction.atomic():
        locked = booking_lock(booking_id=booking.pk)
        already = locked.status in Booking.CANCELLED_STATUSES
        if not already:
            outcome = policy.cancellation_outcome(booking=locked, by=role, now=now)
            if not outcome.allowed:
                raise BookingError(outcome.message)
            was = locked.status
            to_status = S.CANCELLED_BY_CLIENT if role == policy.CLIENT else S.CANCELLED_BY_EXPERT
            note = f"{(reason or '').strip()}\n{outcome.message}".strip()
            booking_transition_locked(
                booking=locked,
                to_status=to_status,
                actor=actor,
                note=note,
                now=now,
                fields={
                    "cancel_reason": (reason or "").strip(),
                    "cancelled_by": actor,
                    "cancel_refund_pence": outcome.refund_pence,
                },
            )
            if was == S.CONFIRMED and role == policy.CLIENT and outcome.expert_share_pence:
                late_cancel_notify(booking=locked, share_pence=outcome.expert_share_pence, actor=actor, now=now)
            if was == S.CONFIRMED:
                extra = {
                    "refund_pence": outcome.refund_pence,
                    "role": role,
                    "forfeit_pence": outcome.forfeit_pence,
                    "expert_share_pence": outcome.expert_share_pence,
                }
                email_on_commit(
                    booking=locked, template="booking_cancelled", recipients=["client", "expert"], extra=extra
                )
            elif locked.payment_id:
                from .holds import checkout_sessions_expire_on_commit

                checkout_sessions_expire_on_commit(payment_ids=[locked.payment_id])
    if locked.cancel_refund_pence and locked.payment_id:
        _refund(
            booking=locked,
            amount_pence=locked.cancel_refund_pence,
            reason=f"Booking {locked.reference} cancelled ({role})" if not already else "Booking cancelled",
            actor=actor,
            key=f"booking-{locked.pk}-cancel",
        )
    locked.refresh_from_db()
    return locked


def booking_reschedule(*, booking: Booking, client, new_start: dt.datetime, now: dt.datetime | None = None) -> Booking:
    """Move a confirmed booking to another free slot of the same expert (policy: window and count).

    Sends both sides the updated invitation (same UID, SEQUENCE + 1); the reminders start over.
    """
    now = (now or timezone.now()).astimezone(dt.UTC)
    new_start = new_start.astimezone(dt.UTC)
    if booking.client_id != client.pk:
        raise BookingError("This booking is not yours.")
    refused = ""
    try:
        with transaction.atomic():
            expert = experts_lock(expert_ids=[booking.expert_id])[booking.expert_id]
            stale_holds_expire(expert_ids=[expert.pk], now=now)
            locked = booking_lock(booking_id=booking.pk)
            outcome = policy.reschedule_outcome(booking=locked, now=now)
            if not outcome.allowed:
                raise BookingError(outcome.message)
            if new_start == locked.start_at:
                raise BookingError("That is the time already booked. Please pick a different one.")
            duration = locked.end_at - locked.start_at
            if not slot_is_offered(expert=expert, start=new_start, duration=duration, now=now, exclude_ids=[locked.pk]):
                refused = "Sorry, that time is not available. Please pick another slot."
            else:
                old_start = locked.start_at
                with transaction.atomic():
                    locked.start_at, locked.end_at = new_start, new_start + duration
                    locked.reschedule_count += 1
                    locked.calendar_sequence += 1
                    locked.save(
                        update_fields=["start_at", "end_at", "reschedule_count", "calendar_sequence", "updated_at"]
                    )
                fragments.bump(*fragments.booking_scopes(locked))
                ReminderSent.objects.filter(booking=locked).delete()
                booking_note(
                    booking=locked,
                    actor=client,
                    note=f"Rescheduled from {old_start:%Y-%m-%d %H:%M} to {new_start:%Y-%m-%d %H:%M} UTC.",
                )
                email_on_commit(
                    booking=locked,
                    template="booking_rescheduled",
                    recipients=["client", "expert"],
                    extra={"old_start": old_start.isoformat()},
                )
                refresh_next_slot_on_commit(expert_ids=[expert.pk])
    except IntegrityError as exc:
        if not is_overlap_error(exc):
            raise
        refused = "Sorry, someone has just booked that time. Please pick another slot."
    if refused:
        raise slot_unavailable(session_type=booking.session_type, start=new_start, now=now, message=refused)
    return locked


def booking_reassign(*, booking: Booking, new_expert, actor, reason: str, now: dt.datetime | None = None) -> Booking:
    """Staff: give a confirmed booking to another expert who offers a session of the same length and
    is free then (within their hours, clear of their bookings and buffer). Price paid is unchanged;
    the commission becomes the new expert's."""
    now = now or timezone.now()
    if actor is None or not actor.is_staff:
        raise BookingError("Only staff can reassign a booking.")
    if new_expert.pk == booking.expert_id:
        raise BookingError("The booking is already with that expert.")
    if not new_expert.is_approved:
        raise BookingError("The new expert is not approved.")
    duration_minutes = int((booking.end_at - booking.start_at).total_seconds() // 60)
    session_type = new_expert.session_types.filter(is_active=True, duration_minutes=duration_minutes).first()
    if session_type is None:
        raise BookingError(f"{new_expert} offers no active {duration_minutes}-minute session.")
    old_expert_id, old_session_type_id = booking.expert_id, booking.session_type_id
    try:
        with transaction.atomic():
            experts = experts_lock(expert_ids=[old_expert_id, new_expert.pk])
            stale_holds_expire(expert_ids=[new_expert.pk], now=now)
            locked = booking_lock(booking_id=booking.pk)
            if locked.status != S.CONFIRMED:
                raise BookingError("Only a confirmed booking can be reassigned.")
            duration = locked.end_at - locked.start_at
            if not slot_fits(
                expert=experts[new_expert.pk],
                start=locked.start_at,
                duration=duration,
                now=now,
                exclude_ids=[locked.pk],
            ):
                raise SlotUnavailable(f"{new_expert} is not free at that time (hours, other bookings or buffer).")
            with transaction.atomic():
                locked.expert = experts[new_expert.pk]
                locked.session_type = session_type
                locked.commission_bps = new_expert.commission_bps
                locked.calendar_sequence += 1
                locked.save(
                    update_fields=["expert", "session_type", "commission_bps", "calendar_sequence", "updated_at"]
                )
            # The client's pages, the new expert's profile, and the previous expert's freed time.
            fragments.bump(*fragments.booking_scopes(locked), *fragments.expert_pages(old_expert_id))
            ReminderSent.objects.filter(booking=locked, recipient=ReminderSent.Recipient.EXPERT).delete()
            booking_note(
                booking=locked,
                actor=actor,
                note=f"Reassigned from {experts[old_expert_id]} to {new_expert}. {(reason or '').strip()}".strip(),
            )
            email_on_commit(booking=locked, template="booking_reassigned", recipients=["client"])
            email_on_commit(booking=locked, template="booking_confirmed", recipients=["expert"])
            email_on_commit(
                booking=locked,
                template="booking_reassigned_away",
                recipients=["old_expert"],
                extra={"old_expert_id": old_expert_id, "old_session_type_id": old_session_type_id},
            )
            refresh_next_slot_on_commit(expert_ids=[old_expert_id, new_expert.pk])
    except IntegrityError as exc:
        if not is_overlap_error(exc):
            raise
        raise SlotUnavailable(f"{new_expert} has another booking at that time.") from exc
    return locked


def booking_refund(*, booking: Booking, actor, reason: str) -> Booking:
    """Staff: refund whatever remains of the booking's payment. A confirmed/completed/no-show booking
    becomes REFUNDED (through the payments fulfilment hook); a cancelled one keeps its status."""
    if actor is None or not actor.is_staff:
        raise BookingError("Only staff can refund a booking.")
    if not booking.payment_id:
        raise BookingError("This booking has no payment to refund.")
    payment = Payment.objects.get(pk=booking.payment_id)
    if payment.refundable_pence <= 0:
        raise BookingError("Nothing is left to refund on this booking.")
    try:
        refund = refund_create(
            payment=payment,
            reason=(reason or "Refunded by staff")[:200],
            requested_by=actor,
            idempotency_key=f"booking-{booking.pk}-staff-refund",
        )
    except (GatewayError, RefundNotAllowed) as exc:
        raise BookingError(f"The refund failed: {exc}") from exc
    with transaction.atomic():
        locked = booking_lock(booking_id=booking.pk)
        booking_note(booking=locked, actor=actor, note=f"Staff refund of {refund.amount_pence}p: {reason}".strip())
        refund_announce_on_commit(booking=locked, was=booking.status, refund_pence=refund.amount_pence)
    return locked
