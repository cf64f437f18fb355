"""Reads for bookings: busy intervals (the marketplace's slot hook), lists and details, alternatives.

Every list here runs a fixed number of queries whatever the number of bookings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Window
from django.http import Http404
from django.utils import timezone

from ai_tools.models import AIRun, Document
from expert_marketplace.availability import Interval
from expert_marketplace.selectors import expert_free_slots

from .models import Booking

S = Booking.Status
# The largest buffer an expert can set (ExpertProfile.buffer_minutes validator): a booking that
# ends this long before a window still widens into it.
_BUFFER_MARGIN = dt.timedelta(minutes=120)


def active_q(*, now: dt.datetime) -> Q:
    """Bookings that occupy the expert's time at `now`: confirmed, or pending with a live hold."""
    return Q(status=S.CONFIRMED) | Q(status=S.PENDING_PAYMENT, hold_expires_at__gt=now)


def booking_busy_intervals(
    *,
    expert_ids: Iterable[int],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime | None = None,
    exclude_booking_ids: Iterable[int] = (),
) -> dict[int, list[Interval]]:
    """{expert_id: [Interval]} of active bookings near [start, end). One query for any number of experts."""
    now = now or start
    qs = Booking.objects.filter(
        active_q(now=now),
        expert_id__in=list(expert_ids),
        start_at__lt=end + _BUFFER_MARGIN,
        end_at__gt=start - _BUFFER_MARGIN,
    )
    exclude = list(exclude_booking_ids)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    busy: dict[int, list[Interval]] = defaultdict(list)
    for expert_id, start_at, end_at in qs.values_list("expert_id", "start_at", "end_at"):
        busy[expert_id].append(Interval(start_at, end_at))
    return dict(busy)


def busy_provider(*, expert_ids, start, end) -> dict[int, list[Interval]]:
    """Registered with expert_marketplace.selectors.register_busy_provider (BookingsConfig.ready).

    The marketplace always asks from `now` onwards, so `start` is also the instant a pending hold
    is judged live at.
    """
    return booking_busy_intervals(expert_ids=expert_ids, start=start, end=end, now=start)


def booking_alternatives(*, session_type, around: dt.datetime, now: dt.datetime, limit: int = 6) -> list[dt.datetime]:
    """Up to `limit` free starts (UTC) of this session type nearest to `around`, in time order."""
    expert = session_type.expert
    slots = expert_free_slots(
        expert=expert, duration=dt.timedelta(minutes=session_type.duration_minutes), now=now, days=None
    )
    starts = [slot.start for slot in slots if slot.start != around]
    starts.sort(key=lambda start: (abs(start - around), start))
    return sorted(starts[:limit])


# --- lists and details ---------------------------------------------------------------------------

_DOC_FIELDS = ("id", "owner_id", "kind", "original_filename", "size_bytes", "page_count", "created_at")
_RUN_FIELDS = ("id", "user_id", "tool", "status", "headline", "created_at", "document_id")


def _with_parties(qs: QuerySet[Booking]) -> QuerySet[Booking]:
    return qs.select_related("expert", "expert__user", "session_type", "client", "payment")


def with_shared(qs: QuerySet[Booking]) -> QuerySet[Booking]:
    return qs.prefetch_related(
        Prefetch("shared_documents", queryset=Document.objects.only(*_DOC_FIELDS)),
        Prefetch("shared_analyses", queryset=AIRun.objects.only(*_RUN_FIELDS)),
    )


def _upcoming_or_past(qs: QuerySet[Booking], *, when: str, now: dt.datetime, statuses_upcoming: Q) -> QuerySet:
    if when == "upcoming":
        return qs.filter(statuses_upcoming, end_at__gt=now).order_by("start_at", "id")
    if when == "past":
        return qs.exclude(statuses_upcoming & Q(end_at__gt=now)).order_by("-start_at", "-id")
    raise ValueError(f'when must be "upcoming" or "past", not {when!r}')


