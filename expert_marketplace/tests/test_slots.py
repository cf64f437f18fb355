"""The slot engine: basic slots, buffers, notice, horizon, overrides, DST in both the expert's
and the viewer's zone, and property-based checks against a brute-force reference."""

from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expert_marketplace.availability import (
    END_OF_DAY,
    BookingRules,
    DateOverride,
    Interval,
    WeeklySchedule,
    available_local_intervals,
    free_slots,
    next_free_slot,
    schedule_from_json,
    slots_by_local_day,
)

LONDON, NEW_YORK, KOLKATA = "Europe/London", "America/New_York", "Asia/Kolkata"
HOUR, MINUTE = timedelta(hours=1), timedelta(minutes=1)
NO_LIMITS = BookingRules(buffer=timedelta(0), min_notice=timedelta(0), horizon=timedelta(days=3))
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def hours(data: dict, timezone: str = "UTC") -> WeeklySchedule:
    return schedule_from_json(data, timezone=timezone)


def daily(start: str, end: str, timezone: str) -> WeeklySchedule:
    return hours({day: [[start, end]] for day in EVERY_DAY}, timezone)


def slots(schedule, *, now, duration=HOUR, rules=NO_LIMITS, overrides=(), busy=()):
    return free_slots(schedule=schedule, overrides=overrides, busy=busy, duration=duration, rules=rules, now=now)


def starts(found) -> list[datetime]:
    return [slot.start for slot in found]


def local_starts(found, timezone) -> list[str]:
    zone = ZoneInfo(timezone)
    return [slot.start.astimezone(zone).strftime("%d %H:%M %Z") for slot in found]


# 2026-03-02 is a Monday.
MONDAY = date(2026, 3, 2)
SUNDAY_NIGHT = utc(2026, 3, 1, 23)


# --- basics ---------------------------------------------------------------------------------


def test_slots_fill_each_interval_on_the_grid():
    found = slots(hours({"mon": [["09:00", "12:00"], ["13:00", "14:30"]]}), now=SUNDAY_NIGHT)
    assert starts(found) == [
        utc(2026, 3, 2, 9),
        utc(2026, 3, 2, 9, 30),
        utc(2026, 3, 2, 10),
        utc(2026, 3, 2, 10, 30),
    ] + [
        utc(2026, 3, 2, 11),
        utc(2026, 3, 2, 13),
        utc(2026, 3, 2, 13, 30),
    ]
    assert all(slot.end - slot.start == HOUR for slot in found)


def test_the_grid_starts_at_each_interval_start():
    rules = BookingRules(buffer=timedelta(0), min_notice=timedelta(0), horizon=timedelta(days=2), step=45 * MINUTE)
    found = slots(hours({"mon": [["09:10", "11:30"]]}), now=SUNDAY_NIGHT, duration=30 * MINUTE, rules=rules)
    assert starts(found) == [utc(2026, 3, 2, 9, 10), utc(2026, 3, 2, 9, 55), utc(2026, 3, 2, 10, 40)]


def test_a_slot_longer_than_every_interval_never_fits():
    assert slots(hours({"mon": [["09:00", "10:00"], ["10:30", "11:30"]]}), now=SUNDAY_NIGHT, duration=90 * MINUTE) == []


def test_an_interval_may_end_at_midnight_but_a_slot_never_crosses_into_the_next_date():
    schedule = hours({"mon": [["22:00", "24:00"]], "tue": [["00:00", "01:00"]]})
    one_hour = [utc(2026, 3, 2, 22), utc(2026, 3, 2, 22, 30), utc(2026, 3, 2, 23), utc(2026, 3, 3, 0)]
    assert starts(slots(schedule, now=SUNDAY_NIGHT)) == one_hour
    # 23:00–00:30 would need Monday's and Tuesday's hours: each date's intervals stand alone.
    assert starts(slots(schedule, now=SUNDAY_NIGHT, duration=90 * MINUTE)) == one_hour[:2]


def test_inputs_must_be_aware_and_positive():
    schedule = hours({"mon": [["09:00", "12:00"]]})
    with pytest.raises(ValueError, match="aware"):
        slots(schedule, now=datetime(2026, 3, 1))  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="duration"):
        slots(schedule, now=SUNDAY_NIGHT, duration=timedelta(0))


