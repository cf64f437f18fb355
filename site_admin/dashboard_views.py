from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from core import fragments
from core.money import format_pence

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
    # The figures take 10 aggregate queries (~80 ms at 100k bookings): rendered at most once a
    # minute per period and time zone (days are counted in the viewer's zone), shared by all
    # workers, and while one request re-renders them the others get the previous copy.
    zone = timezone.get_current_timezone_name()
    html = fragments.html_refreshed_by_one(
        f"fragment:staff-dashboard:{days}:{zone}",
        lambda: render_to_string(
            "site_admin/_dashboard_figures.html", {"periods": PERIODS, "days": days, **_figures(days)}
        ),
        fresh_seconds=CACHE_SECONDS,
    )
    return render(request, "site_admin/dashboard.html", {"figures_html": html})


def _figures(days: int) -> dict:
    period = metrics.Period.last(days)
    snapshot = metrics.Snapshot(period)
    series = metrics.daily_series(period, snapshot)
    return {
        "period": period,
        "sections": [
            ("Users", metrics.user_figures(period, snapshot)),
            ("Money", metrics.money_figures(period, snapshot)),
            ("Points", metrics.points_figures(period)),
            ("Referrals", metrics.referral_figures(period)),
            ("Needs attention", metrics.attention_figures(snapshot)),
        ],
        "bookings": metrics.booking_figures(period, snapshot),
        "ai": metrics.ai_figures(period),
        "charts": [
            ("Sign-ups per day", bar_chart(series["signups"], title="Sign-ups per day")),
            ("Revenue per day", bar_chart(series["revenue"], title="Revenue per day", value_label=format_pence)),
            ("Bookings per day", bar_chart(series["bookings"], title="Bookings created per day")),
        ],
    }
