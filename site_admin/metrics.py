"""Staff dashboard figures: each one aggregated in the database, current period vs previous.

Every figure comes from a fixed number of queries (conditional aggregates over indexed date
columns), so the dashboard costs the same whether there are 100 or 100,000 bookings. The
figures share their queries through `Snapshot`: one query per table and shape (sign-ups per
day also give the sign-up totals and the chart; five plain counts go in one round trip), 10
queries for the whole dashboard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from allauth.account.models import EmailAddress
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import LedgerEntry, User
from ai_tools.models import AIRun
from bookings.models import Booking
from consultations.models import Dispute, Earning
from consultations.selectors import earning_totals
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

    @property
    def with_previous(self) -> Period:
        """This period and the previous one together (the rows a now-vs-before query reads)."""
        return Period(start=self.previous.start, end=self.end)

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
    row = qs.filter(period.with_previous.q(field)).aggregate(
        now=agg(target, filter=period.q(field)), before=agg(target, filter=period.previous.q(field))
    )
    return row["now"] or 0, row["before"] or 0


def _per_day_both(qs, field: str, period: Period, **values) -> list[dict]:
    """One query: rows per day (in the active time zone) over this period and the previous one,
    each value split into `<name>_now` and `<name>_before` by the exact period bounds (the day
    where the periods meet has both)."""
    aggregates = {}
    for name, (agg, target, extra) in values.items():
        for suffix, part in (("now", period), ("before", period.previous)):
            aggregates[f"{name}_{suffix}"] = agg(target, filter=part.q(field) & extra)
    return list(
        qs.filter(period.with_previous.q(field))
        .annotate(day=TruncDate(field))
        .values("day")
        .annotate(**aggregates)
        .order_by("day")
    )


def _counts(**querysets: QuerySet) -> dict[str, int]:
    """Several COUNT(*)s in one round trip: SELECT (SELECT COUNT(*) FROM (...)), (...), ..."""
    parts, params = [], []
    db = next(iter(querysets.values())).db
    for index, qs in enumerate(querysets.values()):
        sql, qs_params = qs.order_by().values("pk").query.get_compiler(using=db).as_sql()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{index})")
        params.extend(qs_params)
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


def _series(rows: list[dict], value: str, period: Period) -> list[tuple[dt.date, int]]:
    by_day = {row["day"]: row[value] or 0 for row in rows}
    days = (period.end.date() - period.start.date()).days + 1
    return [
        (period.start.date() + dt.timedelta(days=i), by_day.get(period.start.date() + dt.timedelta(days=i), 0))
        for i in range(days)
    ]


def _total(rows: list[dict], value: str) -> int:
    return sum(row[value] or 0 for row in rows)


PAID = ["succeeded", "refunded", "partially_refunded"]


class Snapshot:
    """The dashboard's queries for one period, each run at most once whichever figures read it."""

    def __init__(self, period: Period):
        self.period = period

    @cached_property
    def signups(self) -> list[dict]:
        verified = Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True, primary=True))
        return _per_day_both(
            User.objects.all(),
            "date_joined",
            self.period,
            joined=(Count, "pk", Q()),
            verified=(Count, "pk", Q(verified)),
        )

    @cached_property
    def revenue(self) -> list[dict]:
        return _per_day_both(
            Payment.objects.filter(status__in=PAID), "succeeded_at", self.period, gross=(Sum, "amount_pence", Q())
        )

    @cached_property
    def bookings(self) -> list[dict]:
        """Bookings created per day in this period, in total and per status."""
        per_status = {status: Count("pk", filter=Q(status=status)) for status in Booking.Status.values}
        return list(
            Booking.objects.filter(self.period.q("created_at"))
            .annotate(day=TruncDate("created_at"))
            .values("day")
            .annotate(total=Count("pk"), **per_status)
            .order_by("day")
        )

    @cached_property
    def counts(self) -> dict[str, int]:
        period = self.period
        # IN (hashed subplans) rather than COUNT(DISTINCT) over two LEFT JOINs: the joins multiply
        # every client's bookings by their AI runs before the DISTINCT (~110 ms at 100k bookings).
        active_clients = User.objects.filter(
            Q(pk__in=Booking.objects.filter(period.q("created_at")).values("client_id"))
            | Q(pk__in=AIRun.objects.filter(period.q("created_at")).values("user_id")),
            role=User.Role.CLIENT,
        )
        return _counts(
            active_clients=active_clients,
            experts_listed=ExpertProfile.objects.filter(ExpertProfile.LISTED),
            experts_booked=ExpertProfile.objects.filter(
                Exists(Booking.objects.filter(period.q("start_at"), expert=OuterRef("pk")))
            ),
            inquiries_waiting=Inquiry.objects.filter(status__in=[Inquiry.Status.NEW, Inquiry.Status.OPEN]),
            disputes_open=Dispute.objects.filter(status__in=[Dispute.Status.OPEN, Dispute.Status.RESPONDED]),
        )


