"""The one way a status field changes, for every state machine (bookings, disputes, earnings,
reviews, referrals, AI runs, expert profiles, payments).

Each app declares its machine once, next to its service:

    BOOKING = StateMachine(allowed=Booking.TRANSITIONS, events=BookingEvent,
                           refuse=lambda booking, current, target: InvalidTransition(...))

and its services, inside transaction.atomic(), do

    booking = BOOKING.lock(Booking.objects.select_related("expert"), pk=booking_id)
    BOOKING.move(booking, S.CONFIRMED, actor=user, note="paid", fields={"confirmed_at": now},
                 after_commit=[send_confirmation])

which checks the map (the app's own domain error on a bad move), saves with update_fields (the
status, the given fields, and `updated_at` when the model has one), writes one event row (who,
when, from, to, why) through the app's StatusEvent model, bumps the machine's cached-fragment
`scopes(row)`, and queues side effects for after the commit, so nothing is announced for a change
that rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from django.db import models, transaction

from core import fragments


@dataclass(frozen=True)
class StateMachine:
    allowed: Mapping[str, Collection[str]]
    """status -> the statuses it may move to (the model's TRANSITIONS map)."""
    refuse: Callable[[models.Model, str, str], Exception]
    """(row, current, target) -> the domain error raised for a move the map does not allow."""
    events: type[models.Model] | None = None
    """A StatusEvent subclass: one row per move (None: the machine keeps no event rows)."""
    scopes: Callable[[models.Model], Iterable[str]] | None = None
    """row -> the cached-fragment scopes (core.fragments) a move of this row makes stale."""

    def can_move(self, current: str, target: str) -> bool:
        return target in self.allowed.get(current, ())

    def lock(self, queryset, *, pk):
        """The row, locked (only the row itself, not joined rows) until the transaction ends."""
        if isinstance(queryset, type):
            queryset = queryset._default_manager.all()
        return queryset.select_for_update(of=("self",)).get(pk=pk)

    def check(self, row: models.Model, target: str) -> None:
        if not self.can_move(row.status, target):
            raise self.refuse(row, row.status, target)

    def move(
        self,
        row: models.Model,
        target: str,
        *,
        actor=None,
        note: str = "",
        fields: Mapping | None = None,
        event: Mapping | None = None,
        after_commit: Iterable[Callable[[], object]] = (),
    ) -> str:
        """Move a row the caller has locked (inside transaction.atomic); returns the old status.

        `fields` are saved with the status; `event` adds columns to the event row (e.g. `action`).
        """
        self.check(row, target)
        current = row.status
        fields = dict(fields or {})
        for name, value in fields.items():
            setattr(row, name, value)
        row.status = target
        update = ["status", *fields]
        if _has_field(row, "updated_at") and "updated_at" not in update:
            update.append("updated_at")
        row.save(update_fields=update)
        if self.events is not None:
            self.events.record(row, from_status=current, to_status=target, actor=actor, note=note, **dict(event or {}))
        if self.scopes is not None:
            fragments.bump(*self.scopes(row))
        for callback in after_commit:
            transaction.on_commit(callback)
        return current


def _has_field(row: models.Model, name: str) -> bool:
    try:
        row._meta.get_field(name)
    except Exception:
        return False
    return True
