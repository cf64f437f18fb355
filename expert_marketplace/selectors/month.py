"""The month view of free times (profile and booking wizard): a month grid up to the expert's
horizon, then the chosen day's times, all in the viewer's zone.

Built from free starts (UTC) that the caller computed up to `window_end(...)`, so the work is one
month of slots whatever the horizon, and no query is run here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import dateformat

from ..availability import Interval, slots_by_local_day
from ..models import ExpertProfile


def expert_horizon_end(*, expert: ExpertProfile, now: dt.datetime) -> dt.datetime:
    """The last instant a slot may start: the one definition of an expert's booking horizon
    (the slot engine's BookingRules.horizon is built from the same field)."""
    return now + dt.timedelta(days=expert.horizon_days)


def _iso_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def parse_month(raw: str | None) -> dt.date | None:
    """'2027-03' as the first of that month (None for anything else)."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        return dt.date(year, month, 1) if 1 <= year <= 9998 else None
    except (ValueError, TypeError):
        return None


def parse_day(raw: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(raw) if raw else None
    except (ValueError, TypeError):
        return None
    return day if day and 1 < day.year < 9999 else None


def _month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _add_month(first: dt.date, n: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MonthTarget:
    """Which month to show and what to say about the request (a date beyond the horizon...)."""

    month: dt.date  # first of the month, in the viewer's zone
    wanted: dt.date | None  # a date the visitor asked for (only when it can be shown)
    notice: str
    explicit: bool  # the visitor chose the month or the date (else: jump to the first free month)


def month_target(
    *,
    tz: zoneinfo.ZoneInfo,
    now: dt.datetime,
    horizon_end: dt.datetime,
    requested_month: str | None = None,
    requested_date: str | None = None,
    preselected: dt.datetime | None = None,
) -> MonthTarget:
    today = now.astimezone(tz).date()
    last = horizon_end.astimezone(tz).date()
    first_month, last_month = today.replace(day=1), last.replace(day=1)
    limit = f"Bookings open up to {(last - today).days} days ahead, until {dateformat.format(last, 'l j F Y')}."
    day = parse_day(requested_date)
    if requested_date and day is not None:
        label = dateformat.format(day, "l j F Y")
        if day < today:
            return MonthTarget(first_month, None, f"{label} has passed. Pick a date from today on.", True)
        if day > last:
            return MonthTarget(last_month, None, f"{label} is too far ahead. {limit}", True)
        return MonthTarget(day.replace(day=1), day, "", True)
    month = parse_month(requested_month)
    if requested_month and month is not None:
        if month < first_month:
            return MonthTarget(first_month, None, "", True)
        if month > last_month:
            return MonthTarget(last_month, None, f"{dateformat.format(month, 'F Y')} is too far ahead. {limit}", True)
        return MonthTarget(month, None, "", True)
    if preselected is not None:
        local = preselected.astimezone(tz).date()
        if today <= local <= last:
            return MonthTarget(local.replace(day=1), local, "", True)
    return MonthTarget(first_month, None, "", False)


def window_end(*, target: MonthTarget, tz: zoneinfo.ZoneInfo, horizon_end: dt.datetime) -> dt.datetime:
    """Slots are needed up to the end of the shown month (never past the horizon)."""
    following = _add_month(target.month, 1)
    return min(horizon_end, dt.datetime.combine(following, dt.time(0), tzinfo=tz).astimezone(dt.UTC))


@dataclass(frozen=True)
class MonthDay:
    day: dt.date
    count: int
    state: str  # "free", "full" (bookable date, no free time), "past", "beyond" (after the horizon), "other" (padding)
    selected: bool

    @property
    def iso(self) -> str:
        return self.day.isoformat()


@dataclass
class MonthPicker:
    tz: zoneinfo.ZoneInfo
    month: dt.date
    weeks: list[list[MonthDay]]
    prev_month: str
    next_month: str
    selected: dt.date | None
    last_day: dt.date
    notice: str = ""
    times: list[tuple[dt.datetime, str]] = field(default_factory=list)  # (local start, ISO UTC)
    preselected: str = ""

    @property
    def month_key(self) -> str:
        return _month_key(self.month)

    @property
    def days(self) -> list[MonthDay]:
        return [d for week in self.weeks for d in week if d.state != "other"]

    @property
    def has_any(self) -> bool:
        return any(d.count for d in self.days)

    @property
    def free_days(self) -> int:
        return sum(1 for d in self.days if d.count)

    @property
    def announcement(self) -> str:
        """What a screen reader hears after a swap (base.html's live region)."""
        prefix = f"{self.notice} " if self.notice else ""
        if self.selected is None:
            n = self.free_days
            what = f"{n} date{'' if n == 1 else 's'} with free times" if n else "no free times"
            return f"{prefix}{self.month:%B %Y}: {what}."
        n = len(self.times)
        return (
            f"{prefix}{self.selected:%A} {self.selected.day} {self.selected:%B}: {n} free time{'' if n == 1 else 's'}."
        )


def month_picker(
    *,
    starts: Iterable[dt.datetime],
    tz: zoneinfo.ZoneInfo,
    now: dt.datetime,
    horizon_end: dt.datetime,
    target: MonthTarget,
    preselected: dt.datetime | None = None,
) -> MonthPicker:
    """The grid of `target.month` (weeks from Monday) and the times of the chosen date: the wanted
    date if it has times, else the preselected slot's, else the month's first free date."""
    today = now.astimezone(tz).date()
    last = horizon_end.astimezone(tz).date()
    by_day = slots_by_local_day([Interval(s, s) for s in starts], timezone=str(tz))
    month = target.month
    in_month = {d: v for d, v in by_day.items() if (d.year, d.month) == (month.year, month.month)}
    notice = target.notice
    chosen = None
    if target.wanted is not None:
        if target.wanted in in_month:
            chosen = target.wanted
        elif not notice:
            notice = f"No free times on {dateformat.format(target.wanted, 'l j F')}."
    if chosen is None and preselected is not None and preselected.astimezone(tz).date() in in_month:
        chosen = preselected.astimezone(tz).date()
    if chosen is None and in_month:
        chosen = min(in_month)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        row = []
        for day in week:
            if day.month != month.month:
                state = "other"
            elif day < today:
                state = "past"
            elif day > last:
                state = "beyond"
            else:
                state = "free" if day in in_month else "full"
            row.append(MonthDay(day, len(in_month.get(day, [])) if state == "free" else 0, state, day == chosen))
        weeks.append(row)
    previous, following = _add_month(month, -1), _add_month(month, 1)
    return MonthPicker(
        tz=tz,
        month=month,
        weeks=weeks,
        prev_month=_month_key(previous) if previous >= today.replace(day=1) else "",
        next_month=_month_key(following) if following <= last else "",
        selected=chosen,
        last_day=last,
        notice=notice,
        times=[(local, _iso_utc(local)) for local in in_month.get(chosen, [])],
        preselected=_iso_utc(preselected) if preselected else "",
    )


def month_view(
    *,
    starts_until,
    tz: zoneinfo.ZoneInfo,
    now: dt.datetime,
    horizon_end: dt.datetime,
    requested_month: str | None = None,
    requested_date: str | None = None,
    preselected: dt.datetime | None = None,
) -> tuple[MonthPicker, list[dt.datetime]]:
    """The month picker and the free starts it was built from.

    `starts_until(end)` returns the free starts (UTC) from now until `end`. Only the shown month
    is computed; when the visitor asked for nothing and this month has no free time, the whole
    horizon is, to open on the first month that has some."""
    target = month_target(
        tz=tz,
        now=now,
        horizon_end=horizon_end,
        requested_month=requested_month,
        requested_date=requested_date,
        preselected=preselected,
    )
    starts = list(starts_until(window_end(target=target, tz=tz, horizon_end=horizon_end)))
    month = (target.month.year, target.month.month)
    if not target.explicit and not any((s.astimezone(tz).year, s.astimezone(tz).month) == month for s in starts):
        starts = list(starts_until(horizon_end))
        if starts:
            first = min(starts).astimezone(tz).date()
            target = MonthTarget(first.replace(day=1), None, "", True)
    picker = month_picker(
        starts=starts, tz=tz, now=now, horizon_end=horizon_end, target=target, preselected=preselected
    )
    return picker, starts
