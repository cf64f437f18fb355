"""The review deadline: decision date + 28 days, the whole last day counting, in the applicant's time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from . import rules


@dataclass(frozen=True)
class Deadline:
    last_day: dt.date  # the last day a review can be requested (local)
    closes_at: dt.datetime  # the instant the window closes: midnight after last_day, local, aware
    days_left: int  # whole local days from today to last_day (0 = today is the last day; <0 = passed)
    zone: str

    @property
    def passed(self) -> bool:
        return self.days_left < 0

    @property
    def urgent(self) -> bool:
        return 0 <= self.days_left <= min(rules.REMINDER_DAYS_BEFORE)

    @property
    def closes_at_utc_iso(self) -> str:
        return self.closes_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def review_deadline(decision_date: dt.date, *, zone: zoneinfo.ZoneInfo, now: dt.datetime) -> Deadline:
    """``now`` is aware (any zone). Midnight is taken on the local wall clock, so a DST change between the
    decision and the deadline moves the UTC instant, not the local day."""
    last_day = decision_date + dt.timedelta(days=rules.REVIEW_WINDOW_DAYS)
    closes_at = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    today = now.astimezone(zone).date()
    return Deadline(last_day=last_day, closes_at=closes_at, days_left=(last_day - today).days, zone=zone.key)