def bookings_for_client(*, client, when: str, now: dt.datetime | None = None) -> QuerySet[Booking]:
    """The client's bookings. Upcoming: confirmed or held (live hold) and not over, soonest first.
    Past: everything else, newest first — except holds that ran out unpaid (an expired booking is
    listed only when money was taken for it, i.e. a late payment that was refunded)."""
    now = now or timezone.now()
    qs = Booking.objects.filter(client=client)
    qs = qs.exclude(Q(status=S.EXPIRED) & (Q(payment__isnull=True) | Q(payment__succeeded_at__isnull=True)))
    qs = qs.exclude(status=S.PENDING_PAYMENT, hold_expires_at__lte=now)
    # A queryset, so the list page's paginator fetches only the rows it shows.
    return _with_parties(_upcoming_or_past(qs, when=when, now=now, statuses_upcoming=active_q(now=now)))


def client_booking_page(*, client, when: str, number: int, per_page: int, now: dt.datetime) -> Page:
    """One page of the client's list (a count and a row query). Whole rows: a column list here bought
    nothing measurable (32.1 ms uncached render either way at 100k bookings) and had to match the template."""
    qs = bookings_for_client(client=client, when=when, now=now)
    qs = qs.select_related(None).select_related("expert", "session_type")
    return Paginator(qs, per_page).get_page(number)


def client_next_booking(*, client, now: dt.datetime) -> tuple[Booking | None, int]:
    """The client's next confirmed booking that is not over, and how many there are (one query)."""
    first = (
        Booking.objects.filter(client=client, status=S.CONFIRMED, end_at__gt=now)
        .select_related("expert")
        .only("id", "start_at", "expert", "expert__display_name")
        .annotate(upcoming_total=Window(Count("id")))
        .order_by("start_at", "id")
        .first()
    )
    return (first, first.upcoming_total) if first else (None, 0)


def booking_for_client(*, client, pk) -> Booking:
    """One of the client's bookings with everything its page shows; Http404 for anyone else's."""
    booking = with_shared(_with_parties(Booking.objects.filter(client=client))).filter(pk=pk).first()
    if booking is None:
        raise Http404("No such booking.")
    return booking


def bookings_for_expert(*, expert, when: str, now: dt.datetime | None = None) -> QuerySet[Booking]:
    """The expert's paid bookings (holds are not theirs yet), with the client and what they shared."""
    now = now or timezone.now()
    qs = Booking.objects.filter(expert=expert).exclude(status__in=[S.PENDING_PAYMENT, S.EXPIRED])
    qs = _upcoming_or_past(qs, when=when, now=now, statuses_upcoming=Q(status=S.CONFIRMED))
    return with_shared(_with_parties(qs))


