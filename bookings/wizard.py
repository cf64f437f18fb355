"""The booking wizard's server-side state and the reads its steps need.

State lives in the session under one key and holds the client's step choices only
(expertise, length, expert/session type, a slot picked on an expert's profile). Every step
is a GET-able page that re-renders from it, so back/forward and reloads are safe. Nothing
here writes to the database: holding a slot is bookings.services.booking_hold.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from django.db.models import Count, Max, Min, Prefetch

from core.money import format_pence
from expert_marketplace.models import ExpertiseArea, ExpertProfile, SessionType
from expert_marketplace.selectors import (
    MonthPicker,
    expert_busy_intervals,
    expert_free_slots,
    expert_horizon_end,
    experts_next_slot,
    listed_experts,
    month_view,
    upcoming_overrides_prefetch,
)

SESSION_KEY = "booking_wizard"
ANY_EXPERT = "any"


def _short(pence: int) -> str:
    text = format_pence(pence)
    return text[:-3] if text.endswith(".00") else text


def price_range_label(low: int, high: int) -> str:
    """£50, or £50–£120 (whole pounds without pence)."""
    return _short(low) if low == high else f"{_short(low)}–{_short(high)}"


# --- state -----------------------------------------------------------------------------------


@dataclass
class WizardState:
    area: str = ""  # expertise slug; "" means any expertise
    minutes: int | None = None  # session length
    expert: str = ""  # str(expert id), or ANY_EXPERT
    session: int | None = None  # session type id (a specific expert only)
    start: str = ""  # a slot picked on the expert's public profile, ISO 8601 UTC

    @classmethod
    def load(cls, request) -> WizardState:
        raw = request.session.get(SESSION_KEY) or {}
        state = cls()
        try:
            state.area = str(raw.get("area") or "")
            state.minutes = int(raw["minutes"]) if raw.get("minutes") else None
            state.expert = str(raw.get("expert") or "")
            state.session = int(raw["session"]) if raw.get("session") else None
            state.start = str(raw.get("start") or "")
        except (TypeError, ValueError):
            return cls()
        return state

    def save(self, request) -> None:
        request.session[SESSION_KEY] = asdict(self)

    @staticmethod
    def clear(request) -> None:
        request.session.pop(SESSION_KEY, None)

    @property
    def is_any(self) -> bool:
        return self.expert == ANY_EXPERT

    @property
    def expert_id(self) -> int | None:
        return int(self.expert) if self.expert.isdigit() else None

    def has_length(self) -> bool:
        return bool(self.minutes)

    def has_expert(self) -> bool:
        return self.has_length() and (self.is_any or (self.expert_id is not None and self.session is not None))


# Instants outside these bounds are refused as unreadable: no slot lies there, and near the ends of
# datetime's range converting to a viewer's zone overflows (year 1 in New York, 9999 in Tokyo).
EARLIEST_START = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST_START = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)


def parse_start(value: str | None) -> dt.datetime | None:
    """An ISO 8601 instant from a form or query string as an aware UTC datetime (None if unusable)."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace(" ", "+"))
        if parsed.tzinfo is None:
            return None
        parsed = parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None
    return parsed if EARLIEST_START <= parsed < LATEST_START else None


def iso_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


# --- step 1: expertise and length ------------------------------------------------------------


@dataclass(frozen=True)
class LengthOption:
    minutes: int
    min_price_pence: int
    max_price_pence: int
    expert_count: int

    @property
    def key(self) -> str:
        return str(self.minutes)

    @property
    def price_label(self) -> str:
        return price_range_label(self.min_price_pence, self.max_price_pence)


def _bookable_session_types(*, area: str = ""):
    qs = SessionType.objects.filter(is_active=True, expert__in=listed_experts())
    if area:
        qs = qs.filter(expert__expertise_areas__slug=area)
    return qs


def bookable_areas() -> list[ExpertiseArea]:
    """Active expertise areas with at least one bookable expert (one query)."""
    ids = _bookable_session_types().values("expert__expertise_areas")
    return list(ExpertiseArea.objects.filter(is_active=True, pk__in=ids))


def length_options(*, area: str = "") -> list[LengthOption]:
    """Session lengths on offer (optionally within one expertise), with price range and expert count."""
    rows = (
        _bookable_session_types(area=area)
        .values("duration_minutes")
        .annotate(low=Min("price_pence"), high=Max("price_pence"), experts=Count("expert", distinct=True))
        .order_by("duration_minutes")
    )
    return [LengthOption(r["duration_minutes"], r["low"], r["high"], r["experts"]) for r in rows]


# --- step 2: experts ------------------------------------------------------------------------


@dataclass
class ExpertOption:
    expert: ExpertProfile
    session_types: list[SessionType]  # active, of the chosen length, cheapest first
    next_slot: dt.datetime | None = None

    @property
    def cheapest(self) -> SessionType:
        return self.session_types[0]


