"""Free time: the busy-interval hook bookings plugs into, the viewer's zone, the slot engine's inputs,
free slots and each expert's next slot.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.db.models import Min, Prefetch
from django.utils import timezone as dj_timezone

from core.timezones import is_valid_timezone, zone_named

from ..availability import (
    BookingRules,
    DateOverride,
    Interval,
    ScheduleInvalid,
    WeeklySchedule,
    free_slots,
    next_free_slot,
    override_from_json,
    schedule_from_json,
)
from ..models import DAY_KEYS, AvailabilityOverride, ExpertProfile, SessionType

DEFAULT_VIEWER_TZ = "Europe/London"

# --- busy intervals: the hook bookings plugs into -------------------------------------------

BusyProvider = Callable[..., dict[int, list[Interval]]]
_busy_providers: list[BusyProvider] = []


def register_busy_provider(provider: BusyProvider) -> None:
    """Register fn(*, expert_ids, start, end) -> {expert_id: [Interval, ...]}.

    The bookings app registers one from its AppConfig.ready (held and confirmed bookings,
    including their buffers if it wants them treated as busy); this module never imports it.
    A provider must run a constant number of queries for any number of experts.
    """
    if provider not in _busy_providers:
        _busy_providers.append(provider)


def unregister_busy_provider(provider: BusyProvider) -> None:
    if provider in _busy_providers:
        _busy_providers.remove(provider)


def expert_busy_intervals(
    *, expert_ids: Iterable[int], start: dt.datetime, end: dt.datetime
) -> dict[int, list[Interval]]:
    """Times each expert is already taken between start and end (UTC Intervals).

    Until the bookings issue registers a provider this is {}: every slot is free.
    """
    expert_ids = list(expert_ids)
    merged: dict[int, list[Interval]] = defaultdict(list)
    for provider in _busy_providers:
        for expert_id, intervals in provider(expert_ids=expert_ids, start=start, end=end).items():
            merged[expert_id].extend(intervals)
    return dict(merged)


def calendar_import_busy(*, expert: ExpertProfile) -> list[Interval]:
    """Busy times from the expert's own calendar as of the last sync (read from the row: no query)."""
    found = []
    for pair in expert.calendar_import_busy or ():
        try:
            found.append(Interval(dt.datetime.fromisoformat(pair[0]), dt.datetime.fromisoformat(pair[1])))
        except (TypeError, ValueError, IndexError):
            continue  # written by services.expert_calendar_import_sync only; guards hand edits
    return found


# --- viewer timezone ---------------------------------------------------------------------------


VIEWER_TZ_COOKIE = "tz"  # set by site.js from Intl.DateTimeFormat, or by the zone switcher


def viewer_timezone(*, user=None, requested: str | None = None, cookie: str | None = None) -> zoneinfo.ZoneInfo:
    """The signed-in user's zone, else a requested zone (?tz=), else the browser's (the tz cookie),
    else Europe/London. Requested and cookie zones count only when they are on the zone list."""
    own = user.timezone if user is not None and user.is_authenticated else None
    for name in (requested, cookie):
        if name and is_valid_timezone(name):
            return zone_named(own) or zoneinfo.ZoneInfo(name)
    return zone_named(own) or zoneinfo.ZoneInfo(DEFAULT_VIEWER_TZ)


# --- engine inputs -------------------------------------------------------------------------------


def expert_schedule(*, expert: ExpertProfile) -> WeeklySchedule:
    """The stored weekly schedule as the engine's object (an empty week if it is unusable)."""
    try:
        return schedule_from_json(expert.weekly_schedule or {}, timezone=expert.timezone)
    except ScheduleInvalid:
        # Stored data is validated on save; this only guards against hand-edited rows.
        return schedule_from_json({day: [] for day in DAY_KEYS}, timezone=expert.timezone)


def override_to_engine(row: AvailabilityOverride) -> DateOverride:
    return override_from_json(day=row.day, kind=row.kind, intervals=row.intervals or [])


def expert_rules(*, expert: ExpertProfile) -> BookingRules:
    return BookingRules(
        buffer=dt.timedelta(minutes=expert.buffer_minutes),
        min_notice=dt.timedelta(hours=expert.min_notice_hours),
        horizon=dt.timedelta(days=expert.horizon_days),
    )


def _overrides_from(expert: ExpertProfile, rows: Iterable[AvailabilityOverride] | None) -> list[DateOverride]:
    if rows is None:
        rows = expert.overrides.all()
    return [override_to_engine(r) for r in rows]


def upcoming_overrides_prefetch(*, now: dt.datetime | None = None) -> Prefetch:
    """Only overrides that can still matter (from yesterday on, any zone), to keep the prefetch small."""
    today = (now or dj_timezone.now()).date()
    return Prefetch(
        "overrides",
        queryset=AvailabilityOverride.objects.filter(day__gte=today - dt.timedelta(days=1)).order_by("day"),
    )


def expert_free_slots(
    *,
    expert: ExpertProfile,
    duration: dt.timedelta,
    now: dt.datetime,
    days: int | None = None,
    until: dt.datetime | None = None,
    overrides: Iterable[AvailabilityOverride] | None = None,
    busy: Sequence[Interval] | None = None,
) -> list[Interval]:
    """Free start times for one expert up to their horizon (or sooner: within `days` of now, before `until`).

    `busy` (bookings) is always joined by the busy times of the expert's own calendar."""
    rules = expert_rules(expert=expert)
    if days is not None:
        rules = dataclasses.replace(rules, horizon=min(rules.horizon, dt.timedelta(days=days)))
    if until is not None:
        rules = dataclasses.replace(rules, horizon=max(dt.timedelta(0), min(rules.horizon, until - now)))
    if busy is None:
        busy = expert_busy_intervals(expert_ids=[expert.pk], start=now, end=now + rules.horizon).get(expert.pk, [])
    return free_slots(
        schedule=expert_schedule(expert=expert),
        overrides=_overrides_from(expert, overrides),
        busy=[*busy, *calendar_import_busy(expert=expert)],
        duration=duration,
        rules=rules,
        now=now,
    )


def experts_next_slot(
    *, experts: Sequence[ExpertProfile], now: dt.datetime, durations: dict[int, int] | None = None
) -> dict[int, dt.datetime | None]:
    """The first free start of each expert's shortest active session (None when nothing is free).

    Reads `expert.overrides.all()` (prefetch it with upcoming_overrides_prefetch) and
    `durations` {expert_id: minutes}; one busy-hook call for all of them.
    """
    if not experts:
        return {}
    if durations is None:
        durations = dict(
            SessionType.objects.filter(expert__in=experts, is_active=True)
            .values("expert_id")
            .annotate(m=Min("duration_minutes"))
            .values_list("expert_id", "m")
        )
    longest = max((e.horizon_days for e in experts), default=1)
    busy = expert_busy_intervals(expert_ids=[e.pk for e in experts], start=now, end=now + dt.timedelta(days=longest))
    result: dict[int, dt.datetime | None] = {}
    for expert in experts:
        minutes = durations.get(expert.pk)
        if not minutes:
            result[expert.pk] = None
            continue
        slot = next_free_slot(
            schedule=expert_schedule(expert=expert),
            overrides=_overrides_from(expert, None),
            busy=[*busy.get(expert.pk, []), *calendar_import_busy(expert=expert)],
            duration=dt.timedelta(minutes=minutes),
            rules=expert_rules(expert=expert),
            now=now,
        )
        result[expert.pk] = slot.start if slot else None
    return result
