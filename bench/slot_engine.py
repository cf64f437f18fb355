"""How long the slot engine takes for one expert: 60-day horizon, 500 existing bookings.

Not a test; pure Python, no database or Django setup:

    python bench/slot_engine.py [--bookings 500] [--runs 10]

The expert works Mon–Fri 09:00–12:00 and 13:00–18:00 plus Saturday mornings in Europe/London
(so the horizon crosses the 25 October 2026 clock change), has a few overrides, and 500 one-hour
bookings spread over their hours. Prints the median wall time of free_slots and next_free_slot.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from expert_marketplace.availability import (  # noqa: E402
    BookingRules,
    DateOverride,
    Interval,
    free_slots,
    next_free_slot,
    override_from_json,
    schedule_from_json,
)

NOW = datetime(2026, 9, 14, 8, 17, tzinfo=UTC)
WEEKDAY_HOURS = [["09:00", "12:00"], ["13:00", "18:00"]]


def _inputs(bookings: int, seed: int = 7):
    schedule = schedule_from_json(
        {**{day: WEEKDAY_HOURS for day in ("mon", "tue", "wed", "thu", "fri")}, "sat": [["09:00", "13:00"]]},
        timezone="Europe/London",
    )
    overrides: list[DateOverride] = [
        override_from_json(day=date(2026, 9, 28), kind="off"),
        override_from_json(day=date(2026, 10, 4), kind="extra", intervals=[["10:00", "14:00"]]),
        override_from_json(day=date(2026, 10, 14), kind="extra", intervals=[["18:00", "21:00"]]),
    ]
    rng = random.Random(seed)
    busy = []
    for _ in range(bookings):
        day = NOW + timedelta(days=rng.randrange(61))
        start = day.replace(hour=rng.choice([8, 9, 10, 12, 13, 14, 15, 16]), minute=rng.choice([0, 30]))
        busy.append(Interval(start, start + timedelta(minutes=rng.choice([30, 60, 90]))))
    rng.shuffle(busy)  # the engine must not rely on callers sorting
    return schedule, overrides, busy


def _median_ms(function, runs: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=500)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    schedule, overrides, busy = _inputs(args.bookings)
    call = {
        "schedule": schedule,
        "overrides": overrides,
        "busy": busy,
        "duration": timedelta(minutes=60),
        "rules": BookingRules(),  # 15 min buffer, 24 h notice, 60-day horizon, 30 min grid
        "now": NOW,
    }
    all_ms, slots = _median_ms(lambda: free_slots(**call), args.runs)
    next_ms, first = _median_ms(lambda: next_free_slot(**call), args.runs)
    assert first == (slots[0] if slots else None)
    print(f"free_slots: {all_ms:.2f} ms median of {args.runs} runs; {len(slots)} slots, {len(busy)} bookings, 60 days")
    print(f"next_free_slot: {next_ms:.3f} ms median; first slot {first.start.isoformat() if first else None}")


if __name__ == "__main__":
    main()
