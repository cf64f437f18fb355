import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.models import LedgerEntry, User
from accounts.tests.factories import UserFactory
from site_admin import metrics

pytestmark = pytest.mark.django_db


def _figure(figures, label):
    return next(f for f in figures if f.label == label)


def test_signups_match_an_independent_count_and_compare_with_the_previous_period():
    now = timezone.now()
    for days_ago in (1, 2, 3, 40, 45):
        UserFactory(date_joined=now - dt.timedelta(days=days_ago))
    period = metrics.Period.last(30, now=now)

    signups = _figure(metrics.user_figures(period), "Sign-ups")

    assert signups.value == User.objects.filter(date_joined__gte=now - dt.timedelta(days=30)).count() == 3
    assert signups.previous == 2 and signups.change_percent == 50
    assert signups.link.startswith("/admin/accounts/user/?date_joined__gte=")


def test_points_sold_and_spent():
    user = UserFactory()
    account_services.points_grant(user=user, amount=120, reason=LedgerEntry.Reason.PURCHASE, idempotency_key="cs_1")
    account_services.points_spend(user=user, amount=10)
    account_services.points_spend(user=user, amount=20)
    figures = metrics.points_figures(metrics.Period.last(30))
    assert (_figure(figures, "Points sold").value, _figure(figures, "Points spent").value) == (120, 30)


def test_dashboard_is_staff_only(client, admin_client):
    client.force_login(UserFactory())
    assert client.get("/staff/dashboard/").status_code == 302  # to the admin login
    assert admin_client.get("/staff/dashboard/").status_code == 200


def test_dashboard_query_count_does_not_grow_with_data(admin_client, admin_user):
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get("/staff/dashboard/?days=30").status_code == 200
    now = timezone.now()
    User.objects.bulk_create(
        [User(email=f"bulk{i}@example.com", date_joined=now - dt.timedelta(hours=i)) for i in range(300)]
    )
    cache.clear()  # measure the computation again, not the cached copy
    admin_client.force_login(admin_user)  # with Redis, sessions live in that cache too
    from core.conf import site_settings

    site_settings()
    with CaptureQueriesContext(connection) as large:
        page = admin_client.get("/staff/dashboard/?days=30")
    assert len(large.captured_queries) == len(small.captured_queries)
    # 10 for the figures, the user, and the session where sessions live in the database.
    assert len(small.captured_queries) <= 12
    assert "<svg" in page.content.decode()
    with CaptureQueriesContext(connection) as cached:
        again = admin_client.get("/staff/dashboard/?days=30")
    # The rendered figures come from the cache: only the session and the user are read.
    assert [q["sql"].split(" FROM ")[1].split()[0] for q in cached.captured_queries] in (
        ['"accounts_user"'],
        ['"django_session"', '"accounts_user"'],
    )

    def main(response):  # the body's CSRF token differs per request; the figures must not
        return response.content.decode().split("<main")[1].split("</main>")[0]

    assert main(again) == main(page)


def test_booking_and_money_figures_equal_independent_queries():
    from django.db.models import Sum

    from bookings.models import Booking
    from bookings.tests.factories import BookingFactory
    from payments.models import Payment
    from payments.tests.factories import PaymentFactory

    now = timezone.now()
    statuses = ["confirmed", "confirmed", "completed", "cancelled_by_client", "expired"]
    for i, status in enumerate(statuses):
        BookingFactory(status=status, created_at=now - dt.timedelta(days=i + 1))
    BookingFactory(status="confirmed", created_at=now - dt.timedelta(days=60))  # outside the period
    for pence, days_ago in ((5000, 2), (1000, 10), (700, 45)):
        PaymentFactory(status="succeeded", amount_pence=pence, succeeded_at=now - dt.timedelta(days=days_ago))
    period = metrics.Period.last(30, now=now)

    by_status = {f.label: f.value for f in metrics.booking_figures(period)}
    gross = _figure(metrics.money_figures(period), "Gross revenue")

    for status, label in Booking.Status.choices:
        expected = Booking.objects.filter(status=status, created_at__gte=period.start, created_at__lt=now).count()
        assert by_status[label] == expected
    assert by_status["Confirmed"] == 2
    independent = Payment.objects.filter(succeeded_at__gte=period.start, succeeded_at__lt=now).aggregate(
        s=Sum("amount_pence")
    )["s"]
    assert gross.value == independent == 6000 and gross.previous == 700


def test_figures_sharing_queries_equal_independent_counts():
    from allauth.account.models import EmailAddress

    from consultations.models import Dispute
    from referrals.models import Referral

    now = timezone.now()
    period = metrics.Period.last(7, now=now)
    for days_ago, verified in ((1, True), (2, False), (3, True), (9, True), (20, True)):
        user = UserFactory(date_joined=now - dt.timedelta(days=days_ago))
        EmailAddress.objects.filter(user=user).delete()
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    long_ago = now - dt.timedelta(days=60)  # people outside both periods

    def referral(**fields):
        referrer, referred = UserFactory(date_joined=long_ago), UserFactory(date_joined=long_ago)
        return Referral.objects.create(referrer=referrer, referred=referred, **fields)

    referral(created_at=now - dt.timedelta(days=1))
    referral(
        created_at=now - dt.timedelta(days=8), status=Referral.Status.REWARDED, rewarded_at=now - dt.timedelta(days=2)
    )

    snapshot = metrics.Snapshot(period)
    users = {f.label: (f.value, f.previous) for f in metrics.user_figures(period, snapshot)}
    referrals = {f.label: (f.value, f.previous) for f in metrics.referral_figures(period)}
    attention = {f.label: f.value for f in metrics.attention_figures(snapshot)}

    assert users["Sign-ups"] == (3, 1)
    assert users["Verified sign-ups"] == (2, 1)
    assert referrals["Referral sign-ups"] == (1, 1)
    assert referrals["Referrals rewarded"] == (1, 0)
    assert attention["Open disputes"] == Dispute.objects.filter(status__in=["open", "responded"]).count()
    series = metrics.daily_series(period, snapshot)
    assert sum(v for _, v in series["signups"]) == 3


def test_payout_figures_agree_with_the_experts_own_earnings_page():
    """A paid earning with a partial dispute refund held back counts its net after the clawback, as the
    expert sees it; pending and available are separate figures, each linking to its own list."""
    from bookings.tests.factories import BookingFactory
    from consultations.models import Earning
    from consultations.selectors import expert_earning_totals

    now = timezone.now()
    booking = BookingFactory(status="completed")
    common = {"expert": booking.expert, "commission_bps": 2000, "available_at": now}
    Earning.objects.create(
        booking=booking,
        status="paid",
        gross_pence=22000,
        commission_pence=4400,
        net_pence=17600,
        clawback_pence=4400,
        paid_at=now - dt.timedelta(days=1),
        **common,
    )
    Earning.objects.create(
        kind="bonus", status="pending", gross_pence=5000, commission_pence=1000, net_pence=4000, **common
    )
    Earning.objects.create(
        kind="bonus", status="available", gross_pence=2500, commission_pence=500, net_pence=2000, **common
    )
    figures = metrics.earnings_figures(metrics.Period.last(30, now=now))
    mine = expert_earning_totals(expert=booking.expert)

    paid = _figure(figures, "Expert payouts paid")
    assert paid.value == mine["paid"] == 13200  # £132, not £176
    pending = _figure(figures, "Expert earnings pending")
    assert pending.value == mine["pending"] == 4000 and pending.link.endswith("status__exact=pending")
    available = _figure(figures, "Expert earnings awaiting payout")
    assert available.value == mine["available"] == 2000 and available.link.endswith("status__exact=available")
