"""Staff dashboard figures: each one aggregated in the database, current period vs previous.

Every function runs a fixed number of queries (conditional aggregates over indexed date
columns), so the dashboard costs the same whether there are 100 or 100,000 bookings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import LedgerEntry, User
from ai_tools.models import AIRun
from bookings.models import Booking
from consultations.models import Dispute, Earning
from expert_marketplace.models import ExpertProfile
from payments.models import Payment, Refund
from referrals.models import Referral

from .models import Inquiry


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime

    @classmethod
    def last(cls, days: int, *, now: dt.datetime | None = None) -> Period:
        end = now or timezone.now()
        return cls(start=end - dt.timedelta(days=days), end=end)

    @property
    def previous(self) -> Period:
        return Period(start=self.start - (self.end - self.start), end=self.start)

    def q(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    previous: int | None = None
    link: str = ""
    money: bool = False

    @property
    def change_percent(self) -> int | None:
        if self.previous in (None, 0):
            return None
        return round((self.value - self.previous) * 100 / self.previous)


def _two(qs, field: str, period: Period, *, agg=Count, target="pk") -> tuple[int, int]:
    """One query: the aggregate in this period and in the previous one."""
    both = Q(**{f"{field}__gte": period.previous.start, f"{field}__lt": period.end})
    row = qs.filter(both).aggregate(
        now=agg(target, filter=period.q(field)), before=agg(target, filter=period.previous.q(field))
    )
    return row["now"] or 0, row["before"] or 0


def _admin(path: str, period: Period, field: str, **filters) -> str:
    params = {f"{field}__gte": period.start.date().isoformat(), f"{field}__lt": period.end.date().isoformat()}
    params.update(filters)
    return f"/admin/{path}/?" + "&".join(f"{k}={v}" for k, v in params.items())


def user_figures(period: Period) -> list[Figure]:
    signups = _two(User.objects.all(), "date_joined", period)
    verified = _two(EmailAddress.objects.filter(verified=True, primary=True), "user__date_joined", period)
    # IN (hashed subplans) rather than COUNT(DISTINCT) over two LEFT JOINs: the joins multiply
    # every client's bookings by their AI runs before the DISTINCT (~110 ms at 100k bookings).
    active_clients = User.objects.filter(
        Q(pk__in=Booking.objects.filter(period.q("created_at")).values("client_id"))
        | Q(pk__in=AIRun.objects.filter(period.q("created_at")).values("user_id")),
        role=User.Role.CLIENT,
    ).count()
    experts = ExpertProfile.objects.aggregate(
        listed=Count("pk", filter=Q(status=ExpertProfile.Status.APPROVED, is_active=True)),
        booked=Count(
            "pk",
            filter=Q(Exists(Booking.objects.filter(period.q("start_at"), expert=OuterRef("pk")))),
        ),
    )
    return [
        Figure("Sign-ups", *signups, link=_admin("accounts/user", period, "date_joined")),
        Figure("Verified sign-ups", *verified, link="/admin/account/emailaddress/?verified__exact=1"),
        Figure("Active clients", active_clients, link="/admin/accounts/user/?role__exact=client"),
        Figure("Experts listed", experts["listed"], link="/admin/expert_marketplace/expertprofile/"),
        Figure("Experts with sessions", experts["booked"], link="/admin/expert_marketplace/expertprofile/"),
    ]


def booking_figures(period: Period) -> list[Figure]:
    rows = dict(
        Booking.objects.filter(period.q("created_at"))
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        Figure(label, rows.get(status, 0), link=_admin("bookings/booking", period, "created_at", status__exact=status))
        for status, label in Booking.Status.choices
    ]


def money_figures(period: Period) -> list[Figure]:
    gross = _two(
        Payment.objects.filter(status__in=["succeeded", "refunded", "partially_refunded"]),
        "succeeded_at",
        period,
        agg=Sum,
        target="amount_pence",
    )
    refunds = _two(Refund.objects.filter(status="succeeded"), "completed_at", period, agg=Sum, target="amount_pence")
    completed = _two(
        Booking.objects.filter(status=Booking.Status.COMPLETED), "end_at", period, agg=Sum, target="price_pence"
    )
    figures = [
        Figure("Gross revenue", *gross, link=_admin("payments/payment", period, "succeeded_at"), money=True),
        Figure("Refunds", *refunds, link=_admin("payments/refund", period, "completed_at"), money=True),
        Figure(
            "Completed consultations (value)",
            *completed,
            link="/admin/bookings/booking/?status__exact=completed",
            money=True,
        ),
    ]
    return figures + earnings_figures(period)


def earnings_figures(period: Period) -> list[Figure]:
    """Platform commission and expert payouts (consultations' earnings ledger)."""
    row = Earning.objects.aggregate(
        commission=Sum("commission_pence", filter=period.q("created_at")),
        pending=Sum("net_pence", filter=Q(status__in=["pending", "available"])),
        paid=Sum("net_pence", filter=Q(status="paid") & period.q("created_at")),
    )
    return [
        Figure("Platform commission", row["commission"] or 0, link="/admin/consultations/earning/", money=True),
        Figure(
            "Expert payouts pending",
            row["pending"] or 0,
            link="/admin/consultations/earning/?status__exact=pending",
            money=True,
        ),
        Figure(
            "Expert payouts paid", row["paid"] or 0, link="/admin/consultations/earning/?status__exact=paid", money=True
        ),
    ]


def points_figures(period: Period) -> list[Figure]:
    row = LedgerEntry.objects.filter(period.q("created_at"), asset=LedgerEntry.Asset.POINTS).aggregate(
        sold=Sum("amount", filter=Q(reason=LedgerEntry.Reason.PURCHASE)),
        spent=Sum("amount", filter=Q(reason=LedgerEntry.Reason.SPEND)),
    )
    return [
        Figure(
            "Points sold",
            row["sold"] or 0,
            link=_admin("accounts/ledgerentry", period, "created_at", reason__exact="purchase"),
        ),
        Figure(
            "Points spent",
            -(row["spent"] or 0),
            link=_admin("accounts/ledgerentry", period, "created_at", reason__exact="spend"),
        ),
    ]


def ai_figures(period: Period) -> list[dict]:
    rows = (
        AIRun.objects.filter(period.q("created_at"))
        .values("tool")
        .annotate(total=Count("pk"), failed=Count("pk", filter=Q(status=AIRun.Status.FAILED)))
        .order_by("tool")
    )
    labels = dict(AIRun.Tool.choices)
    return [
        {
            "label": labels.get(r["tool"], r["tool"]),
            "total": r["total"],
            "failed": r["failed"],
            "failure_rate": round(r["failed"] * 100 / r["total"]) if r["total"] else 0,
            "link": _admin("ai_tools/airun", period, "created_at", tool__exact=r["tool"]),
        }
        for r in rows
    ]


def referral_figures(period: Period) -> list[Figure]:
    signups = _two(Referral.objects.all(), "created_at", period)
    rewarded = _two(Referral.objects.filter(status=Referral.Status.REWARDED), "rewarded_at", period)
    return [
        Figure("Referral sign-ups", *signups, link=_admin("referrals/referral", period, "created_at")),
        Figure("Referrals rewarded", *rewarded, link="/admin/referrals/referral/?status__exact=rewarded"),
    ]


def attention_figures() -> list[Figure]:
    open_inquiries = Inquiry.objects.filter(status__in=[Inquiry.Status.NEW, Inquiry.Status.OPEN]).count()
    figures = [
        Figure("Support inquiries waiting", open_inquiries, link="/admin/site_admin/inquiry/?status__in=new,open")
    ]
    open_disputes = Dispute.objects.filter(status__in=[Dispute.Status.OPEN, Dispute.Status.RESPONDED]).count()
    return [
        Figure("Open disputes", open_disputes, link="/admin/consultations/dispute/?status__in=open,responded")
    ] + figures


def daily_series(period: Period) -> dict[str, list[tuple[dt.date, int]]]:
    """Three queries: sign-ups, gross revenue (pence) and bookings per day."""

    def per_day(qs, field, value=None):
        agg = Sum(value) if value else Count("pk")
        rows = dict(
            qs.filter(period.q(field))
            .annotate(day=TruncDate(field))
            .values("day")
            .annotate(v=agg)
            .values_list("day", "v")
        )
        days = (period.end.date() - period.start.date()).days + 1
        return [
            (period.start.date() + dt.timedelta(days=i), rows.get(period.start.date() + dt.timedelta(days=i), 0) or 0)
            for i in range(days)
        ]

    return {
        "signups": per_day(User.objects.all(), "date_joined"),
        "revenue": per_day(
            Payment.objects.filter(status__in=["succeeded", "refunded", "partially_refunded"]),
            "succeeded_at",
            "amount_pence",
        ),
        "bookings": per_day(Booking.objects.all(), "created_at"),
    }
