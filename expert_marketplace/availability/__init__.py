"""Pure availability and slot engine for the expert marketplace: no Django, no I/O.

Inputs are an expert's weekly hours (local clock times in their IANA zone), date overrides and
busy intervals; output is free slots in UTC. Views show them in the viewer's zone with
slots_by_local_day. See slots.py for the slot rules and local_time.py for DST handling.
"""

from .schedule_json import (
    SCHEDULE_JSON_SCHEMA,
    intervals_from_json,
    intervals_to_json,
    override_from_json,
    schedule_from_json,
    schedule_to_json,
)
from .slots import available_local_intervals, free_slots, next_free_slot, slots_by_local_day
from .types import (
    DAY_KEYS,
    DAY_NAMES,
    END_OF_DAY,
    BookingRules,
    DateOverride,
    Interval,
    ScheduleInvalid,
    WeeklySchedule,
)

__all__ = [
    "DAY_KEYS",
    "DAY_NAMES",
    "END_OF_DAY",
    "SCHEDULE_JSON_SCHEMA",
    "BookingRules",
    "DateOverride",
    "Interval",
    "ScheduleInvalid",
    "WeeklySchedule",
    "available_local_intervals",
    "free_slots",
    "intervals_from_json",
    "intervals_to_json",
    "next_free_slot",
    "override_from_json",
    "schedule_from_json",
    "schedule_to_json",
    "slots_by_local_day",
]