# --- busy intervals and buffers -------------------------------------------------------------


def test_busy_intervals_block_overlapping_slots_but_touching_is_fine():
    busy = [Interval(utc(2026, 3, 2, 10), utc(2026, 3, 2, 11))]
    found = slots(hours({"mon": [["09:00", "13:00"]]}), now=SUNDAY_NIGHT, busy=busy)
    assert starts(found) == [utc(2026, 3, 2, 9), utc(2026, 3, 2, 11), utc(2026, 3, 2, 11, 30), utc(2026, 3, 2, 12)]


def test_the_buffer_is_kept_free_before_and_after_each_booking():
    busy = [Interval(utc(2026, 3, 2, 10), utc(2026, 3, 2, 11))]
    rules = BookingRules(buffer=15 * MINUTE, min_notice=timedelta(0), horizon=timedelta(days=3))
    found = slots(hours({"mon": [["08:00", "13:00"]]}), now=SUNDAY_NIGHT, busy=busy, rules=rules)
    # Blocked: 09:45–11:15. 08:30–09:30 ends before it; 11:30 is the first grid start after it.
    assert starts(found) == [utc(2026, 3, 2, 8), utc(2026, 3, 2, 8, 30), utc(2026, 3, 2, 11, 30), utc(2026, 3, 2, 12)]


def test_busy_intervals_may_come_unsorted_overlapping_and_outside_the_hours():
    busy = [
        Interval(utc(2026, 3, 2, 12), utc(2026, 3, 2, 12, 30)),
        Interval(utc(2026, 3, 1, 9), utc(2026, 3, 1, 17)),
        Interval(utc(2026, 3, 2, 9, 30), utc(2026, 3, 2, 10, 30)),
        Interval(utc(2026, 3, 2, 10), utc(2026, 3, 2, 10, 15)),
    ]
    found = slots(hours({"mon": [["09:00", "14:00"]]}), now=SUNDAY_NIGHT, busy=busy, duration=30 * MINUTE)
    assert starts(found) == [
        utc(2026, 3, 2, 9),
        utc(2026, 3, 2, 10, 30),
        utc(2026, 3, 2, 11),
        utc(2026, 3, 2, 11, 30),
    ] + [
        utc(2026, 3, 2, 12, 30),
        utc(2026, 3, 2, 13),
        utc(2026, 3, 2, 13, 30),
    ]


def test_busy_intervals_in_other_zones_compare_as_instants():
    new_york = ZoneInfo(NEW_YORK)
    busy = [Interval(datetime(2026, 3, 2, 4, tzinfo=new_york), datetime(2026, 3, 2, 5, tzinfo=new_york))]  # 09–10 UTC
    found = slots(hours({"mon": [["09:00", "11:00"]]}), now=SUNDAY_NIGHT, busy=busy)
    assert starts(found) == [utc(2026, 3, 2, 10)]


# --- notice and horizon ---------------------------------------------------------------------


def test_min_notice_is_inclusive_and_cuts_the_grid_not_the_intervals():
    schedule = hours({"mon": [["09:00", "12:00"]]})
    rules = BookingRules(buffer=timedelta(0), min_notice=HOUR, horizon=timedelta(days=2))
    assert starts(slots(schedule, now=utc(2026, 3, 2, 8, 10), rules=rules))[:2] == [
        utc(2026, 3, 2, 9, 30),
        utc(2026, 3, 2, 10),
    ]
    assert starts(slots(schedule, now=utc(2026, 3, 2, 8), rules=rules))[0] == utc(2026, 3, 2, 9)


def test_default_rules_keep_24_hours_notice():
    schedule = hours({"mon": [["09:00", "12:00"]], "tue": [["09:00", "12:00"]]})
    found = slots(schedule, now=utc(2026, 3, 2, 9, 40), rules=BookingRules())
    assert found[0].start == utc(2026, 3, 3, 10)


def test_horizon_is_inclusive():
    rules = BookingRules(buffer=timedelta(0), min_notice=timedelta(0), horizon=10 * HOUR)
    found = slots(hours({"mon": [["09:00", "12:00"]]}), now=utc(2026, 3, 2), rules=rules)
    assert starts(found) == [utc(2026, 3, 2, 9), utc(2026, 3, 2, 9, 30), utc(2026, 3, 2, 10)]


