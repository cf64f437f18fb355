"""Free slots: which starts an expert can be booked at, given their hours and existing bookings.

A slot [start, start + duration) is offered when
* its start is on the grid start + k·step of the local interval's clock times (two intervals
  that overlap or touch — weekly hours plus an "extra" override — are one interval with one grid),
* every instant of it lies inside that one local interval on its local date (see local_time for
  what that means across DST changes: no starts in a spring-forward gap, both passes of a
  fall-back hour),
* it doesn't overlap any busy interval widened by rules.buffer on both sides (touching is fine),
* now + min_notice <= start <= now + horizon.

Cost: busy intervals are widened, sorted and merged once (n log n); each candidate start is then
checked with one bisect, and a clash jumps the grid straight past the blocking interval, so the
work is about (days + slots) · log(bookings), not slots × bookings.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta

from .local_time import OffsetPiece, wall_interval_pieces
from .types import (
    END_OF_DAY,
    OVERRIDE_OFF,
    BookingRules,
    DateOverride,
    Interval,
    LocalInterval,
    WeeklySchedule,
    load_zone,
)

_ONE_DAY = timedelta(days=1)
_RESOLUTION = timedelta(microseconds=1)


def _ceil_div(amount: timedelta, step: timedelta) -> int:
    return -(-amount // step)


def join_intervals(intervals: Sequence[LocalInterval]) -> tuple[LocalInterval, ...]:
    """Sorted union of local intervals; overlapping or touching ones become one."""
    joined: list[LocalInterval] = []
    for start, end in sorted(intervals):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return tuple(joined)


class _LocalHours:
    """The expert's hours per local date: weekly hours plus "extra" overrides, nothing on an "off" date."""

    def __init__(self, schedule: WeeklySchedule, overrides: Sequence[DateOverride]):
        self.off_days = {o.day for o in overrides if o.kind == OVERRIDE_OFF}
        self.extra_by_day: dict[date, list[LocalInterval]] = {}
        for override in overrides:
            if override.kind != OVERRIDE_OFF:
                self.extra_by_day.setdefault(override.day, []).extend(override.intervals)
        self.weekly = {weekday: join_intervals(schedule.days.get(weekday, ())) for weekday in range(7)}

    def on(self, day: date) -> tuple[LocalInterval, ...]:
        if day in self.off_days:
            return ()
        extra = self.extra_by_day.get(day)
        weekly = self.weekly[day.weekday()]
        return join_intervals([*weekly, *extra]) if extra else weekly


def available_local_intervals(
    schedule: WeeklySchedule, overrides: Sequence[DateOverride], day: date
) -> tuple[LocalInterval, ...]:
    """The joined local intervals the engine uses for one date (e.g. to show an expert their hours)."""
    return _LocalHours(schedule, overrides).on(day)


