"""Availability: the weekly schedule, date overrides, and each expert's next free slot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone as dj_timezone

from core import fragments

from .. import selectors
from ..availability import ScheduleInvalid, override_from_json, schedule_from_json
from ..models import (
    DAY_KEYS,
    AvailabilityOverride,
    ExpertProfile,
)

# --- availability ------------------------------------------------------------------------------


def expert_availability_update(
    *,
    expert: ExpertProfile,
    weekly_schedule: dict,
    timezone: str,
    buffer_minutes: int,
    min_notice_hours: int,
    horizon_days: int,
) -> ExpertProfile:
    """Save the weekly hours and booking rules. Raises ScheduleInvalid (with .errors) on bad hours."""
    schedule_from_json(weekly_schedule, timezone=timezone)  # the engine is the one judge of validity
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
        locked.weekly_schedule = {day: weekly_schedule.get(day, []) for day in DAY_KEYS}
        locked.timezone = timezone
        locked.buffer_minutes = buffer_minutes
        locked.min_notice_hours = min_notice_hours
        locked.horizon_days = horizon_days
        locked.availability_updated_at = dj_timezone.now()
        locked.save(
            update_fields=[
                "weekly_schedule",
                "timezone",
                "buffer_minutes",
                "min_notice_hours",
                "horizon_days",
                "availability_updated_at",
                "updated_at",
            ]
        )
        fragments.bump(fragments.expert_scope(locked.pk))  # the profile's slots
    expert_next_slot_refresh(expert_ids=[locked.pk])
    return locked


def availability_override_create(
    *, expert: ExpertProfile, day: dt.date, kind: str, intervals: list[list[str]] | None = None, note: str = ""
) -> AvailabilityOverride:
    """Add (or replace) the override for one date. Extra hours need at least one interval."""
    intervals = intervals or []
    if kind == AvailabilityOverride.Kind.EXTRA:
        if not intervals:
            raise ScheduleInvalid(["Add at least one time range for extra hours."])
    else:
        intervals = []
    override_from_json(day=day, kind=kind, intervals=intervals)  # the engine judges validity
    with transaction.atomic():
        row, _ = AvailabilityOverride.objects.update_or_create(
            expert=expert, day=day, defaults={"kind": kind, "intervals": intervals, "note": note.strip()}
        )
        fragments.bump(fragments.expert_scope(expert.pk))
    expert_next_slot_refresh(expert_ids=[expert.pk])
    return row


def availability_override_delete(*, override: AvailabilityOverride) -> None:
    expert_id = override.expert_id
    with transaction.atomic():
        override.delete()
        fragments.bump(fragments.expert_scope(expert_id))
    expert_next_slot_refresh(expert_ids=[expert_id])


def expert_next_slot_refresh(*, expert_ids: Iterable[int] | None = None, now: dt.datetime | None = None) -> int:
    """Recompute the next_slot_at cache used to sort the directory; returns how many changed.

    Called after every availability, override or session-type change, by the periodic task
    tasks.expert_next_slots_refresh (all listed experts), and by bookings once a slot is taken.
    """
    now = now or dj_timezone.now()
    qs = selectors.listed_experts() if expert_ids is None else ExpertProfile.objects.filter(pk__in=list(expert_ids))
    experts = list(qs.prefetch_related(selectors.upcoming_overrides_prefetch(now=now)))
    next_slots = selectors.experts_next_slot(experts=experts, now=now)
    changed = [e for e in experts if e.next_slot_at != next_slots.get(e.pk)]
    for e in changed:
        e.next_slot_at = next_slots.get(e.pk)
    if changed:
        ExpertProfile.objects.bulk_update(changed, ["next_slot_at"], batch_size=500)
        fragments.bump(fragments.DIRECTORY)  # the cards show next_slot_at (and sort by it)
    return len(changed)