def test_a_horizon_shorter_than_the_notice_leaves_nothing():
    rules = BookingRules(buffer=timedelta(0), min_notice=timedelta(days=2), horizon=timedelta(days=1))
    assert slots(daily("00:00", "24:00", "UTC"), now=SUNDAY_NIGHT, rules=rules) == []


def test_the_default_horizon_is_60_days():
    found = slots(daily("09:00", "10:00", "UTC"), now=utc(2026, 3, 1, 9), rules=BookingRules())
    assert (found[0].start, found[-1].start, len(found)) == (utc(2026, 3, 2, 9), utc(2026, 4, 30, 9), 60)


# --- overrides ------------------------------------------------------------------------------


def test_an_off_day_has_no_slots_and_other_days_are_untouched():
    schedule = hours({"mon": [["09:00", "10:00"]]})
    rules = BookingRules(buffer=timedelta(0), min_notice=timedelta(0), horizon=timedelta(days=14))
    found = slots(schedule, now=SUNDAY_NIGHT, rules=rules, overrides=[DateOverride(MONDAY, "off")])
    assert starts(found) == [utc(2026, 3, 9, 9)]


def test_extra_hours_add_to_the_weekly_ones_and_join_where_they_touch():
    schedule = hours({"mon": [["09:00", "12:00"]]})
    extra = DateOverride(MONDAY, "extra", ((time(12), time(13)), (time(18), time(19))))
    found = slots(schedule, now=SUNDAY_NIGHT, overrides=[extra])
    # 11:30–12:30 crosses from the weekly hours into the extra hour: one stretch, one grid.
    assert utc(2026, 3, 2, 11, 30) in starts(found)
    assert starts(found)[-3:] == [utc(2026, 3, 2, 11, 30), utc(2026, 3, 2, 12), utc(2026, 3, 2, 18)]
    assert available_local_intervals(schedule, [extra], MONDAY) == ((time(9), time(13)), (time(18), time(19)))


def test_extra_hours_on_a_day_without_weekly_hours():
    extra = DateOverride(date(2026, 3, 3), "extra", ((time(20), time(22)),))
    found = slots(hours({"mon": [["09:00", "10:00"]]}), now=SUNDAY_NIGHT, overrides=[extra])
    assert starts(found) == [utc(2026, 3, 2, 9), utc(2026, 3, 3, 20), utc(2026, 3, 3, 20, 30), utc(2026, 3, 3, 21)]


def test_off_wins_over_extra_for_the_same_date():
    overrides = [DateOverride(MONDAY, "extra", ((time(18), time(20)),)), DateOverride(MONDAY, "off")]
    assert slots(hours({"mon": [["09:00", "12:00"]]}), now=SUNDAY_NIGHT, overrides=overrides) == []


def test_override_dates_are_the_experts_local_dates():
    # 02:00 Monday in Kolkata is Sunday 20:30 UTC: taking Monday off removes it.
    schedule = hours({"mon": [["02:00", "03:00"]]}, KOLKATA)
    now = utc(2026, 2, 28)
    assert starts(slots(schedule, now=now)) == [utc(2026, 3, 1, 20, 30)]
    assert slots(schedule, now=now, overrides=[DateOverride(MONDAY, "off")]) == []


# --- next free slot and grouping for the viewer -----------------------------------------------


def test_next_free_slot_is_the_first_slot_or_none():
    schedule = hours({"mon": [["09:00", "12:00"]]})
    busy = [Interval(utc(2026, 3, 2, 9), utc(2026, 3, 2, 10, 30))]
    call = {"schedule": schedule, "overrides": [], "busy": busy, "duration": HOUR, "rules": NO_LIMITS}
    assert next_free_slot(**call, now=SUNDAY_NIGHT) == Interval(utc(2026, 3, 2, 10, 30), utc(2026, 3, 2, 11, 30))
    assert next_free_slot(**call, now=utc(2026, 3, 2, 12)) is None


