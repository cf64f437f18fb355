"""The building blocks every booking service uses: the one transition function, locks, slot checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import fragments
from core.transitions import StateMachine
from expert_marketplace.availability import free_slots
from expert_marketplace.models import ExpertProfile
from expert_marketplace.selectors import (
    expert_free_slots,
    expert_rules,
    expert_schedule,
    upcoming_overrides_prefetch,
)

from ..models import NO_OVERLAP_CONSTRAINT, Booking, BookingEvent
from ..selectors import booking_alternatives, booking_busy_intervals
from .errors import InvalidTransition, SlotUnavailable

logger = logging.getLogger("bookings")
S = Booking.Status

# Statuses whose move out of ACTIVE frees the expert's time (the directory cache must follow).
_TIMESTAMP_FIELDS = {S.CONFIRMED: "confirmed_at"}


# --- the one place a status changes -----------------------------------------------------------------


BOOKING = StateMachine(
    allowed=Booking.TRANSITIONS,
    events=BookingEvent,
    refuse=lambda booking, current, target: InvalidTransition(booking_id=booking.pk, current=current, target=target),
    scopes=fragments.booking_scopes,
)


def booking_lock(*, booking_id: int) -> Booking:
    """The booking row, locked until the surrounding transaction ends (call inside atomic)."""
    return BOOKING.lock(Booking.objects.select_related("session_type", "expert"), pk=booking_id)


def booking_transition_locked(
    *, booking: Booking, to_status: str, actor=None, note: str = "", fields: dict | None = None, now=None
) -> Booking:
    """Move a booking already locked by the caller: check the map, save, record the event."""
    BOOKING.check(booking, to_status)
    now = now or timezone.now()
    fields = dict(fields or {})
    if to_status in _TIMESTAMP_FIELDS:
        fields.setdefault(_TIMESTAMP_FIELDS[to_status], now)
    if to_status in Booking.CANCELLED_STATUSES:
        fields.setdefault("cancelled_at", now)
    # The event's time is the real time of the write (audit), whatever `now` the decision used.
    from_status = BOOKING.move(booking, to_status, actor=actor, note=note, fields=fields)
    if (from_status in Booking.ACTIVE_STATUSES) != (to_status in Booking.ACTIVE_STATUSES):
        refresh_next_slot_on_commit(expert_ids=[booking.expert_id])
    return booking


def booking_transition(*, booking: Booking, to_status: str, actor=None, note: str = "") -> Booking:
    """Lock, check the transitions map, save with update_fields, write a BookingEvent. Returns the fresh row."""
    with transaction.atomic():
        locked = booking_lock(booking_id=booking.pk)
        return booking_transition_locked(booking=locked, to_status=to_status, actor=actor, note=note)


def booking_note(*, booking: Booking, actor=None, note: str) -> BookingEvent:
    """An event that is not a status move (staff action, refund, reminder trouble)."""
    return BookingEvent.record(booking, from_status=booking.status, to_status=booking.status, actor=actor, note=note)


# --- observers (apps above bookings hand us their hooks in AppConfig.ready) ---------------------------

_late_cancel_observers: list = []


def observe_late_cancel(observer) -> None:
    """`observer(booking=, share_pence=, actor=, now=)` runs inside the cancel's transaction when a
    client's late cancellation forfeits part of the fee and the expert gets a share of it."""
    if observer not in _late_cancel_observers:
        _late_cancel_observers.append(observer)


def late_cancel_notify(*, booking: Booking, share_pence: int, actor, now: dt.datetime) -> None:
    for observer in _late_cancel_observers:
        observer(booking=booking, share_pence=share_pence, actor=actor, now=now)


# --- side effects after commit ---------------------------------------------------------------------------


def refresh_next_slot_on_commit(*, expert_ids: Iterable[int]) -> None:
    from expert_marketplace.services import expert_next_slot_refresh

    ids = list(expert_ids)

    def refresh():
        try:
            expert_next_slot_refresh(expert_ids=ids)
        except Exception:  # a stale directory sort must never break a booking
            logger.exception("next_slot refresh failed for experts %s", ids)

    transaction.on_commit(refresh)


def email_on_commit(*, booking: Booking, template: str, recipients: Iterable[str], extra: dict | None = None) -> None:
    """Queue booking emails (Celery, by id) once the transaction that justified them commits."""
    from ..tasks import booking_email_task

    args = {"booking_id": booking.pk, "template": template, "recipients": list(recipients), "extra": extra or {}}
    transaction.on_commit(lambda: booking_email_task.delay(**args))


