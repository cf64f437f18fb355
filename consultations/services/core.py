"""The session itself: the lazy Consultation row, completion (by the expert or automatically),
no-show reports, and the expert's notes."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from bookings.models import Booking
from bookings.services import BookingError, booking_transition

from .. import policy
from ..models import Consultation
from .common import booking_lock, email_on_commit, is_client_of, is_expert_of, now_or
from .earnings import earning_create_for_booking
from .errors import ConsultationError

logger = logging.getLogger("consultations")
BS = Booking.Status


def consultation_ensure(*, booking: Booking) -> Consultation:
    """The booking's Consultation, created on first use with the booking's meeting link."""
    with transaction.atomic():
        consultation, _ = Consultation.objects.get_or_create(
            booking_id=booking.pk, defaults={"meeting_url": booking.meeting_url}
        )
    return consultation


def _when(value: dt.datetime) -> str:
    return f"{value.astimezone(dt.UTC):%d %b %Y %H:%M} UTC"


def _move(*, booking: Booking, to_status: str, actor, note: str) -> Booking:
    try:
        return booking_transition(booking=booking, to_status=to_status, actor=actor, note=note)
    except BookingError as exc:
        raise ConsultationError(exc.message) from exc


def consultation_complete(
    *, booking: Booking, actor=None, now: dt.datetime | None = None, auto: bool = False
) -> Consultation:
    """The expert (or staff, or the periodic task with auto=True) marks the session complete:
    only once it has started. Writes the earning (pending until the dispute window closes)."""
    now = now_or(now)
    with transaction.atomic():
        locked = booking_lock(booking_id=booking.pk)
        if not auto and not (is_expert_of(locked, actor) or (actor is not None and actor.is_staff)):
            raise ConsultationError("Only the expert can mark this consultation complete.")
        if locked.status != BS.CONFIRMED:
            raise ConsultationError(f"This consultation is {locked.get_status_display().lower()}, not upcoming.")
        if now < locked.start_at:
            raise ConsultationError(
                f"You can mark it complete once it has started ({_when(locked.start_at)}), not before."
            )
        note = (
            f"Completed automatically {policy.auto_complete_after()} after the end (nobody acted)."
            if auto
            else "Marked complete."
        )
        locked = _move(booking=locked, to_status=BS.COMPLETED, actor=actor, note=note)
        consultation = consultation_ensure(booking=locked)
        consultation.completed_at = now
        consultation.completed_by = None if auto else actor
        consultation.auto_completed = auto
        consultation.save(update_fields=["completed_at", "completed_by", "auto_completed", "updated_at"])
        earning_create_for_booking(booking=locked, now=now, actor=None if auto else actor)
        email_on_commit(booking_id=locked.pk, template="consultation_completed", recipients=["client"])
    return consultation


def consultation_report_no_show(
    *, booking: Booking, actor, note: str = "", now: dt.datetime | None = None
) -> Consultation:
    """Either side reports the other as absent, once the start time has passed.

    The expert's report makes the booking NO_SHOW_CLIENT: the expert is still paid (pending, so
    the client can contest it within the dispute window). The client's report makes it
    NO_SHOW_EXPERT and opens a dispute, so staff decide on the refund and no payout is due meanwhile.
    """
    now = now_or(now)
    if is_client_of(booking, actor):
        from ..models import Dispute
        from .disputes import dispute_open

        dispute_open(
            booking=booking,
            client=actor,
            kind=Dispute.Kind.EXPERT_NO_SHOW,
            description=note or "The expert did not attend.",
            now=now,
        )
        return consultation_ensure(booking=booking)
    with transaction.atomic():
        locked = booking_lock(booking_id=booking.pk)
        if not is_expert_of(locked, actor):
            raise ConsultationError("Only the expert or the client of this consultation can report a no-show.")
        if locked.status != BS.CONFIRMED:
            raise ConsultationError(f"This consultation is {locked.get_status_display().lower()} already.")
        if now < locked.start_at:
            raise ConsultationError(
                f"You can report a no-show once the session has started ({_when(locked.start_at)})."
            )
        locked = _move(
            booking=locked, to_status=BS.NO_SHOW_CLIENT, actor=actor, note=f"Expert reports the client absent. {note}"
        )
        consultation = consultation_ensure(booking=locked)
        consultation.no_show_reported_at = now
        consultation.no_show_reported_by = actor
        consultation.save(update_fields=["no_show_reported_at", "no_show_reported_by", "updated_at"])
        earning_create_for_booking(booking=locked, now=now, actor=actor)
        email_on_commit(
            booking_id=locked.pk,
            template="no_show_reported",
            recipients=["client"],
            extra={"deadline_at": policy.dispute_deadline(booking=locked).isoformat(), "note": note},
        )
    return consultation


def consultation_notes_update(
    *, booking: Booking, actor, expert_notes: str, shared_notes: str, now: dt.datetime | None = None
) -> Consultation:
    """The expert's private notes and the follow-up notes shared with the client."""
    with transaction.atomic():
        locked = booking_lock(booking_id=booking.pk)
        if not is_expert_of(locked, actor):
            raise ConsultationError("Only the expert can edit these notes.")
        if locked.status in (BS.PENDING_PAYMENT, BS.EXPIRED):
            raise ConsultationError("This booking is not confirmed.")
        consultation = Consultation.objects.select_for_update().get(pk=consultation_ensure(booking=locked).pk)
        shared_changed = shared_notes.strip() != consultation.shared_notes.strip()
        consultation.expert_notes = expert_notes
        consultation.shared_notes = shared_notes
        consultation.save(update_fields=["expert_notes", "shared_notes", "updated_at"])
        if shared_changed and shared_notes.strip():
            email_on_commit(booking_id=locked.pk, template="notes_shared", recipients=["client"])
    return consultation


def consultations_auto_complete(*, now: dt.datetime | None = None) -> int:
    """Periodic: complete confirmed sessions nobody acted on AUTO_COMPLETE_HOURS after their end."""
    now = now_or(now)
    ids = list(
        Booking.objects.filter(status=BS.CONFIRMED, end_at__lte=now - policy.auto_complete_after())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for booking_id in ids:
        try:
            consultation_complete(booking=Booking(pk=booking_id), now=now, auto=True)
            done += 1
        except ConsultationError as exc:  # acted on meanwhile
            logger.info("auto-complete skipped booking %s: %s", booking_id, exc.message)
    return done
