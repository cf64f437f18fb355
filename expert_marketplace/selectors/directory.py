"""The public directory and an expert's public profile page."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F, Min, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils.functional import cached_property

from core import fragments
from core.timezones import is_valid_timezone

from ..models import ExpertProfile, SessionType
from .month import MonthPicker, expert_horizon_end, month_view, parse_day, parse_month
from .slots import expert_busy_intervals, expert_free_slots, upcoming_overrides_prefetch

# --- directory and public profile -------------------------------------------------------------

SORTS = {
    "rating": "Highest rated",
    "price": "Lowest price",
    "next": "Next available",
}


def offered_session_type(*, raw_id: str | None) -> SessionType | None:
    """An active session of a listed expert by its id as given in a URL (None for anything else)."""
    if not (raw_id or "").isdigit():
        return None
    return (
        SessionType.objects.filter(is_active=True, expert__in=listed_experts(), pk=raw_id)
        .select_related("expert")
        .first()
    )


def listed_experts() -> QuerySet[ExpertProfile]:
    """Experts the public may see and book (ExpertProfile.LISTED)."""
    return ExpertProfile.objects.filter(ExpertProfile.LISTED)


def _with_session_summary(qs: QuerySet[ExpertProfile]) -> QuerySet[ExpertProfile]:
    active = Q(session_types__is_active=True)
    return qs.annotate(
        min_price_pence=Min("session_types__price_pence", filter=active),
        min_duration_minutes=Min("session_types__duration_minutes", filter=active),
    )


def directory_experts(
    *,
    expertise: str = "",
    language: str = "",
    max_price_pence: int | None = None,
    sort: str = "rating",
) -> QuerySet[ExpertProfile]:
    """The directory list: cards only (long fields deferred; the next slot is the cached next_slot_at)."""
    qs = listed_experts()
    if expertise:
        qs = qs.filter(expertise_areas__slug=expertise)
    if language:
        qs = qs.filter(languages__code=language)
    qs = _with_session_summary(qs)
    if max_price_pence is not None:
        qs = qs.filter(min_price_pence__lte=max_price_pence)
    if sort == "price":
        order = [F("min_price_pence").asc(nulls_last=True), "-rating_avg", "display_name", "pk"]
    elif sort == "next":
        order = [F("next_slot_at").asc(nulls_last=True), "-rating_avg", "display_name", "pk"]
    else:
        order = ["-rating_avg", "-rating_count", "display_name", "pk"]
    # Cards read the cached next_slot_at, so no overrides; nor the long fields no card shows.
    return qs.order_by(*order).defer(*_CARD_UNUSED_FIELDS).prefetch_related("expertise_areas", "languages")


_CARD_UNUSED_FIELDS = (
    "bio",
    "weekly_schedule",
    "requirements_due",
    "rejection_reason",
    "calendar_import_busy",
    "calendar_import_url",
    "calendar_import_error",
)

# The directory's own query parameters: the cached list is keyed on them and its links carry them.
DIRECTORY_QUERY_KEYS = ("expertise", "language", "max_price", "sort", "tz")


def directory_query(params: QueryDict) -> QueryDict:
    """The directory's parameters from a request's query: the last value of each, without empty
    ones or anything else (page, tracking parameters). The filter form is bound to this, so the
    cached HTML is a function of it."""
    query = QueryDict(mutable=True)
    for key in DIRECTORY_QUERY_KEYS:
        value = params.get(key, "")
        if value:
            query[key] = value
    return query


def page_number(raw: str | None) -> int:
    """The ?page= value as Paginator.get_page reads it (anything that is not an integer is page 1)."""
    try:
        return int(raw or 1)
    except (TypeError, ValueError):
        return 1


class DirectoryListing:
    """The directory's filter form and one page of results, built on first use.

    The view hands this to the template, which touches it only inside the cached fragment: a
    cached page runs none of these queries.
    """

    def __init__(self, *, query: QueryDict, page_number: int, page_size: int):
        self.query = query
        self.page_number = page_number
        self.page_size = page_size

    @cached_property
    def form(self):
        from ..forms import DirectoryFilterForm  # forms import this module

        return DirectoryFilterForm(self.query or None)

    @cached_property
    def filters(self) -> dict:
        return self.form.filters() if self.form.is_valid() else {}

    @cached_property
    def filtered(self) -> bool:
        return any(v for k, v in self.filters.items() if k != "sort")

    @cached_property
    def page(self):
        return Paginator(directory_experts(**self.filters), self.page_size).get_page(self.page_number)

    @cached_property
    def experts(self) -> list[ExpertProfile]:
        experts = list(self.page.object_list)
        for expert in experts:
            # The cached column (refreshed whenever availability, sessions or bookings change, and
            # every 15 min by beat): computing 20 experts' slots live cost ~60 ms per directory
            # page at 100k bookings. The profile page behind each card shows live slots.
            expert.next_slot = expert.next_slot_at
        return experts


@dataclass(frozen=True)
class ExpertHead:
    """What a profile page needs outside its cached body: the key, the title and 404s."""

    pk: int
    slug: str
    display_name: str
    headline: str


def expert_public_head(*, slug: str) -> ExpertHead:
    """A listed expert's id, slug, name and headline, or Http404.

    Kept in the cache under the directory's generation: whether a slug is listed, and its name
    and headline, change only through the profile services and the admin, which bump the directory
    (core.fragments.expert_pages). A cached profile page then runs no query at all.
    """
    key = f"expert-public-head:{fragments.generation(fragments.DIRECTORY)}:{slug}"
    head = cache.get(key)
    if head is None:
        row = listed_experts().filter(slug=slug).order_by().values_list("pk", "slug", "display_name", "headline")[:1]
        row = next(iter(row), None)
        if row is None:
            raise Http404("No such expert.")  # not cached: unknown slugs must not fill the cache
        head = ExpertHead(*row)
        cache.set(key, head, fragments.FRAGMENT_SECONDS)
    return head


def expert_public_get(*, slug: str | None = None, pk: int | None = None) -> ExpertProfile:
    """A listed expert with everything the profile page shows, or Http404."""
    qs = listed_experts().prefetch_related(
        "expertise_areas",
        "languages",
        upcoming_overrides_prefetch(),
        Prefetch("session_types", queryset=SessionType.objects.filter(is_active=True), to_attr="active_sessions"),
    )
    expert = (qs.filter(slug=slug) if pk is None else qs.filter(pk=pk)).first()
    if expert is None:
        raise Http404("No such expert.")
    return expert


class ExpertProfilePage:
    """The public profile's body (sessions, the chosen session's month of free times, reviews),
    built on first use: the template touches it only inside the cached fragment."""

    def __init__(
        self,
        *,
        expert_id: int,
        session: str,
        viewer_tz: zoneinfo.ZoneInfo,
        now: dt.datetime,
        month: str = "",
        date: str = "",
    ):
        self.expert_id = expert_id
        self.session = session
        self.viewer_tz = viewer_tz
        self.now = now
        self.month = month
        self.date = date

    @cached_property
    def expert(self) -> ExpertProfile:
        return expert_public_get(pk=self.expert_id)

    @cached_property
    def sessions(self) -> list[SessionType]:
        return self.expert.active_sessions

    @cached_property
    def chosen(self) -> SessionType | None:
        sessions = self.sessions
        return next((s for s in sessions if str(s.pk) == self.session), sessions[0] if sessions else None)

    @cached_property
    def picker(self) -> MonthPicker | None:
        """The month grid up to the expert's horizon and the chosen day's times (one busy-hook call)."""
        if self.chosen is None:
            return None
        expert, now = self.expert, self.now
        horizon_end = expert_horizon_end(expert=expert, now=now)
        busy = expert_busy_intervals(expert_ids=[expert.pk], start=now, end=horizon_end).get(expert.pk, [])
        overrides = list(expert.overrides.all())
        duration = dt.timedelta(minutes=self.chosen.duration_minutes)

        def starts_until(end):
            slots = expert_free_slots(
                expert=expert, duration=duration, now=now, until=end, overrides=overrides, busy=busy
            )
            return [slot.start for slot in slots]

        picker, _ = month_view(
            starts_until=starts_until,
            tz=self.viewer_tz,
            now=now,
            horizon_end=horizon_end,
            requested_month=self.month,
            requested_date=self.date,
        )
        return picker


def session_param(raw: str | None) -> str:
    """?session= as a key: only digits can match a session id; anything else means the first."""
    return raw if raw and raw.isdigit() else ""


def month_param(raw: str | None) -> str:
    """?month= as a cache-key-safe 'YYYY-MM' ('' for anything else)."""
    month = parse_month(raw)
    return f"{month.year:04d}-{month.month:02d}" if month else ""


def date_param(raw: str | None) -> str:
    """?date= as a cache-key-safe ISO date ('' for anything else)."""
    day = parse_day(raw)
    return day.isoformat() if day else ""


def zone_param(raw: str | None) -> str:
    """?tz= as a known zone name ('' for anything else)."""
    return raw if raw and is_valid_timezone(raw) else ""