class _SlotSearch:
    """Everything the per-date search needs, prepared once per call."""

    def __init__(
        self,
        *,
        schedule: WeeklySchedule,
        overrides: Sequence[DateOverride],
        busy: Sequence[Interval],
        duration: timedelta,
        rules: BookingRules,
        now: datetime,
    ):
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be an aware datetime.")
        if duration <= timedelta(0):
            raise ValueError("duration must be positive.")
        self.zone = schedule.zone
        self.duration = duration
        self.step = rules.step
        self.earliest = (now + rules.min_notice).astimezone(UTC)
        self.latest = (now + rules.horizon).astimezone(UTC)
        self.hours = _LocalHours(schedule, overrides)

        self.block_starts, self.block_ends = _blocked(busy, rules.buffer)

    def dates(self) -> list[date]:
        # One extra date each side, as cheap insurance: a zone whose clock went back across
        # midnight would give some instants the previous local date. No current zone does that.
        first = self.earliest.astimezone(self.zone).date() - _ONE_DAY
        last = self.latest.astimezone(self.zone).date() + _ONE_DAY
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def slots_on(self, day: date) -> list[Interval]:
        """Slots whose local date is `day`, sorted by start."""
        if self.latest < self.earliest:
            return []
        found: list[Interval] = []
        for start, end in self.hours.on(day):
            wall_start = datetime.combine(day, start)
            wall_end = datetime.combine(day + _ONE_DAY, time(0)) if end == END_OF_DAY else datetime.combine(day, end)
            for stretch in wall_interval_pieces(wall_start, wall_end, self.zone):
                for piece in stretch:
                    found.extend(self._grid_slots(piece, wall_start, stretch[-1].end))
        # Pieces of different intervals can interleave in real time on a fall-back date.
        found.sort(key=lambda slot: slot.start)
        return found

    def _grid_slots(self, piece: OffsetPiece, grid_origin: datetime, stretch_end: datetime) -> Iterator[Interval]:
        """Free slots starting inside `piece` on the clock grid grid_origin + k·step, ending by `stretch_end`."""
        step, duration = self.step, self.duration
        # First grid clock time at or after the piece's start, then back to real time.
        piece_wall_start = piece.start.replace(tzinfo=None) + piece.offset
        first = piece.start + (grid_origin + _ceil_div(piece_wall_start - grid_origin, step) * step - piece_wall_start)
        index = max(0, _ceil_div(self.earliest - first, step))
        starts, ends = self.block_starts, self.block_ends
        last_start = min(self.latest, piece.end - _RESOLUTION)
        while True:
            start = first + index * step
            if start > last_start:
                return
            end = start + duration
            if end > stretch_end:
                return
            clash = bisect_right(ends, start)  # first blocked interval ending after `start`
            if clash < len(starts) and starts[clash] < end:
                index = max(index + 1, _ceil_div(ends[clash] - first, step))
                continue
            yield Interval(start, end)
            index += 1


def _blocked(busy: Sequence[Interval], buffer: timedelta) -> tuple[list[datetime], list[datetime]]:
    """Busy intervals widened by `buffer`, merged into disjoint sorted runs (parallel start/end lists)."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    for interval in sorted(busy, key=lambda b: b.start):
        if interval.start.tzinfo is None or interval.end.tzinfo is None:
            raise ValueError("busy intervals must use aware datetimes.")
        start = (interval.start - buffer).astimezone(UTC)
        end = (interval.end + buffer).astimezone(UTC)
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def free_slots(
    *,
    schedule: WeeklySchedule,
    overrides: Sequence[DateOverride],
    busy: Sequence[Interval],
    duration: timedelta,
    rules: BookingRules,
    now: datetime,
) -> list[Interval]:
    """All free slots of `duration` in UTC, sorted by start, without duplicates."""
    search = _SlotSearch(schedule=schedule, overrides=overrides, busy=busy, duration=duration, rules=rules, now=now)
    slots = [slot for day in search.dates() for slot in search.slots_on(day)]
    slots.sort(key=lambda slot: slot.start)  # already in order except around a midnight fall-back
    return slots


def next_free_slot(
    *,
    schedule: WeeklySchedule,
    overrides: Sequence[DateOverride],
    busy: Sequence[Interval],
    duration: timedelta,
    rules: BookingRules,
    now: datetime,
) -> Interval | None:
    """free_slots(...)[0] (or None), searching date by date and stopping at the first date with a slot."""
    search = _SlotSearch(schedule=schedule, overrides=overrides, busy=busy, duration=duration, rules=rules, now=now)
    dates = search.dates()
    for position, day in enumerate(dates):
        found = search.slots_on(day)
        if found:
            # Same insurance as in dates(): only a clock going back past midnight could put an
            # earlier instant on the next local date.
            following = search.slots_on(dates[position + 1]) if position + 1 < len(dates) else []
            return min([found[0], *following[:1]], key=lambda slot: slot.start)
    return None


def slots_by_local_day(slots: Sequence[Interval], *, timezone: str) -> dict[date, list[datetime]]:
    """Slot starts in the viewer's zone, grouped by the viewer's local date; dates and starts in order.

    To match a returned start against a UTC value, compare `.astimezone(UTC)` or timestamps:
    Python's == between aware datetimes of different zones is False inside a repeated
    fall-back hour (PEP 495), even for the same instant.
    """
    zone = load_zone(timezone)
    by_day: dict[date, list[datetime]] = {}
    for slot in sorted(slots, key=lambda slot: slot.start):
        local = slot.start.astimezone(zone)
        by_day.setdefault(local.date(), []).append(local)
    return {day: by_day[day] for day in sorted(by_day)}
