"""Reads for consultations. Every list runs a fixed number of queries whatever its length."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from bookings.models import Booking
from bookings.selectors import with_shared

from . import policy
from .models import Consultation, Dispute, Earning, Review

BS = Booking.Status
TABS = {"upcoming": "Upcoming", "to_complete": "To complete", "past": "Past", "cancelled": "Cancelled"}
# Statuses an expert sees in their past tab (cancellations stay in the bookings list).
PAST_STATUSES = (BS.COMPLETED, BS.NO_SHOW_CLIENT, BS.NO_SHOW_EXPERT, BS.REFUNDED)


def _open_dispute_exists():
    return Exists(Dispute.objects.filter(booking_id=OuterRef("pk"), status__in=Dispute.OPEN_STATUSES))


def _expert_bookings(*, expert) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(expert=expert)
        .select_related("client", "session_type", "consultation", "review")
        .annotate(has_open_dispute=_open_dispute_exists())
    )


def expert_consultations(*, expert, tab: str, now: dt.datetime | None = None) -> QuerySet[Booking]:
    """upcoming: confirmed, not started; to_complete: confirmed and started; past: the rest that happened."""
    now = now or timezone.now()
    qs = _expert_bookings(expert=expert)
    if tab == "upcoming":
        return qs.filter(status=BS.CONFIRMED, start_at__gt=now).order_by("start_at", "pk")
    if tab == "to_complete":
        return qs.filter(status=BS.CONFIRMED, start_at__lte=now).order_by("start_at", "pk")
    if tab == "past":
        return qs.filter(status__in=PAST_STATUSES).order_by("-start_at", "-pk")
    if tab == "cancelled":
        return qs.filter(status__in=Booking.CANCELLED_STATUSES).order_by("-start_at", "-pk")
    raise ValueError(f"unknown tab {tab!r}")


def expert_tab_counts(*, expert, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return Booking.objects.filter(expert=expert).aggregate(
        upcoming=Count("pk", filter=Q(status=BS.CONFIRMED, start_at__gt=now)),
        to_complete=Count("pk", filter=Q(status=BS.CONFIRMED, start_at__lte=now)),
        past=Count("pk", filter=Q(status__in=PAST_STATUSES)),
        cancelled=Count("pk", filter=Q(status__in=Booking.CANCELLED_STATUSES)),
    )


def expert_booking_get(*, expert, booking_id: int) -> Booking:
    """One of the expert's paid bookings with its consultation, review, disputes and what the client
    shared; Http404 otherwise (another expert's, or one not paid yet)."""
    booking = (
        with_shared(_expert_bookings(expert=expert).select_related("expert", "payment"))
        .exclude(status__in=[BS.PENDING_PAYMENT, BS.EXPIRED])
        .prefetch_related(Prefetch("disputes", queryset=Dispute.objects.order_by("-created_at", "-pk")))
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise Http404("No such consultation.")
    return booking


def client_booking_get(*, client, booking_id: int) -> Booking:
    booking = (
        Booking.objects.filter(client=client)
        .exclude(status__in=[BS.PENDING_PAYMENT, BS.EXPIRED])
        .select_related("expert", "expert__user", "session_type", "consultation", "review")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise Http404("No such booking.")
    return booking


def consultation_of(booking: Booking) -> Consultation | None:
    try:
        return booking.consultation
    except Consultation.DoesNotExist:
        return None


def review_of(booking: Booking) -> Review | None:
    try:
        return booking.review
    except Review.DoesNotExist:
        return None


# --- earnings ------------------------------------------------------------------------------------


def expert_earnings(*, expert) -> QuerySet[Earning]:
    """The expert's ledger, newest first; `on_hold` marks rows held by an open dispute on their booking."""
    from .services.earnings import open_dispute_q

    return (
        Earning.objects.filter(expert=expert)
        .select_related("booking", "booking__client", "booking__session_type")
        .annotate(on_hold=open_dispute_q())
        .order_by("-created_at", "-pk")
    )


def earning_totals(*, earnings: QuerySet[Earning], paid_q: Q | None = None, **extra) -> dict[str, int]:
    """Net pence by status (after any held-back share of partial refunds), in one query.

    What the expert's earnings page and the staff dashboard both show, so they agree; `paid_q`
    narrows the paid total (the dashboard's period); `extra` aggregates ride on the same query."""

    def total(status, extra=None):
        where = Q(status=status) & (extra or Q())
        return Sum("net_pence", filter=where, default=0) - Sum("clawback_pence", filter=where, default=0)

    return earnings.aggregate(
        pending=total(Earning.Status.PENDING),
        available=total(Earning.Status.AVAILABLE),
        paid=total(Earning.Status.PAID, paid_q),
        reversed=Sum("net_pence", filter=Q(status=Earning.Status.REVERSED), default=0),
        **extra,
    )


def expert_earning_totals(*, expert) -> dict[str, int]:
    return earning_totals(earnings=Earning.objects.filter(expert=expert))


# --- reviews and disputes ------------------------------------------------------------------------


def expert_reviews(*, expert) -> QuerySet[Review]:
    return (
        Review.objects.filter(expert=expert)
        .select_related("client", "booking", "booking__session_type")
        .order_by("-created_at", "-pk")
    )


def expert_review_get(*, expert, review_id: int) -> Review:
    review = Review.objects.filter(expert=expert, pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    return review


def expert_public_reviews(*, expert, limit: int = 5) -> list[Review]:
    """The latest visible reviews for the public profile (one query)."""
    return list(
        Review.objects.filter(expert=expert, status=Review.Status.VISIBLE)
        .select_related("client")
        .order_by("-created_at", "-pk")[:limit]
    )


def expert_disputes(*, expert) -> QuerySet[Dispute]:
    return (
        Dispute.objects.filter(booking__expert=expert)
        .select_related("booking", "booking__client", "booking__session_type")
        .order_by("-created_at", "-pk")
    )


def expert_dispute_get(*, expert, dispute_id: int) -> Dispute:
    dispute = expert_disputes(expert=expert).filter(pk=dispute_id).first()
    if dispute is None:
        raise Http404("No such dispute.")
    return dispute


# --- the client's booking page ---------------------------------------------------------------------


@dataclass
class ClientActions:
    consultation: Consultation | None = None
    review: Review | None = None
    disputes: list[Dispute] = field(default_factory=list)
    can_review: bool = False
    can_dispute: bool = False
    dispute_deadline: dt.datetime | None = None

    @property
    def open_dispute(self) -> Dispute | None:
        return next((d for d in self.disputes if d.is_open), None)

    @property
    def shown(self) -> bool:
        return bool(
            self.can_review
            or self.can_dispute
            or self.review
            or self.disputes
            or (self.consultation and self.consultation.shared_notes)
        )


def client_actions(*, booking: Booking, user, now: dt.datetime | None = None) -> ClientActions:
    """What the client's booking page offers: review, report a problem, shared notes (2 queries)."""
    from .services.disputes import dispute_kinds_for

    now = now or timezone.now()
    actions = ClientActions()
    if user is None or booking.client_id != user.pk or booking.status in (BS.PENDING_PAYMENT, BS.EXPIRED):
        return actions
    actions.consultation = Consultation.objects.filter(booking_id=booking.pk).first()
    actions.review = Review.objects.filter(booking_id=booking.pk).first()
    actions.disputes = list(Dispute.objects.filter(booking_id=booking.pk).order_by("-created_at", "-pk"))
    actions.can_review = booking.status == BS.COMPLETED and actions.review is None
    actions.dispute_deadline = policy.dispute_deadline(booking=booking)
    actions.can_dispute = (
        bool(dispute_kinds_for(booking=booking))
        and booking.start_at <= now <= actions.dispute_deadline
        and actions.open_dispute is None
    )
    return actions
