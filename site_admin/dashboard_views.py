from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.shortcuts import render

from talentvisa.money import format_pence

from . import metrics
from .charts import bar_chart

PERIODS = {7: "Last 7 days", 30: "Last 30 days", 90: "Last 90 days"}
CACHE_SECONDS = 60


@staff_member_required
def dashboard(request):
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    key = f"staff-dashboard:{days}:{request.user.timezone}"
    context = cache.get(key)
    if context is None:
        context = _figures(days)
        # 19 aggregates over every booking and user cost ~1 s at 100k bookings; staff figures a
        # minute old are fine, and the cache is shared by all workers.
        cache.set(key, context, timeout=CACHE_SECONDS)
    return render(request, "site_admin/dashboard.html", context)


def _figures(days: int) -> dict:
    period = metrics.Period.last(days)
    series = metrics.daily_series(period)
    return {
        "periods": PERIODS,
        "days": days,
        "period": period,
        "sections": [
            ("Users", metrics.user_figures(period)),
            ("Money", metrics.money_figures(period)),
            ("Points", metrics.points_figures(period)),
            ("Referrals", metrics.referral_figures(period)),
            ("Needs attention", metrics.attention_figures()),
        ],
        "bookings": metrics.booking_figures(period),
        "ai": metrics.ai_figures(period),
        "charts": [
            ("Sign-ups per day", bar_chart(series["signups"], title="Sign-ups per day")),
            ("Revenue per day", bar_chart(series["revenue"], title="Revenue per day", value_label=format_pence)),
            ("Bookings per day", bar_chart(series["bookings"], title="Bookings created per day")),
        ],
    }
