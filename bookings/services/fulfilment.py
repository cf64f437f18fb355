"""What a booking payment does once payments settles it (registered in BookingsConfig.ready).

The hooks run inside the payments settlement transaction, under the Payment row lock, so a
failure here rolls the payment move back and the webhook is retried. Network calls (the
automatic refund of a late payment) happen after commit, in a Celery task.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import fragments, idempotency
from payments import fulfilment
from payments.models import Payment, Refund
from payments.services import refund_create

from ..models import Booking
from .core import (
    booking_lock,
    booking_note,
    booking_transition_locked,
    email_on_commit,
    experts_lock,
    is_overlap_error,
    slot_fits,
    stale_holds_expire,
)

logger = logging.getLogger("bookings")
S = Booking.Status
PURPOSE = "booking"
# Refunding the whole payment makes these bookings REFUNDED (cancelled ones keep their status).
_REFUNDABLE_INTO_REFUNDED = (S.CONFIRMED, S.COMPLETED, S.NO_SHOW_CLIENT, S.NO_SHOW_EXPERT)


def new_meeting_url() -> str:
    """A unique, unguessable video room for one booking."""
    base = settings.MEETING_BASE_URL
    if not base.endswith("/"):
        base += "/"
    return f"{base}TalentVisa-{secrets.token_urlsafe(12).replace('_', 'x').replace('-', 'y')}"


def _confirm(*, booking: Booking, payment: Payment, note: str, now) -> Booking:
    booking_transition_locked(
        booking=booking,
        to_status=S.CONFIRMED,
        note=note,
        now=now,
        fields={"payment": payment, "meeting_url": booking.meeting_url or new_meeting_url()},
    )
    email_on_commit(booking=booking, template="booking_confirmed", recipients=["client", "expert"])
    return booking


def _retake_slot(*, booking: Booking, payment: Payment, now) -> bool:
    """A payment for an expired hold: confirm if the slot is still free (savepoint; False if not)."""
    try:
        with transaction.atomic():
            expert = experts_lock(expert_ids=[booking.expert_id])[booking.expert_id]
            stale_holds_expire(expert_ids=[expert.pk], now=now)
            if not slot_fits(
                expert=expert,
                start=booking.start_at,
                duration=booking.end_at - booking.start_at,
                now=now,
                exclude_ids=[booking.pk],
            ):
                return False
            _confirm(
                booking=booking, payment=payment, now=now, note="Paid after the hold expired; the slot was still free."
            )
            return True
    except IntegrityError as exc:
        if not is_overlap_error(exc):
            raise
        return False


def booking_payment_succeeded(*, payment: Payment) -> None:
    now = timezone.now()
    booking = booking_lock(booking_id=int(payment.metadata["booking_id"]))
    if booking.status == S.PENDING_PAYMENT:
        # Still pending means nobody could take the slot (booking_hold sweeps stale holds first,
        # and the exclusion constraint covers pending rows), even if the hold ran out a moment ago.
        _confirm(booking=booking, payment=payment, now=now, note=f"Paid (payment {payment.pk}).")
        return
    if booking.status == S.CONFIRMED and booking.payment_id == payment.pk:
        return  # replayed settlement
    if booking.status == S.EXPIRED and _retake_slot(booking=booking, payment=payment, now=now):
        return
    # Expired and taken, cancelled while paying, or a second payment for a confirmed booking.
    duplicate = booking.status == S.CONFIRMED
    if not duplicate and booking.payment_id != payment.pk:
        booking.payment = payment
        booking.save(update_fields=["payment", "updated_at"])
        fragments.bump(fragments.user_scope(booking.client_id))  # a paid expired booking is listed
    booking_note(
        booking=booking,
        note=(
            f"Payment {payment.pk} duplicates the one already taken: refunded in full."
            if duplicate
            else f"Payment {payment.pk} arrived after the booking was {booking.get_status_display().lower()} and the "
            "slot could not be kept: refunded in full automatically."
        ),
    )
    from ..tasks import booking_late_refund_task

    args = {"booking_id": booking.pk, "payment_id": payment.pk}
    transaction.on_commit(lambda: booking_late_refund_task.delay(**args))


def booking_late_refund(*, booking_id: int, payment_id: int) -> Refund | None:
    """Refund in full a payment the booking could not use; email the client once it has gone through."""
    booking = Booking.objects.select_related("client").get(pk=booking_id)
    payment = Payment.objects.get(pk=payment_id)
    key = f"booking-{booking_id}-late"
    if Refund.objects.filter(idempotency_key=key).exclude(payment_id=payment_id).exists():
        key = f"booking-{booking_id}-late-{payment_id}"
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is None and payment.refundable_pence <= 0:
        return None
    refund = refund_create(
        payment=payment,
        reason=f"Booking {booking.reference}: the slot was no longer available",
        idempotency_key=key,
    )
    # Concurrent deliveries of this task all find no refund beforehand and all get the same one
    # back: the email is queued by whichever claims the key first (core.idempotency).
    if refund.status == Refund.Status.SUCCEEDED:
        with transaction.atomic():
            if not idempotency.claim(f"{key}:email"):
                return refund
            email_on_commit(
                booking=booking,
                template="booking_late_refund",
                recipients=["client"],
                extra={"refund_pence": refund.amount_pence},
            )
    return refund


def booking_payment_refunded(*, payment: Payment, refund: Refund) -> dict | None:
    booking_id = payment.metadata.get("booking_id")
    if not booking_id:
        return None
    booking = booking_lock(booking_id=int(booking_id))
    was = booking.status
    full = payment.amount_refunded_pence >= payment.amount_pence
    if full and booking.payment_id == payment.pk and booking.status in _REFUNDABLE_INTO_REFUNDED:
        booking_transition_locked(
            booking=booking,
            to_status=S.REFUNDED,
            actor=refund.requested_by,
            note=f"Payment refunded in full (refund {refund.pk}: {refund.reason}).",
        )
    # Refunds made outside the booking and dispute services (the payments admin, the Stripe
    # dashboard) are announced here; those services send their own emails.
    if not refund.idempotency_key.startswith(ANNOUNCED_BY_THEIR_SERVICE):
        refund_announce_on_commit(booking=booking, was=was, refund_pence=refund.amount_pence)
    return {"booking_id": booking.pk, "booking_status": booking.status}


# Idempotency-key prefixes of refunds whose service emails both sides itself.
ANNOUNCED_BY_THEIR_SERVICE = ("booking-", "dispute-")


def refund_announce_on_commit(*, booking: Booking, was: str, refund_pence: int) -> None:
    """Email the client the refund and, when it ended a confirmed booking, the expert too (with the
    calendar cancellation)."""
    recipients = ["client"]
    if was == S.CONFIRMED and booking.status == S.REFUNDED:
        recipients.append("expert")
    email_on_commit(
        booking=booking, template="booking_refunded", recipients=recipients, extra={"refund_pence": refund_pence}
    )


class BookingFulfilment(fulfilment.FulfilmentHandler):
    def on_succeeded(self, *, payment: Payment) -> None:
        booking_payment_succeeded(payment=payment)

    def on_refunded(self, *, payment: Payment, refund: Refund) -> dict | None:
        return booking_payment_refunded(payment=payment, refund=refund)

    def on_failed(self, *, payment: Payment) -> None:
        # The hold stays until it runs out: the client may try paying again meanwhile.
        return None

    def return_link(self, *, payment: Payment) -> tuple[str, str] | None:
        """Back to the booking: its page offers to pay again while the slot is held, or another time."""
        booking_id = (payment.metadata or {}).get("booking_id")
        if not booking_id:
            return None
        return "Back to your booking", reverse("bookings:detail", args=[int(booking_id)])


def register() -> None:
    fulfilment.register(PURPOSE, BookingFulfilment())