def _experts_offering(*, area: str, minutes: int, now: dt.datetime, expert_id: int | None = None):
    qs = listed_experts().filter(
        pk__in=SessionType.objects.filter(is_active=True, duration_minutes=minutes).values("expert_id")
    )
    if area:
        qs = qs.filter(pk__in=ExpertiseArea.objects.filter(slug=area).values("experts"))
    if expert_id is not None:
        qs = qs.filter(pk=expert_id)
    return qs.order_by("-rating_avg", "-rating_count", "display_name", "pk").prefetch_related(
        "expertise_areas",
        "languages",
        upcoming_overrides_prefetch(now=now),
        Prefetch(
            "session_types",
            queryset=SessionType.objects.filter(is_active=True, duration_minutes=minutes).order_by("price_pence", "pk"),
            to_attr="matching_sessions",
        ),
    )


def expert_options(*, area: str, minutes: int, now: dt.datetime, with_next_slot: bool = True) -> list[ExpertOption]:
    """Listed experts offering this length (within the expertise, if any), best rated first."""
    experts = list(_experts_offering(area=area, minutes=minutes, now=now))
    options = [ExpertOption(e, list(e.matching_sessions)) for e in experts if e.matching_sessions]
    if with_next_slot and options:
        nexts = experts_next_slot(
            experts=[o.expert for o in options], now=now, durations={o.expert.pk: minutes for o in options}
        )
        for option in options:
            option.next_slot = nexts.get(option.expert.pk)
    return options


def single_expert_option(*, expert_id: int, session_id: int, minutes: int, now: dt.datetime) -> ExpertOption | None:
    """The chosen expert with the chosen session type, if both are still bookable."""
    expert = _experts_offering(area="", minutes=minutes, now=now, expert_id=expert_id).first()
    if expert is None:
        return None
    session = next((s for s in expert.matching_sessions if s.pk == session_id), None)
    return ExpertOption(expert, [session]) if session else None


def price_range(options: Sequence[ExpertOption]) -> tuple[int, int] | None:
    prices = [o.cheapest.price_pence for o in options]
    return (min(prices), max(prices)) if prices else None


# --- step 3: slots --------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """Who would take a slot: an expert and the session type booked with them."""

    expert: ExpertProfile
    session_type: SessionType


def _candidate_order(c: Candidate):
    # "Any available expert": the highest rated, then the lowest price, then a stable tie-break.
    return (-float(c.expert.rating_avg), -c.expert.rating_count, c.session_type.price_pence, c.expert.pk)


def horizon_end(*, options: Sequence[ExpertOption], now: dt.datetime) -> dt.datetime:
    """The furthest any of these experts takes bookings (each expert's own horizon still applies to their slots)."""
    return max((expert_horizon_end(expert=o.expert, now=now) for o in options), default=now)


def candidate_slots(
    *, options: Sequence[ExpertOption], now: dt.datetime, until: dt.datetime | None = None
) -> dict[dt.datetime, list[Candidate]]:
    """Free starts (UTC) across the options up to each expert's horizon (or `until`), each with the
    experts free then, best first.

    One busy-hook call for all experts; overrides come from the prefetch.
    """
    if not options:
        return {}
    end = min(until, horizon_end(options=options, now=now)) if until else horizon_end(options=options, now=now)
    busy = expert_busy_intervals(expert_ids=[o.expert.pk for o in options], start=now, end=end)
    merged: dict[dt.datetime, list[Candidate]] = defaultdict(list)
    for option in options:
        session = option.cheapest
        slots = expert_free_slots(
            expert=option.expert,
            duration=dt.timedelta(minutes=session.duration_minutes),
            now=now,
            until=end,
            overrides=option.expert.overrides.all(),
            busy=busy.get(option.expert.pk, []),
        )
        for slot in slots:
            merged[slot.start].append(Candidate(option.expert, session))
    for candidates in merged.values():
        candidates.sort(key=_candidate_order)
    return dict(sorted(merged.items()))


def time_picker(
    *,
    options: Sequence[ExpertOption],
    tz: zoneinfo.ZoneInfo,
    now: dt.datetime,
    requested_month: str | None = None,
    requested_date: str | None = None,
    preselected: dt.datetime | None = None,
    exclude: Iterable[dt.datetime] = (),
) -> tuple[MonthPicker, dict[dt.datetime, list[Candidate]]]:
    """The month view of the options' free times (only the shown month is computed) and those slots."""
    skip = set(exclude)
    computed: dict[dt.datetime, list[Candidate]] = {}

    def starts_until(end):
        computed.clear()
        computed.update(
            (k, v) for k, v in candidate_slots(options=options, now=now, until=end).items() if k not in skip
        )
        return list(computed)

    picker, _ = month_view(
        starts_until=starts_until,
        tz=tz,
        now=now,
        horizon_end=horizon_end(options=options, now=now),
        requested_month=requested_month,
        requested_date=requested_date,
        preselected=preselected if preselected is not None else None,
    )
    return picker, computed


def session_type_options(*, session_type: SessionType, now: dt.datetime) -> list[ExpertOption]:
    """One expert's session type as the time step's options (rescheduling)."""
    expert = (
        _experts_offering(
            area="", minutes=session_type.duration_minutes, now=now, expert_id=session_type.expert_id
        ).first()
        or session_type.expert
    )
    return [ExpertOption(expert, [session_type])]
