"""The weekly schedule as JSON: `{"mon": [["09:00", "12:00"], ["13:00", "17:00"]], "tue": [], ...}`.

Validation is hand-written rather than run through a JSON-schema library so that each problem
gets a message an expert can act on ("Tuesday: 13:00–12:00 ends before it starts. ...") and all
of them are reported at once. SCHEDULE_JSON_SCHEMA describes the same format for documentation
and for clients; a test keeps its time patterns in step with the parser.
"""

from __future__ import annotations

import json
import re
from datetime import date, time, timedelta

from .types import (
    DAY_KEYS,
    DAY_NAMES,
    END_OF_DAY,
    DateOverride,
    LocalInterval,
    ScheduleInvalid,
    WeeklySchedule,
    format_interval,
    format_time,
    load_zone,
)

MAX_INTERVALS_PER_DAY = 6
MINUTE_GRANULARITY = 5

START_TIME_PATTERN = r"^(?:[01][0-9]|2[0-3]):[0-5][05]$"
END_TIME_PATTERN = r"^(?:(?:[01][0-9]|2[0-3]):[0-5][05]|24:00)$"

_DAY_SCHEMA = {
    "type": "array",
    "maxItems": MAX_INTERVALS_PER_DAY,
    "description": "Available intervals of that weekday in the expert's zone; they must not overlap.",
    "items": {"$ref": "#/$defs/interval"},
}

SCHEDULE_JSON_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Weekly availability",
    "description": (
        "Recurring hours in the expert's own time zone, by weekday. A missing day has no availability. "
        "Times are 24-hour HH:MM on a 5-minute mark; an interval can't cross midnight (split it: "
        "22:00–24:00 and 00:00–02:00 on the next day)."
    ),
    "type": "object",
    "properties": {key: _DAY_SCHEMA for key in DAY_KEYS},
    "additionalProperties": False,
    "$defs": {
        "interval": {
            "type": "array",
            "description": "[start, end] with start < end. Only an end may be 24:00 (midnight at the end of the day).",
            "prefixItems": [
                {"type": "string", "pattern": START_TIME_PATTERN},
                {"type": "string", "pattern": END_TIME_PATTERN},
            ],
            "minItems": 2,
            "maxItems": 2,
        },
    },
}

# Loose on purpose: anything shaped like a clock time parses, so "09:03" gets the specific
# "not on a 5-minute mark" message instead of the generic "not a time".
_CLOCK = re.compile(r"([0-9]{2}):([0-9]{2})")
_EXAMPLE_PAIR = '["09:00", "12:00"]'


