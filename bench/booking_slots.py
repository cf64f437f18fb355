"""p95 latency of the booking wizard's slot step with 500 bookings on one expert.

Not a test. Needs PostgreSQL (the production database); creates and drops its own database
`tv_bench_slots` through Django's test-database machinery, so it never touches real data:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tv_bookings python bench/booking_slots.py [--runs 50]

Seeds one expert who works every day 07:00-22:00 (Europe/London) with a 15-minute buffer and
500 confirmed 60-minute bookings spread over the next 60 days, then times, 50 runs each:
* the busy provider alone (one query: the bookings in the window as Intervals),
* expert_free_slots (busy provider + slot engine) for a 14-day and a 60-day window,
* the check booking_hold does under the expert lock (slot_is_offered: the whole horizon).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentvisa.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

BOOKINGS = 500
DAYS = 60


def _seed(now: dt.datetime):
    from accounts.tests.factories import UserFactory
    from bookings.models import Booking
    from expert_marketplace.tests.factories import ExpertProfileFactory, SessionTypeFactory

    every_day = {d: [["07:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    expert = ExpertProfileFactory(
        timezone="Europe/London", weekly_schedule=every_day, buffer_minutes=15, min_notice_hours=24, horizon_days=DAYS
    )
    session_type = SessionTypeFactory(expert=expert, duration_minutes=60, price_pence=9000)
    clients = [UserFactory(email=f"bench-slots-{i}@example.com") for i in range(20)]
    # 500 one-hour bookings over 60 days: ~8-9 a day, every 90 minutes from 07:00 UTC.
    first_day = (now + dt.timedelta(days=1)).replace(hour=7, minute=0, second=0, microsecond=0)
    rows = []
    for i in range(BOOKINGS):
        day, slot = divmod(i, 9)
        start = first_day + dt.timedelta(days=day * DAYS // 56, minutes=90 * slot)
        rows.append(
            Booking(
                client=clients[i % len(clients)],
                expert=expert,
                session_type=session_type,
                status=Booking.Status.CONFIRMED,
                start_at=start,
                end_at=start + dt.timedelta(hours=1),
                price_pence=9000,
                commission_bps=2000,
                confirmed_at=now,
            )
        )
    Booking.objects.bulk_create(rows)
    return expert, session_type


def _time(fn, runs: int) -> tuple[float, float, object]:
    fn()  # warm-up (connection, caches)
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]
    return statistics.median(samples), p95, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server: this benchmark measures the production database.")

    from bookings.models import Booking
    from bookings.selectors import busy_provider
    from bookings.services.core import slot_is_offered
    from expert_marketplace.models import ExpertProfile
    from expert_marketplace.selectors import expert_free_slots, upcoming_overrides_prefetch

    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "tv_bench_slots"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        now = dt.datetime.now(dt.UTC)
        expert, session_type = _seed(now)
        expert = ExpertProfile.objects.prefetch_related(upcoming_overrides_prefetch()).get(pk=expert.pk)
        hour = dt.timedelta(hours=1)
        assert Booking.objects.filter(expert=expert, status="confirmed").count() == BOOKINGS
        cases = {
            "busy provider, 60 days": lambda: busy_provider(
                expert_ids=[expert.pk], start=now, end=now + dt.timedelta(days=DAYS)
            ),
            "free slots 14 days (provider + engine)": lambda: expert_free_slots(
                expert=expert, duration=hour, now=now, days=14
            ),
            "free slots 60 days (provider + engine)": lambda: expert_free_slots(
                expert=expert, duration=hour, now=now, days=DAYS
            ),
            "booking_hold check (slot_is_offered)": lambda: slot_is_offered(
                expert=expert, start=now + dt.timedelta(days=30), duration=hour, now=now
            ),
        }
        print(
            f"{BOOKINGS} confirmed bookings on one expert, {args.runs} runs each, "
            f"PostgreSQL {connection.pg_version // 10000}"
        )
        for name, fn in cases.items():
            median, p95, result = _time(fn, args.runs)
            size = len(result) if hasattr(result, "__len__") else ""
            if isinstance(result, dict):
                size = sum(len(v) for v in result.values())
            print(f"{name:42s} median {median:7.2f} ms   p95 {p95:7.2f} ms   ({size} items)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
