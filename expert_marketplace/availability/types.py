"""The value types the slot engine takes and returns.

They validate themselves on construction, so a bad value fails where it is built (with a
message naming the problem) instead of producing silently wrong slots later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# "24:00" in the JSON format. Python's `time` stops at 23:59:59.999999, so that value stands
# for "until midnight" as an interval end; the engine reads it as 00:00 of the next date.
END_OF_DAY = time.max

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

OVERRIDE_OFF = "off"
OVERRIDE_EXTRA = "extra"

LocalInterval = tuple[time, time]


class ScheduleInvalid(ValueError):
    """A schedule or override the engine can't use; `.errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(" ".join(self.errors))


def format_time(value: time) -> str:
    """'HH:MM', with END_OF_DAY as '24:00'. Seconds, if any, are dropped (the product uses minutes)."""
    return "24:00" if value == END_OF_DAY else f"{value.hour:02d}:{value.minute:02d}"


def format_interval(interval: LocalInterval) -> str:
    return f"{format_time(interval[0])}–{format_time(interval[1])}"


def load_zone(name: str) -> ZoneInfo:
    """ZoneInfo for an IANA name, or ScheduleInvalid (ZoneInfo's own errors are not user-facing)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ScheduleInvalid([f'"{name}" is not a known time zone.']) from None


def local_interval_errors(intervals: object, label: str, *, allow_overlaps: bool = False) -> list[str]:
    """Problems with already-typed local intervals (naive times, start < end, no overlaps)."""
    errors: list[str] = []
    if not isinstance(intervals, tuple | list):
        return [f"{label}: intervals must be a tuple of (start, end) times."]
    valid = []
    for interval in intervals:
        if not (
            isinstance(interval, tuple | list)
            and len(interval) == 2
            and all(isinstance(t, time) and t.tzinfo is None for t in interval)
        ):
            errors.append(f"{label}: {interval!r} is not a pair of naive times.")
        elif interval[0] == END_OF_DAY:
            errors.append(f"{label}: an interval can't start at 24:00.")
        elif interval[0] >= interval[1]:
            errors.append(f"{label}: {format_interval(interval)} ends before it starts.")
        else:
            valid.append(tuple(interval))
    valid.sort()
    if allow_overlaps:
        return errors
    for before, after in zip(valid, valid[1:], strict=False):
        if after[0] < before[1]:
            errors.append(f"{label}: {format_interval(before)} overlaps {format_interval(after)}.")
    return errors


@dataclass(frozen=True)
class WeeklySchedule:
    """An expert's recurring hours. `days` maps 0=Monday..6=Sunday to local (start, end) intervals.

    A missing day has no availability. Intervals may touch (12:00–13:00, 13:00–14:00: one
    stretch) but not overlap; an end of END_OF_DAY means "until midnight".
    """

    timezone: str
    days: dict[int, tuple[LocalInterval, ...]]

    def __post_init__(self):
        errors = []
        try:
            load_zone(self.timezone)
        except ScheduleInvalid as exc:
            errors.extend(exc.errors)
        for weekday, intervals in self.days.items():
            if weekday not in range(7):
                errors.append(f"{weekday!r} is not a weekday number (0=Monday..6=Sunday).")
                continue
            errors.extend(local_interval_errors(intervals, DAY_NAMES[weekday]))
        if errors:
            raise ScheduleInvalid(errors)

    @property
    def zone(self) -> ZoneInfo:
        return load_zone(self.timezone)


@dataclass(frozen=True)
class DateOverride:
    """One local date that differs from the weekly hours.

    kind "off": no availability at all that date (it wins over any "extra" for the same date).
    kind "extra": `intervals` are available in addition to that date's weekly hours; where they
    overlap or touch the weekly hours the two join into one stretch.
    """

    day: date
    kind: str
    intervals: tuple[LocalInterval, ...] = ()

    def __post_init__(self):
        label = self.day.isoformat() if isinstance(self.day, date) else repr(self.day)
        errors = []
        if not isinstance(self.day, date) or isinstance(self.day, datetime):
            errors.append(f"{label}: an override's day must be a date.")
        if self.kind == OVERRIDE_OFF:
            if self.intervals:
                errors.append(f'{label}: a day off ("off") can\'t have intervals.')
        elif self.kind == OVERRIDE_EXTRA:
            # Overlapping extra intervals are harmless (the engine joins them), so only shape is checked.
            errors.extend(local_interval_errors(self.intervals, label, allow_overlaps=True))
        else:
            errors.append(f'{label}: override kind must be "off" or "extra", not {self.kind!r}.')
        if errors:
            raise ScheduleInvalid(errors)


@dataclass(frozen=True)
class Interval:
    """A half-open stretch of real time [start, end), aware datetimes normalised to UTC."""

    start: datetime
    end: datetime

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval needs aware datetimes (store and compare time in UTC).")
        if self.end < self.start:
            raise ValueError(f"Interval ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()}).")
        # Normalise so equal instants compare, hash and print the same whatever zone they came in.
        if self.start.tzinfo is not UTC:
            object.__setattr__(self, "start", self.start.astimezone(UTC))
        if self.end.tzinfo is not UTC:
            object.__setattr__(self, "end", self.end.astimezone(UTC))

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class BookingRules:
    buffer: timedelta = timedelta(minutes=15)  # kept free before AND after every existing booking
    min_notice: timedelta = timedelta(hours=24)  # no slot starts before now + min_notice
    horizon: timedelta = timedelta(days=60)  # no slot starts after now + horizon
    step: timedelta = timedelta(minutes=30)  # slot starts on this grid of local time, from the interval start

    def __post_init__(self):
        if self.step <= timedelta(0):
            raise ValueError("BookingRules.step must be positive.")
        for name in ("buffer", "min_notice", "horizon"):
            if getattr(self, name) < timedelta(0):
                raise ValueError(f"BookingRules.{name} can't be negative.")