def test_slots_are_grouped_by_the_viewers_date():
    # Kolkata 09:00–10:00 is 03:30 UTC: the previous evening in New York.
    found = slots(daily("09:00", "10:00", KOLKATA), now=utc(2026, 3, 1, 12), duration=30 * MINUTE)
    grouped = slots_by_local_day(found, timezone=NEW_YORK)
    assert list(grouped) == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)]
    assert [t.strftime("%H:%M %Z") for t in grouped[date(2026, 3, 1)]] == ["22:30 EST", "23:00 EST"]
    assert all(t.tzinfo == ZoneInfo(NEW_YORK) for day in grouped.values() for t in day)
    assert slots_by_local_day(list(reversed(found)), timezone=NEW_YORK) == grouped
    assert slots_by_local_day([], timezone=LONDON) == {}


# --- DST: the expert's hours stay put on their own clock ---------------------------------------


def _first_start_of_each_expert_day(found, expert_zone, viewer):
    """The first slot of each of the expert's local days, as the viewer's clock shows it."""
    by_expert_day = slots_by_local_day(found, timezone=expert_zone)
    return [times[0].astimezone(ZoneInfo(viewer)).strftime("%H:%M") for times in by_expert_day.values()]


@pytest.mark.parametrize(
    ("expert_zone", "now", "days", "expected_utc"),
    [
        # London springs forward on Sun 29 March and falls back on Sun 25 October 2026.
        (LONDON, utc(2026, 3, 27), 4, ["09:00", "09:00", "08:00", "08:00"]),
        (LONDON, utc(2026, 10, 23), 4, ["08:00", "08:00", "09:00", "09:00"]),
        # New York: Sun 8 March and Sun 1 November 2026.
        (NEW_YORK, utc(2026, 3, 6), 4, ["14:00", "14:00", "13:00", "13:00"]),
        (NEW_YORK, utc(2026, 10, 30), 4, ["13:00", "13:00", "14:00", "14:00"]),
        # Kolkata has no DST.
        (KOLKATA, utc(2026, 3, 27), 4, ["03:30"] * 4),
    ],
)
def test_nine_to_five_stays_nine_to_five_local_across_dst(expert_zone, now, days, expected_utc):
    rules = BookingRules(buffer=timedelta(0), min_notice=timedelta(0), horizon=timedelta(days=days))
    found = slots(daily("09:00", "17:00", expert_zone), now=now, rules=rules)
    local = slots_by_local_day(found, timezone=expert_zone)
    assert all(
        [t.strftime("%H:%M") for t in ts] == [f"{h:02d}:{m:02d}" for h in range(9, 16) for m in (0, 30)] + ["16:00"]
        for ts in local.values()
    )
    assert _first_start_of_each_expert_day(found, expert_zone, "UTC") == expected_utc
    assert all(slot.end - slot.start == HOUR for slot in found)


@pytest.mark.parametrize(
    ("now", "viewer", "expected"),
    [
        # A London 09:00 seen from New York: 4 hours apart while only New York is on summer time.
        (utc(2026, 3, 2), NEW_YORK, ["04:00", "04:00", "04:00"]),
        (utc(2026, 3, 27), NEW_YORK, ["05:00", "05:00", "04:00"]),
        (utc(2026, 10, 23), NEW_YORK, ["04:00", "04:00", "05:00"]),
        (utc(2026, 10, 31), NEW_YORK, ["05:00", "04:00", "04:00"]),
        # ...and from Kolkata, which never changes: 5½ hours ahead of GMT, 4½ of BST.
        (utc(2026, 3, 27), KOLKATA, ["14:30", "14:30", "13:30"]),
        (utc(2026, 10, 23), KOLKATA, ["13:30", "13:30", "14:30"]),
    ],
)
def test_a_london_expert_seen_from_new_york_and_kolkata(now, viewer, expected):
    rules = BookingRules(buffer=timedelta(0), min_notice=timedelta(0), horizon=timedelta(days=3) - MINUTE)
    found = slots(daily("09:00", "17:00", LONDON), now=now, rules=rules)
    assert _first_start_of_each_expert_day(found, LONDON, viewer) == expected