def booking_for_expert(*, expert, pk) -> Booking:
    booking = (
        with_shared(_with_parties(Booking.objects.filter(expert=expert)))
        .exclude(status__in=[S.PENDING_PAYMENT, S.EXPIRED])
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404("No such booking.")
    return booking


def booking_events(*, booking) -> list:
    return list(booking.events.select_related("actor").order_by("created_at", "id"))


# Paid bookings: only their expert may see what the client shared (documents, analyses, the readiness plan).
SHARED_WITH_EXPERT_STATUSES = (S.CONFIRMED, S.COMPLETED, S.NO_SHOW_CLIENT, S.NO_SHOW_EXPERT)


def document_ids_shared_with_expert_user(*, user) -> QuerySet:
    """Ids of documents clients shared with bookings of the expert `user` is (a subquery, not evaluated)."""
    from .models import BookingDocument

    return BookingDocument.objects.filter(
        booking__expert__user=user, booking__status__in=SHARED_WITH_EXPERT_STATUSES
    ).values("document_id")


def bookings_shareable_by_client(*, client) -> QuerySet[Booking]:
    """The client's paid bookings, whose experts they may share things with (newest first)."""
    return (
        Booking.objects.filter(client=client, status__in=SHARED_WITH_EXPERT_STATUSES)
        .select_related("expert", "session_type")
        .order_by("-start_at")
    )


def booking_ids_shared_with_expert_user(*, user) -> QuerySet:
    """Ids of paid bookings where ``user`` is the expert (a subquery)."""
    return Booking.objects.filter(expert__user=user, status__in=SHARED_WITH_EXPERT_STATUSES).values("pk")


# --- the expert's calendar feed -------------------------------------------------------------------

FEED_PAST = dt.timedelta(days=90)
FEED_STATUSES = (S.CONFIRMED, S.COMPLETED, S.NO_SHOW_CLIENT, S.NO_SHOW_EXPERT, S.CANCELLED_BY_CLIENT)
FEED_STATUSES += (S.CANCELLED_BY_EXPERT, S.REFUNDED)
# Shown as STATUS:CANCELLED (a refund by staff also calls the session off).
FEED_CANCELLED = frozenset({S.CANCELLED_BY_CLIENT, S.CANCELLED_BY_EXPERT, S.REFUNDED})


def expert_feed_bookings(*, expert_id: int, now: dt.datetime) -> list[Booking]:
    """The bookings in an expert's calendar feed (paid ones, from 90 days ago on). One query.

    Unpaid holds and expired ones never were the expert's appointments."""
    return list(
        _with_parties(Booking.objects.filter(expert_id=expert_id, status__in=FEED_STATUSES))
        .filter(end_at__gte=now - FEED_PAST)
        .order_by("start_at", "id")
    )


# --- messages ------------------------------------------------------------------------------------


def booking_thread(*, booking) -> list:
    """The booking's messages, oldest first, with their attachments' names (one query)."""
    from .models import BookingMessage

    return list(
        BookingMessage.objects.filter(booking=booking)
        .select_related("attachment")
        .only(
            "id",
            "booking_id",
            "sender_role",
            "body",
            "created_at",
            "read_at",
            "attachment__id",
            "attachment__original_filename",
            "attachment__size_bytes",
        )
        .order_by("created_at", "id")
    )


def message_attachment_ids_for_user(*, user) -> QuerySet:
    """Ids of documents attached to messages of bookings ``user`` is a side of (a subquery): both
    sides of a thread may download its attachments."""
    from .models import BookingMessage

    return BookingMessage.objects.filter(
        Q(booking__client=user) | Q(booking__expert__user=user), attachment__isnull=False
    ).values("attachment_id")


# --- what apps above share with a booking's expert (the readiness plan, a refusal review) ----------

_expert_share_providers: list = []


def register_expert_shares(provider) -> None:
    """An app above bookings lists what a client shared with an expert's booking through it:
    ``provider(booking_id=...)`` returns [(label, url)] (one query), shown on the expert's page of the
    booking (applications registers the readiness plan and the refusal review from its ready())."""
    if provider not in _expert_share_providers:
        _expert_share_providers.append(provider)


def expert_shares(*, booking) -> list[tuple[str, str]]:
    """[(label, url)] registered for this booking; nothing unless it is paid (SHARED_WITH_EXPERT_STATUSES)."""
    if booking.status not in SHARED_WITH_EXPERT_STATUSES:
        return []
    return [item for provider in _expert_share_providers for item in provider(booking_id=booking.pk)]


def shared_analysis_for_expert(*, expert, booking_id: int, run_id: int):
    """A finished CV analysis the client shared with the expert's paid booking ``booking_id``; Http404 otherwise."""
    run = (
        AIRun.objects.filter(
            pk=run_id,
            tool=AIRun.Tool.CV_ANALYSIS,
            status=AIRun.Status.SUCCEEDED,
            result__isnull=False,
            shared_in_bookings__pk=booking_id,
            shared_in_bookings__expert=expert,
            shared_in_bookings__status__in=SHARED_WITH_EXPERT_STATUSES,
        )
        .select_related("document")
        .defer("document__text")
        .first()
    )
    if run is None:
        raise Http404("Nothing shared with that id.")
    return run