# --- locks and slot checks --------------------------------------------------------------------------


def experts_lock(*, expert_ids: Iterable[int]) -> dict[int, ExpertProfile]:
    """Lock expert rows in id order (no deadlocks between two services locking two experts).

    Every service that takes time from an expert holds this lock while it checks and writes,
    so the buffer rule (not expressible in the exclusion constraint) can't be raced past. On
    SQLite the lock is a no-op, but SQLite serialises writers anyway.
    """
    ids = sorted(set(expert_ids))
    experts = (
        ExpertProfile.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .prefetch_related(upcoming_overrides_prefetch())
        .order_by("pk")
    )
    return {e.pk: e for e in experts}


def stale_holds_expire(*, expert_ids: Iterable[int], now: dt.datetime) -> list[Booking]:
    """Expire this expert's pending holds that ran out (under the expert lock) so they free the slot.

    An expired hold is still PENDING_PAYMENT until the periodic sweep runs, and as such still
    inside the database's exclusion constraint; sweeping here keeps it from blocking a free slot.
    Their checkout sessions are expired on the gateway after commit. Returns the expired bookings.
    """
    stale = list(
        Booking.objects.select_for_update(of=("self",))
        .filter(expert_id__in=list(expert_ids), status=S.PENDING_PAYMENT, hold_expires_at__lte=now)
        .order_by("pk")
    )
    payment_ids = []
    for booking in stale:
        booking_transition_locked(booking=booking, to_status=S.EXPIRED, note="Hold ran out before payment.", now=now)
        if booking.payment_id:
            payment_ids.append(booking.payment_id)
    if payment_ids:
        from .holds import checkout_sessions_expire_on_commit

        checkout_sessions_expire_on_commit(payment_ids=payment_ids)
    return stale


def slot_is_offered(
    *, expert: ExpertProfile, start: dt.datetime, duration: dt.timedelta, now: dt.datetime, exclude_ids=()
) -> bool:
    """True if `start` is one of the expert's free slots right now (hours, grid, notice, horizon, buffer)."""
    rules = expert_rules(expert=expert)
    busy = booking_busy_intervals(
        expert_ids=[expert.pk], start=now, end=now + rules.horizon, now=now, exclude_booking_ids=exclude_ids
    ).get(expert.pk, [])
    slots = expert_free_slots(
        expert=expert, duration=duration, now=now, days=None, overrides=expert.overrides.all(), busy=busy
    )
    return any(slot.start == start for slot in slots)


def slot_fits(
    *, expert: ExpertProfile, start: dt.datetime, duration: dt.timedelta, now: dt.datetime, exclude_ids=()
) -> bool:
    """Looser check for staff moves and late payments: within the expert's hours, clear of other
    bookings (with buffer), in the future — whatever the booking grid, notice and horizon."""
    if start <= now:
        return False
    end = start + duration
    busy = booking_busy_intervals(
        expert_ids=[expert.pk], start=start, end=end, now=now, exclude_booking_ids=exclude_ids
    ).get(expert.pk, [])
    rules = dataclasses.replace(
        expert_rules(expert=expert), min_notice=dt.timedelta(0), horizon=dt.timedelta(0), step=dt.timedelta(minutes=1)
    )
    found = free_slots(
        schedule=expert_schedule(expert=expert),
        overrides=[_override(o) for o in expert.overrides.all()],
        busy=busy,
        duration=duration,
        rules=rules,
        now=start,
    )
    return any(slot.start == start for slot in found)


def _override(row):
    from expert_marketplace.selectors import override_to_engine

    return override_to_engine(row)


def is_overlap_error(exc: IntegrityError) -> bool:
    return NO_OVERLAP_CONSTRAINT in str(exc)


def slot_unavailable(*, session_type, start: dt.datetime, now: dt.datetime, message: str = "") -> SlotUnavailable:
    """The error with alternatives (computed outside the failed transaction)."""
    try:
        alternatives = booking_alternatives(session_type=session_type, around=start, now=now)
    except Exception:  # alternatives are a courtesy; never hide the real refusal behind them
        logger.exception("could not compute alternatives for session type %s", session_type.pk)
        alternatives = []
    return SlotUnavailable(message, alternatives=alternatives)