@pytest.mark.parametrize(
    ("expert_zone", "viewer", "now", "expected"),
    [
        (NEW_YORK, LONDON, utc(2026, 3, 6), ["14:00", "14:00", "13:00", "13:00"]),  # 8 Mar: 5 h → 4 h apart
        (NEW_YORK, LONDON, utc(2026, 3, 28), ["13:00", "14:00"]),  # 29 Mar: London catches up, 5 h again
        (NEW_YORK, KOLKATA, utc(2026, 10, 31), ["18:30", "19:30"]),  # 1 Nov: 9½ h → 10½ h apart
        (KOLKATA, LONDON, utc(2026, 3, 28), ["03:30", "04:30"]),
        (KOLKATA, NEW_YORK, utc(2026, 3, 7, 12), ["22:30", "23:30"]),  # the evening before, in New York
    ],
)
def test_other_experts_seen_across_zones(expert_zone, viewer, now, expected):
    rules = BookingRules(buffer=timedelta(0), min_notice=timedelta(0), horizon=timedelta(days=len(expected)) - MINUTE)
    found = slots(daily("09:00", "17:00", expert_zone), now=now, rules=rules)
    assert _first_start_of_each_expert_day(found, expert_zone, viewer) == expected


# --- DST: the gap and the repeated hour on the expert's own clock -------------------------------

SPRING_SUNDAY, AUTUMN_SUNDAY = utc(2026, 3, 28, 12), utc(2026, 10, 24, 12)


def _london_sunday(start, end, now, duration=HOUR, busy=()):
    return slots(hours({"sun": [[start, end]]}, LONDON), now=now, duration=duration, busy=busy)


def test_spring_forward_times_that_never_happen_are_not_offered():
    found = _london_sunday("00:30", "03:30", SPRING_SUNDAY)
    # 00:30 GMT → 03:30 BST is two real hours; 01:00 and 01:30 don't exist that night.
    assert local_starts(found, LONDON) == ["29 00:30 GMT", "29 02:00 BST", "29 02:30 BST"]
    assert starts(found) == [utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 30)]
    # The first slot runs across the gap: 00:30 GMT to 02:30 BST is one real hour.
    assert found[0].end == utc(2026, 3, 29, 1, 30)


def test_an_interval_inside_the_gap_is_empty_and_one_starting_in_it_begins_at_the_jump():
    assert _london_sunday("01:10", "01:50", SPRING_SUNDAY, duration=5 * MINUTE) == []
    found = _london_sunday("01:30", "03:00", SPRING_SUNDAY, duration=30 * MINUTE)
    assert local_starts(found, LONDON) == ["29 02:00 BST", "29 02:30 BST"]
    found = _london_sunday("00:00", "01:30", SPRING_SUNDAY, duration=30 * MINUTE)
    assert local_starts(found, LONDON) == ["29 00:00 GMT", "29 00:30 GMT"]


def test_fall_back_offers_both_passes_of_the_repeated_hour():
    found = _london_sunday("00:30", "03:30", AUTUMN_SUNDAY)
    # 00:30 BST → 03:30 GMT is four real hours; the clock shows 01:00–01:59 twice.
    assert local_starts(found, LONDON) == [
        "25 00:30 BST",
        "25 01:00 BST",
        "25 01:30 BST",
        "25 01:00 GMT",
        "25 01:30 GMT",
        "25 02:00 GMT",
        "25 02:30 GMT",
    ]
    assert starts(found) == [utc(2026, 10, 24, 23, 30) + n * 30 * MINUTE for n in range(7)]


def test_an_interval_inside_the_repeated_hour_is_two_separate_stretches():
    found = _london_sunday("01:15", "01:45", AUTUMN_SUNDAY, duration=30 * MINUTE)
    assert starts(found) == [utc(2026, 10, 25, 0, 15), utc(2026, 10, 25, 1, 15)]
    assert _london_sunday("01:15", "01:45", AUTUMN_SUNDAY, duration=45 * MINUTE) == []


def test_an_interval_ending_in_the_repeated_hour_covers_both_passes_up_to_its_end():
    # 00:30–01:30: 00:30–01:30 BST, then again 01:00–01:30 GMT once the clock has gone back.
    found = _london_sunday("00:30", "01:30", AUTUMN_SUNDAY, duration=15 * MINUTE)
    assert local_starts(found, LONDON) == ["25 00:30 BST", "25 01:00 BST", "25 01:00 GMT"]
    found = _london_sunday("01:30", "03:00", AUTUMN_SUNDAY, duration=30 * MINUTE)
    assert local_starts(found, LONDON) == ["25 01:30 BST", "25 01:30 GMT", "25 02:00 GMT", "25 02:30 GMT"]