def _admin(path: str, period: Period, field: str, **filters) -> str:
    params = {f"{field}__gte": period.start.date().isoformat(), f"{field}__lt": period.end.date().isoformat()}
    params.update(filters)
    return f"/admin/{path}/?" + "&".join(f"{k}={v}" for k, v in params.items())


def user_figures(period: Period, snapshot: Snapshot | None = None) -> list[Figure]:
    snapshot = snapshot or Snapshot(period)
    rows, counts = snapshot.signups, snapshot.counts
    return [
        Figure(
            "Sign-ups",
            _total(rows, "joined_now"),
            _total(rows, "joined_before"),
            link=_admin("accounts/user", period, "date_joined"),
        ),
        Figure(
            "Verified sign-ups",
            _total(rows, "verified_now"),
            _total(rows, "verified_before"),
            link="/admin/account/emailaddress/?verified__exact=1",
        ),
        Figure("Active clients", counts["active_clients"], link="/admin/accounts/user/?role__exact=client"),
        Figure("Experts listed", counts["experts_listed"], link="/admin/expert_marketplace/expertprofile/"),
        Figure("Experts with sessions", counts["experts_booked"], link="/admin/expert_marketplace/expertprofile/"),
    ]


def booking_figures(period: Period, snapshot: Snapshot | None = None) -> list[Figure]:
    rows = (snapshot or Snapshot(period)).bookings
    return [
        Figure(label, _total(rows, status), link=_admin("bookings/booking", period, "created_at", status__exact=status))
        for status, label in Booking.Status.choices
    ]


def money_figures(period: Period, snapshot: Snapshot | None = None) -> list[Figure]:
    rows = (snapshot or Snapshot(period)).revenue
    gross = _total(rows, "gross_now"), _total(rows, "gross_before")
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
    """Platform commission and expert payouts (consultations' earnings ledger), net of the expert's
    share of partial refunds held back, as on the expert's own earnings page."""
    totals = earning_totals(
        earnings=Earning.objects.all(),
        paid_q=period.q("paid_at"),
        commission=Sum("commission_pence", filter=period.q("created_at"), default=0),
    )
    earnings = "/admin/consultations/earning/"
    return [
        Figure("Platform commission", totals["commission"], link=earnings, money=True),
        Figure("Expert earnings pending", totals["pending"], link=f"{earnings}?status__exact=pending", money=True),
        Figure(
            "Expert earnings awaiting payout",
            totals["available"],
            link=f"{earnings}?status__exact=available",
            money=True,
        ),
        Figure("Expert payouts paid", totals["paid"], link=f"{earnings}?status__exact=paid", money=True),
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
    both = period.with_previous
    row = Referral.objects.filter(both.q("created_at") | both.q("rewarded_at")).aggregate(
        signups_now=Count("pk", filter=period.q("created_at")),
        signups_before=Count("pk", filter=period.previous.q("created_at")),
        rewarded_now=Count("pk", filter=period.q("rewarded_at") & Q(status=Referral.Status.REWARDED)),
        rewarded_before=Count("pk", filter=period.previous.q("rewarded_at") & Q(status=Referral.Status.REWARDED)),
    )
    return [
        Figure(
            "Referral sign-ups",
            row["signups_now"],
            row["signups_before"],
            link=_admin("referrals/referral", period, "created_at"),
        ),
        Figure(
            "Referrals rewarded",
            row["rewarded_now"],
            row["rewarded_before"],
            link="/admin/referrals/referral/?status__exact=rewarded",
        ),
    ]


def attention_figures(snapshot: Snapshot) -> list[Figure]:
    counts = snapshot.counts
    return [
        Figure(
            "Open disputes", counts["disputes_open"], link="/admin/consultations/dispute/?status__in=open,responded"
        ),
        Figure(
            "Support inquiries waiting",
            counts["inquiries_waiting"],
            link="/admin/site_admin/inquiry/?status__in=new,open",
        ),
    ]


def daily_series(period: Period, snapshot: Snapshot | None = None) -> dict[str, list[tuple[dt.date, int]]]:
    """Sign-ups, gross revenue (pence) and bookings per day, from the snapshot's per-day rows."""
    snapshot = snapshot or Snapshot(period)
    return {
        "signups": _series(snapshot.signups, "joined_now", period),
        "revenue": _series(snapshot.revenue, "gross_now", period),
        "bookings": _series(snapshot.bookings, "total", period),
    }
