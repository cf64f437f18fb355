"""From a chosen slot to a payment: hold the slot, take the intake, start checkout, expire holds."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from ai_tools.documents import DocumentRejected
from ai_tools.models import AIRun
from ai_tools.rules import ROUTES
from ai_tools.services import document_create
from core import fragments, ratelimit
from core.conf import setting
from expert_marketplace.models import SessionType
from expert_marketplace.selectors import commission_bps_for
from payments.gateways import GatewayError, get_gateway
from payments.models import Payment
from payments.services import checkout_fulfil, checkout_start, payment_create

from ..models import Booking, BookingDocument, BookingEvent
from .core import (
    booking_lock,
    booking_note,
    booking_transition_locked,
    experts_lock,
    is_overlap_error,
    refresh_next_slot_on_commit,
    slot_is_offered,
    slot_unavailable,
    stale_holds_expire,
)
from .errors import BookingError, SlotUnavailable, TooManyHoldAttempts

logger = logging.getLogger("bookings")
S = Booking.Status
PURPOSE = "booking"
QUESTIONS_MAX_CHARS = 4000


TAKEN = "Sorry, someone has just booked that time. Please pick another slot."
# Hold attempts per client per window (the rate limit fails open while Redis is down: the one-hold
# rule above is in the database and still holds).
HOLD_ATTEMPTS_LIMIT = 10
HOLD_ATTEMPTS_SECONDS = 15 * 60


def _hold_minutes() -> dt.timedelta:
    return dt.timedelta(minutes=setting("BOOKING_HOLD_MINUTES"))


def _aware_utc(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return value.astimezone(dt.UTC)


def booking_hold(*, client, session_type: SessionType, start: dt.datetime, now: dt.datetime | None = None) -> Booking:
    """Hold `start` for the client (PENDING_PAYMENT until now + BOOKING_HOLD_MINUTES).

    Refuses a past slot, one outside the expert's availability (hours, notice, horizon, grid) or
    one that clashes with another booking (buffer included) with SlotUnavailable + alternatives.
    The expert row is locked while checking and writing; on PostgreSQL the exclusion constraint
    is the last word. A client has at most one live hold: a new one releases the previous ones
    (under a lock on the client's row), and more than HOLD_ATTEMPTS_LIMIT attempts in
    HOLD_ATTEMPTS_SECONDS raise TooManyHoldAttempts.
    """
    now = _aware_utc(now or timezone.now(), "now")
    start = _aware_utc(start, "start")
    expert = session_type.expert
    if not session_type.is_active or not expert.is_listed:
        raise BookingError("This session is not available for booking any more.")
    if expert.user_id == client.pk:
        raise BookingError("You can't book a session with yourself.")
    if not ratelimit.hit(
        scope="booking-hold", key=str(client.pk), limit=HOLD_ATTEMPTS_LIMIT, period_seconds=HOLD_ATTEMPTS_SECONDS
    ):
        raise TooManyHoldAttempts("You have tried many times in a short while. Please wait a few minutes.")
    duration = dt.timedelta(minutes=session_type.duration_minutes)
    refused = ""
    booking = None
    try:
        with transaction.atomic():
            # One hold at a time per client: their concurrent requests queue here, and each new
            # hold releases the ones before it (below), so nobody can hold an expert's whole day.
            get_user_model().objects.select_for_update().filter(pk=client.pk).values_list("pk").first()
            locked = experts_lock(expert_ids=[expert.pk])[expert.pk]
            stale_holds_expire(expert_ids=[expert.pk], now=now)
            if start <= now:
                refused = "That time is in the past. Please pick one of the times offered."
            elif not slot_is_offered(expert=locked, start=start, duration=duration, now=now):
                refused = "Sorry, that time is not available (any more). Please pick another slot."
            else:
                with transaction.atomic():  # savepoint: the constraint error leaves the outer block usable
                    booking = Booking.objects.create(
                        client=client,
                        expert=locked,
                        session_type=session_type,
                        status=S.PENDING_PAYMENT,
                        start_at=start,
                        end_at=start + duration,
                        hold_expires_at=now + _hold_minutes(),
                        price_pence=session_type.price_pence,
                        currency=session_type.currency,
                        commission_bps=commission_bps_for(expert=locked),
                    )
                fragments.bump(*fragments.booking_scopes(booking))
                BookingEvent.record(
                    booking,
                    to_status=S.PENDING_PAYMENT,
                    actor=client,
                    note=f"Slot held until {booking.hold_expires_at:%Y-%m-%d %H:%M} UTC.",
                )
                refresh_next_slot_on_commit(expert_ids=[expert.pk])
                for previous in Booking.objects.filter(client=client, status=S.PENDING_PAYMENT).exclude(pk=booking.pk):
                    booking_hold_release(booking=previous, client=client, now=now)
    except IntegrityError as exc:
        if not is_overlap_error(exc):
            raise
        refused = TAKEN
    except OperationalError as exc:
        # SQLite (embedded default) serialises writers: a request that could not get the write
        # lock in time lost the race for this slot, as surely as one that hit the constraint.
        if "database is locked" not in str(exc):
            raise
        refused = TAKEN
    if refused:
        raise slot_unavailable(session_type=session_type, start=start, now=now, message=refused)
    return booking


def _own_pending(booking: Booking, client) -> None:
    if booking.client_id != client.pk:
        raise BookingError("This booking is not yours.")


def booking_intake_update(
    *,
    booking: Booking,
    client,
    questions: str,
    target_route: str,
    target_category: str,
    agree_policy: bool,
    shared_run_ids=(),
    upload=None,
    now: dt.datetime | None = None,
) -> Booking:
    """Store the client's questions, goals and what they share with the expert.

    Runs must be the client's own finished CV analyses; an upload goes through the same
    validation as any CV upload (ai_tools.services.document_create) and is linked as shared.
    """
    now = now or timezone.now()
    _own_pending(booking, client)
    if booking.status == S.PENDING_PAYMENT:
        if not booking.hold_is_live(now):
            raise BookingError("Your hold on this slot has expired. Please choose a time again.")
    elif booking.status != S.CONFIRMED or booking.start_at <= now:
        raise BookingError("This booking can't be changed any more.")
    questions = (questions or "").strip()
    if len(questions) > QUESTIONS_MAX_CHARS:
        raise BookingError(f"Please keep your questions under {QUESTIONS_MAX_CHARS} characters.")
    if target_route and target_route not in ROUTES:
        raise BookingError("Please choose one of the listed routes.")
    if target_category and target_category not in Booking.TargetCategory.values:
        raise BookingError("Please choose Exceptional Talent, Exceptional Promise or Not sure.")
    if not agree_policy and booking.policy_agreed_at is None:
        raise BookingError("Please agree to the cancellation and reschedule policy to continue.")
    run_ids = {int(pk) for pk in shared_run_ids or ()}
    runs = list(
        AIRun.objects.filter(
            pk__in=run_ids, user=client, tool=AIRun.Tool.CV_ANALYSIS, status=AIRun.Status.SUCCEEDED
        ).only("pk")
    )
    if len(runs) != len(run_ids):
        raise BookingError("You can only share your own finished CV analyses.")
    document = None
    if upload is not None:
        try:
            document = document_create(owner=client, upload=upload)
        except DocumentRejected as exc:
            raise BookingError(exc.message) from exc
    with transaction.atomic():
        locked = booking_lock(booking_id=booking.pk)
        locked.questions = questions
        locked.target_route = target_route or ""
        locked.target_category = target_category or ""
        if locked.policy_agreed_at is None:
            locked.policy_agreed_at = now
        locked.save(update_fields=["questions", "target_route", "target_category", "policy_agreed_at", "updated_at"])
        locked.shared_analyses.set(runs)
        if document is not None:
            BookingDocument.objects.get_or_create(booking=locked, document=document)
    return locked


def _description(booking: Booking) -> str:
    return f"{booking.session_type.name} with {booking.expert.display_name} ({booking.reference})"


def booking_checkout_start(
    *, booking: Booking, client, success_url: str, cancel_url: str, now: dt.datetime | None = None
) -> str:
    """Create (or reuse) the booking's Payment and checkout session; returns the URL to send the client to.

    The first checkout extends a live hold to a full BOOKING_HOLD_MINUTES from now, so a client
    who spent the hold filling in the intake still has time to pay.
    """
    now = now or timezone.now()
    _own_pending(booking, client)
    with transaction.atomic():
        locked = booking_lock(booking_id=booking.pk)
        if locked.status != S.PENDING_PAYMENT or not locked.hold_is_live(now):
            raise BookingError("Your hold on this slot has expired. Please choose a time again.")
        if locked.policy_agreed_at is None:
            raise BookingError("Please agree to the cancellation and reschedule policy first.")
        payment = None
        if locked.payment_id:
            payment = Payment.objects.get(pk=locked.payment_id)
            if payment.status not in (Payment.Status.CREATED, Payment.Status.PENDING):
                payment = None  # failed or abandoned: start a fresh one
        if payment is None:
            payment = payment_create(
                user=client,
                purpose=PURPOSE,
                amount_pence=locked.price_pence,
                description=_description(locked),
                metadata={"booking_id": locked.pk, "reference": locked.reference},
            )
            locked.payment = payment
            locked.hold_expires_at = max(locked.hold_expires_at, now + _hold_minutes())
            locked.save(update_fields=["payment", "hold_expires_at", "updated_at"])
            fragments.bump(fragments.user_scope(locked.client_id))  # the payment decides if an expired hold is listed
            booking_note(booking=locked, actor=client, note=f"Checkout started (payment {payment.pk}).")
    if payment.checkout_session_id and payment.status == Payment.Status.PENDING:
        return get_gateway(payment.gateway).checkout_retrieve(session_id=payment.checkout_session_id).url
    session = checkout_start(
        payment=payment, success_url=success_url, cancel_url=cancel_url, transfer_group=f"booking-{locked.pk}"
    )
    booking.refresh_from_db()
    return session.url


TAKEN_MESSAGE = "Sorry, that time has just been taken. Here are the nearest free times."


def booking_hold_first_free(
    *, client, session_types: Sequence[SessionType], start: dt.datetime, now: dt.datetime | None = None
) -> Booking:
    """The wizard's expert choice: hold `start` with the first of `session_types` (one per candidate
    expert, in the order offered) whose expert still has it free — "any available expert" tries each.

    Raises the last SlotUnavailable (with its alternatives) when every candidate refuses, or one
    saying the time was just taken when there is no candidate; any other BookingError at once.
    """
    refused = None
    for session_type in session_types:
        try:
            return booking_hold(client=client, session_type=session_type, start=start, now=now)
        except SlotUnavailable as exc:
            refused = exc
    raise refused or SlotUnavailable(TAKEN_MESSAGE)


def booking_hold_release(*, booking: Booking, client, now: dt.datetime | None = None) -> bool:
    """The client gives up their held slot to pick another time: the slot is free for everyone at
    once instead of when the hold runs out. An open checkout session is expired (a payment that
    still arrives takes the late-payment path: refunded in full). Returns False when there was no
    live hold to release (already paid, expired or released)."""
    now = now or timezone.now()
    _own_pending(booking, client)
    with transaction.atomic():
        experts_lock(expert_ids=[booking.expert_id])
        locked = booking_lock(booking_id=booking.pk)
        if locked.status != S.PENDING_PAYMENT:
            return False
        booking_transition_locked(
            booking=locked,
            to_status=S.EXPIRED,
            actor=client,
            note="Released by the client to pick another time.",
            now=now,
        )
        if locked.payment_id:
            checkout_sessions_expire_on_commit(payment_ids=[locked.payment_id])
        refresh_next_slot_on_commit(expert_ids=[locked.expert_id])
    booking.refresh_from_db()
    return True


# --- expiring holds ------------------------------------------------------------------------------------


def checkout_sessions_expire(*, payment_ids) -> None:
    """Expire the open checkout sessions of released holds, then settle each payment from the
    session's state (normally: cancelled; if the client paid in the meantime, the late-payment path)."""
    payments = Payment.objects.filter(
        pk__in=list(payment_ids), status__in=[Payment.Status.CREATED, Payment.Status.PENDING]
    ).exclude(checkout_session_id=None)
    for payment in payments:
        try:
            get_gateway(payment.gateway).checkout_expire(session_id=payment.checkout_session_id)
        except GatewayError as exc:
            # Already paid or expired on the gateway: settling below applies whichever it is.
            logger.info("could not expire checkout session %s: %s", payment.checkout_session_id, exc)
        try:
            checkout_fulfil(session_id=payment.checkout_session_id, source="bookings hold expired")
        except Exception:
            logger.exception("could not settle payment %s after its hold expired", payment.pk)


def checkout_sessions_expire_on_commit(*, payment_ids) -> None:
    ids = list(payment_ids)
    transaction.on_commit(lambda: checkout_sessions_expire(payment_ids=ids))


def holds_expire(*, now: dt.datetime | None = None) -> int:
    """Periodic: PENDING_PAYMENT bookings past their hold become EXPIRED (slot released) and their
    checkout sessions are expired on the gateway. Returns how many holds were released."""
    now = now or timezone.now()
    expert_ids = list(
        Booking.objects.filter(status=S.PENDING_PAYMENT, hold_expires_at__lte=now)
        .values_list("expert_id", flat=True)
        .distinct()
    )
    released = 0
    for expert_id in expert_ids:
        with transaction.atomic():
            experts_lock(expert_ids=[expert_id])
            released += len(stale_holds_expire(expert_ids=[expert_id], now=now))
    return released