def test_a_booking_in_one_pass_of_the_repeated_hour_leaves_the_other_free():
    busy = [Interval(utc(2026, 10, 25, 1), utc(2026, 10, 25, 1, 30))]  # 01:00–01:30 GMT, the second pass
    found = _london_sunday("01:00", "02:00", AUTUMN_SUNDAY, duration=30 * MINUTE, busy=busy)
    assert local_starts(found, LONDON) == ["25 01:00 BST", "25 01:30 BST", "25 01:30 GMT"]


def test_new_york_gap_and_repeated_hour():
    schedule = hours({"sun": [["01:00", "04:00"]]}, NEW_YORK)
    spring = slots(schedule, now=utc(2026, 3, 7, 12))
    assert local_starts(spring, NEW_YORK) == ["08 01:00 EST", "08 01:30 EST", "08 03:00 EDT"]
    schedule = hours({"sun": [["00:30", "02:30"]]}, NEW_YORK)
    autumn = slots(schedule, now=utc(2026, 10, 31, 12))
    assert starts(autumn) == [utc(2026, 11, 1, 4, 30) + n * 30 * MINUTE for n in range(5)]
    assert local_starts(autumn, NEW_YORK)[1:4] == ["01 01:00 EDT", "01 01:30 EDT", "01 01:00 EST"]


def test_the_repeated_hour_seen_from_other_zones_is_unambiguous():
    found = _london_sunday("01:00", "02:00", AUTUMN_SUNDAY, duration=30 * MINUTE)
    grouped = slots_by_local_day(found, timezone=KOLKATA)
    assert {d: [t.strftime("%H:%M") for t in ts] for d, ts in grouped.items()} == {
        date(2026, 10, 25): ["05:30", "06:00", "06:30", "07:00"]
    }
    grouped = slots_by_local_day(found, timezone=NEW_YORK)
    assert [t.strftime("%H:%M") for t in grouped[date(2026, 10, 24)]] == ["20:00", "20:30", "21:00", "21:30"]


# --- properties -----------------------------------------------------------------------------

ZONES = [LONDON, NEW_YORK, KOLKATA, "UTC"]
# Hypothesis takes naive bounds and attaches the zone itself.
NAIVE_2026_START, NAIVE_2026_END = datetime(2026, 1, 1), datetime(2027, 1, 1)  # noqa: DTZ001
CLOCK_CHANGES = {  # 2026, in UTC
    LONDON: [utc(2026, 3, 29, 1), utc(2026, 10, 25, 1)],
    NEW_YORK: [utc(2026, 3, 8, 7), utc(2026, 11, 1, 6)],
}
MARKS_PER_DAY = 24 * 12  # 5-minute marks; mark 288 is 24:00