def _describe(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _parse_time(text: str, label: str, errors: list[str]) -> time | None:
    match = _CLOCK.fullmatch(text)
    hours, minutes = (int(match[1]), int(match[2])) if match else (-1, -1)
    if (hours, minutes) == (24, 0):
        return END_OF_DAY
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        errors.append(f'{label}: "{text}" is not a time; use 24-hour HH:MM, e.g. "09:30".')
        return None
    if minutes % MINUTE_GRANULARITY:
        down = minutes - minutes % MINUTE_GRANULARITY
        errors.append(
            f"{label}: {text} is not on a {MINUTE_GRANULARITY}-minute mark; "
            f"use e.g. {hours:02d}:{down:02d} or {format_time(_add_minutes(hours, down + MINUTE_GRANULARITY))}."
        )
        return None
    return time(hours, minutes)


def _add_minutes(hours: int, minutes: int) -> time:
    total = hours * 60 + minutes
    return END_OF_DAY if total >= 24 * 60 else time(total // 60, total % 60)


def intervals_from_json(data: object, *, label: str, next_label: str = "the next day") -> tuple[LocalInterval, ...]:
    """Validate one day's `[["HH:MM", "HH:MM"], ...]`; sorted intervals, or ScheduleInvalid with every problem.

    `label` starts each message ("Tuesday", "2026-10-25"); `next_label` names the following day
    in the advice for intervals that run past midnight. Also used for DateOverride intervals.
    """
    errors: list[str] = []
    if not isinstance(data, list | tuple):
        raise ScheduleInvalid([f"{label}: expected a list of intervals like [{_EXAMPLE_PAIR}], got {_describe(data)}."])
    if len(data) > MAX_INTERVALS_PER_DAY:
        errors.append(f"{label}: {len(data)} intervals; at most {MAX_INTERVALS_PER_DAY} are allowed per day.")
    intervals: list[LocalInterval] = []
    for number, item in enumerate(data, start=1):
        if not (isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(t, str) for t in item)):
            errors.append(
                f"{label}: interval {number} must be a pair of times like {_EXAMPLE_PAIR}, got {_describe(item)}."
            )
            continue
        start, end = (_parse_time(text, label, errors) for text in item)
        if start is None or end is None:
            continue
        text = f"{item[0]}–{item[1]}"
        if start == END_OF_DAY:
            errors.append(f"{label}: {text} starts at 24:00; an interval can only end at 24:00.")
        elif start == end:
            errors.append(f"{label}: {text} is empty; the end must be later than the start.")
        elif end == time(0):
            errors.append(f"{label}: {text} ends before it starts. To work until midnight, end at 24:00.")
        elif start > end:
            errors.append(
                f"{label}: {text} ends before it starts. Intervals can't run past midnight; "
                f"split it into {item[0]}–24:00 and 00:00–{item[1]} on {next_label}."
            )
        else:
            intervals.append((start, end))
    intervals.sort()
    for before, after in zip(intervals, intervals[1:], strict=False):
        if after[0] < before[1]:
            errors.append(f"{label}: {format_interval(before)} overlaps {format_interval(after)}.")
    if errors:
        raise ScheduleInvalid(errors)
    return tuple(intervals)


def intervals_to_json(intervals: tuple[LocalInterval, ...]) -> list[list[str]]:
    return [[format_time(start), format_time(end)] for start, end in intervals]


def schedule_from_json(data: object, *, timezone: str) -> WeeklySchedule:
    """Parse and validate a weekly schedule; raises ScheduleInvalid listing every problem (zone included)."""
    errors: list[str] = []
    try:
        load_zone(timezone)
    except ScheduleInvalid as exc:
        errors.extend(exc.errors)
    if not isinstance(data, dict):
        errors.append(
            f"The schedule must be an object with the days mon..sun as keys, e.g. "
            f'{{"mon": [{_EXAMPLE_PAIR}]}}; got {_describe(data)}.'
        )
        raise ScheduleInvalid(errors)
    for key in data:
        if key not in DAY_KEYS:
            errors.append(f"{_describe(key)} is not a day; use mon, tue, wed, thu, fri, sat or sun.")
    days: dict[int, tuple[LocalInterval, ...]] = {}
    for weekday, key in enumerate(DAY_KEYS):
        try:
            days[weekday] = intervals_from_json(
                data.get(key, []), label=DAY_NAMES[weekday], next_label=DAY_NAMES[(weekday + 1) % 7]
            )
        except ScheduleInvalid as exc:
            errors.extend(exc.errors)
    if errors:
        raise ScheduleInvalid(errors)
    return WeeklySchedule(timezone=timezone, days=days)


def schedule_to_json(schedule: WeeklySchedule) -> dict:
    """All seven days, in order, e.g. {"mon": [["09:00", "12:00"]], ..., "sun": []}."""
    return {key: intervals_to_json(schedule.days.get(weekday, ())) for weekday, key in enumerate(DAY_KEYS)}


def override_from_json(*, day: date, kind: str, intervals: object = ()) -> DateOverride:
    """A DateOverride from stored/posted values; the intervals use the same JSON format and rules as a weekday."""
    following = day + timedelta(days=1)
    label, next_label = f"{day:%a} {day.day} {day:%b %Y}", f"{following:%a} {following.day} {following:%b}"
    parsed = intervals_from_json(intervals, label=label, next_label=next_label) if intervals else ()
    return DateOverride(day=day, kind=kind, intervals=parsed)