def _mark_time(mark: int) -> time:
    return END_OF_DAY if mark == MARKS_PER_DAY else time(mark // 12, mark % 12 * 5)


def day_intervals(max_intervals: int = 3):
    """Sorted, non-overlapping intervals on 5-minute marks; consecutive ones may touch."""

    def build(marks_and_touch):
        marks, touch = marks_and_touch
        marks = sorted(set(marks))
        pairs = [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]
        if touch and len(pairs) > 1:
            pairs[1] = (pairs[0][1], pairs[1][1])
        return tuple((_mark_time(a), _mark_time(b)) for a, b in pairs)

    # Half the marks fall in 01:00–03:00, where London's and New York's clocks change.
    mark = st.integers(0, MARKS_PER_DAY) | st.integers(12, 3 * 12)
    marks = st.lists(mark, min_size=2, max_size=2 * max_intervals)
    return _mostly(st.tuples(marks, st.booleans()).map(build), otherwise=st.just(()))


def _mostly(usual, *, otherwise):
    """`usual` nine times in ten; st.one_of would pick each branch about equally often."""
    return st.integers(0, 9).flatmap(lambda n: otherwise if n == 0 else usual)


# Strategies are built once: rebuilding them inside every draw costs more than the engine itself.
WEEK_DAY_INTERVALS = day_intervals()
EXTRA_INTERVALS = day_intervals(2)
NOW_IN_2026 = {
    zone: st.datetimes(NAIVE_2026_START, NAIVE_2026_END, timezones=st.sampled_from([UTC, ZoneInfo(zone)]))
    for zone in ZONES
}
MINUTES_BEFORE_CHANGE = st.integers(0, 2 * 1440)
BUFFER_MINUTES = st.sampled_from([0, 5, 15, 30])
NOTICE_MINUTES = st.just(0) | st.integers(0, 720)
HORIZON_MINUTES = _mostly(st.integers(1440, 4 * 1440), otherwise=st.integers(0, 1440))
HORIZON_MINUTES_AROUND_CHANGE = st.integers(2 * 1440, 3 * 1440)
STEP_MINUTES = st.sampled_from([5, 15, 20, 30, 45, 60, 7])
DURATION_MINUTES = st.sampled_from([15, 30, 45, 60, 90, 120]) | st.integers(1, 180)
OVERRIDES = st.lists(  # (days after the local today, kind, extra intervals)
    st.tuples(st.integers(-1, 6), st.just("off"), st.just(()))
    | st.tuples(st.integers(-1, 6), st.just("extra"), EXTRA_INTERVALS),
    max_size=4,
)
BUSY = st.lists(st.tuples(st.integers(-1440, 7 * 1440), st.integers(0, 240)), max_size=12)  # (start, length) minutes


@st.composite
def scenarios(draw, *, around_clock_changes=False):
    """Random inputs; `around_clock_changes` puts London or New York's DST change inside the window."""
    timezone = draw(st.sampled_from(list(CLOCK_CHANGES) if around_clock_changes else ZONES))
    schedule = WeeklySchedule(timezone=timezone, days={d: draw(WEEK_DAY_INTERVALS) for d in range(7)})
    if around_clock_changes:
        now = draw(st.sampled_from(CLOCK_CHANGES[timezone])) - timedelta(minutes=draw(MINUTES_BEFORE_CHANGE))
    else:
        now = draw(NOW_IN_2026[timezone])
    rules = BookingRules(
        buffer=timedelta(minutes=draw(BUFFER_MINUTES)),
        min_notice=timedelta(minutes=draw(NOTICE_MINUTES)),
        horizon=timedelta(minutes=draw(HORIZON_MINUTES_AROUND_CHANGE if around_clock_changes else HORIZON_MINUTES)),
        step=timedelta(minutes=draw(STEP_MINUTES)),
    )
    local_today = now.astimezone(ZoneInfo(timezone)).date()
    overrides = [
        DateOverride(local_today + timedelta(days=days), kind, intervals) for days, kind, intervals in draw(OVERRIDES)
    ]
    busy = []
    for offset, length in draw(BUSY):
        start = now + timedelta(minutes=offset)
        busy.append(Interval(start, start + timedelta(minutes=length)))
    return {
        "schedule": schedule,
        "overrides": overrides,
        "busy": busy,
        "duration": timedelta(minutes=draw(DURATION_MINUTES)),
        "rules": rules,
        "now": now,
    }


def _reference_hours(schedule, overrides, day):
    """Weekly hours plus extras, none when off — rebuilt here rather than trusting the engine's join."""
    if any(o.day == day and o.kind == "off" for o in overrides):
        return []
    pieces = sorted(
        [*schedule.days.get(day.weekday(), ()), *(iv for o in overrides if o.day == day for iv in o.intervals)]
    )
    joined = []
    for start, end in pieces:
        if joined and start <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return [
        (
            datetime.combine(day, a),
            datetime.combine(day + timedelta(days=1), time(0)) if b == END_OF_DAY else datetime.combine(day, b),
        )
        for a, b in joined
    ]


def _wall(instant, zone) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _every_minute_inside(start, end, zone, low, high) -> bool:
    """All of [start, end) shows a clock time in [low, high).

    Exact for minute-aligned slots: these zones only change offset on whole minutes, so within a
    minute the clock runs straight. When the offset is the same at both ends (no change within
    these short slots) checking the first and last minute is enough; otherwise check every minute.
    """
    last = end - MINUTE
    if start.astimezone(zone).utcoffset() == last.astimezone(zone).utcoffset():
        minutes = [start, last]
    else:
        minutes = [start + n * MINUTE for n in range((end - start) // MINUTE)]
    return all(low <= _wall(m, zone) and _wall(m, zone) + MINUTE <= high for m in minutes)


def _blocked(slot_start, slot_end, busy, buffer) -> bool:
    return any(b.start - buffer < slot_end and slot_start < b.end + buffer for b in busy)


def _reference_slots(schedule, overrides, busy, duration, rules, now) -> list[datetime]:
    """Brute force: every grid clock time of every interval, both UTC readings, kept if real and free."""
    zone = ZoneInfo(schedule.timezone)
    earliest, latest = now + rules.min_notice, now + rules.horizon
    first_day = earliest.astimezone(zone).date() - timedelta(days=1)
    found = set()
    for n in range((latest.astimezone(zone).date() - first_day).days + 2):
        day = first_day + timedelta(days=n)
        for low, high in _reference_hours(schedule, overrides, day):
            clock = low
            while clock < high:
                for fold in (0, 1):
                    start = clock.replace(tzinfo=zone, fold=fold).astimezone(UTC)
                    if (
                        _wall(start, zone) == clock  # the clock really shows this time at some instant
                        and earliest <= start <= latest
                        and _every_minute_inside(start, start + duration, zone, low, high)
                        and not _blocked(start, start + duration, busy, rules.buffer)
                    ):
                        found.add(start)
                clock += rules.step
    return sorted(found)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios())
def test_slot_properties(scenario):
    _check_slot_properties(scenario)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(around_clock_changes=True))
def test_slot_properties_around_clock_changes(scenario):
    _check_slot_properties(scenario)


def _check_slot_properties(scenario):
    found = free_slots(**scenario)
    schedule, overrides, busy, duration, rules, now = (
        scenario[k] for k in ("schedule", "overrides", "busy", "duration", "rules", "now")
    )
    zone = ZoneInfo(schedule.timezone)
    found_starts = starts(found)

    assert found_starts == sorted(set(found_starts)), "sorted, no duplicates"
    assert all(slot.end - slot.start == duration and slot.start.tzinfo is UTC for slot in found)
    assert all(now + rules.min_notice <= s <= now + rules.horizon for s in found_starts)
    for slot in found:
        assert not _blocked(slot.start, slot.end, busy, rules.buffer), slot
        # Back on the expert's clock: the whole slot inside one interval of its own local date.
        local_start = _wall(slot.start, zone)
        inside = [
            (low, high)
            for low, high in _reference_hours(schedule, overrides, local_start.date())
            if low <= local_start < high
        ]
        assert len(inside) == 1 and _every_minute_inside(slot.start, slot.end, zone, *inside[0]), slot
    assert next_free_slot(**scenario) == (found[0] if found else None)
    assert found_starts == _reference_slots(**scenario), "exactly the brute-force slots"


@settings(max_examples=40, deadline=None)
@given(scenario=scenarios() | scenarios(around_clock_changes=True), viewer=st.sampled_from(ZONES))
def test_grouping_for_a_viewer_keeps_every_start_once_in_order(scenario, viewer):
    found = free_slots(**scenario)
    grouped = slots_by_local_day(found, timezone=viewer)
    flat = [t for day in grouped.values() for t in day]
    # Compared in UTC: Python treats aware datetimes in different zones as unequal when one of
    # them falls in a repeated hour (PEP 495), even if they are the same instant.
    assert [t.astimezone(UTC) for t in flat] == [slot.start for slot in found]
    assert list(grouped) == sorted(grouped)
    assert all(t.date() == day and t.tzinfo == ZoneInfo(viewer) for day, ts in grouped.items() for t in ts)


def test_reference_helpers_agree_with_the_engine_on_a_busy_fall_back_week():
    # A fixed, readable instance of the property test, so a regression shows a plain diff.
    scenario = {
        "schedule": hours({day: [["00:30", "03:30"], ["09:00", "17:00"]] for day in EVERY_DAY}, LONDON),
        "overrides": [DateOverride(date(2026, 10, 27), "off")],
        "busy": [Interval(utc(2026, 10, 25, 0, 40), utc(2026, 10, 25, 1, 10))],
        "duration": 45 * MINUTE,
        "rules": BookingRules(buffer=10 * MINUTE, min_notice=HOUR, horizon=timedelta(days=4), step=15 * MINUTE),
        "now": utc(2026, 10, 23, 23, 50),
    }
    assert starts(free_slots(**scenario)) == _reference_slots(**scenario)
    assert bisect_right(starts(free_slots(**scenario)), utc(2026, 10, 27)) == bisect_right(
        starts(free_slots(**scenario)), utc(2026, 10, 28)
    )
