"""The dashboard's cached cards (core.fragments): fresh right after every write they show,
cheaper on the second request, and never another user's.

The freshness tests commit for real (transaction=True), so the generation bumps run exactly as in
production: after the commit of the write.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.models import LedgerEntry
from accounts.tests.factories import UserFactory

URL = "/me/dashboard/"


def _get(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def _main(html: str) -> str:
    """The page's own content (the chrome around it carries a CSRF token masked afresh per response)."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _balances(html: str) -> tuple[str, str]:
    def number(testid):
        tail = html.split(f'data-testid="{testid}">', 1)[1]
        return tail.split("<", 1)[0].strip()

    return number("points-balance"), number("free-uses")


def _points_package():
    from payments.models import PointsPackage

    package, _ = PointsPackage.objects.get_or_create(
        points=50, price_pence=500, defaults={"name": "Starter", "active": True}
    )
    return package


@pytest.mark.django_db(transaction=True)
def test_buying_points_shows_the_new_balance_at_once(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    user = UserFactory()
    client.force_login(user)
    html, _ = _get(client)
    assert _balances(html) == ("0", "0")

    # The real purchase: the buy form, then the test-mode checkout's Pay button.
    checkout = client.post("/payments/points/", {"package": _points_package().pk})["Location"]
    assert client.post(checkout, {"action": "pay"}).status_code == 302

    html, _ = _get(client)
    assert _balances(html) == ("50", "0")
    assert "Purchase" in html


@pytest.mark.django_db(transaction=True)
def test_every_balance_change_shows_at_once(client):
    user = UserFactory()
    client.force_login(user)
    _get(client)
    _get(client)  # cached now

    services.points_grant(user=user, amount=30, reason=LedgerEntry.Reason.ADJUSTMENT, description="Goodwill")
    html, _ = _get(client)
    assert _balances(html) == ("30", "0") and "Goodwill" in html

    services.points_spend(user=user, amount=12, description="CV analysis (run #9)")
    html, _ = _get(client)
    assert _balances(html) == ("18", "0") and "CV analysis (run #9)" in html

    services.free_uses_grant(user=user, amount=2, reason=LedgerEntry.Reason.REFERRAL)
    html, _ = _get(client)
    assert _balances(html) == ("18", "2")

    services.free_use_spend(user=user)
    html, _ = _get(client)
    assert _balances(html) == ("18", "1")


@pytest.mark.django_db(transaction=True)
def test_a_new_time_zone_or_price_shows_at_once(client, site_config):
    user = UserFactory(timezone="Europe/London")
    client.force_login(user)
    entry = services.points_grant(user=user, amount=5, reason=LedgerEntry.Reason.ADJUSTMENT)
    LedgerEntry.objects.filter(pk=entry.pk).update(created_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))
    services.points_grant(user=user, amount=1, reason=LedgerEntry.Reason.ADJUSTMENT)  # a bump after the edit
    html, _ = _get(client)
    assert "1 Mar 2026, 23:30" in html

    response = client.post("/me/profile/", {"full_name": user.full_name, "timezone": "Asia/Tokyo"})
    assert response.status_code == 302
    html, _ = _get(client)
    assert "2 Mar 2026, 08:30" in html and "1 Mar 2026, 23:30" not in html

    site_config(price_cv_analysis=17)
    html, _ = _get(client)
    assert "17 points" in html


@pytest.mark.django_db
def test_the_second_request_is_cached_and_cheaper(client):
    user = UserFactory()
    client.force_login(user)
    services.points_grant(user=user, amount=10, reason=LedgerEntry.Reason.ADJUSTMENT)
    first_html, first = _get(client)
    second_html, second = _get(client)
    assert second < first
    assert _main(second_html) == _main(first_html)


@pytest.mark.django_db
def test_another_user_gets_their_own_dashboard(client):
    alice, bob = UserFactory(full_name="Alice Able"), UserFactory(full_name="Bob Baker")
    services.points_grant(user=alice, amount=7, reason=LedgerEntry.Reason.ADJUSTMENT, description="Top-up for Alice")
    services.points_grant(user=bob, amount=99, reason=LedgerEntry.Reason.ADJUSTMENT, description="Top-up for Bob")

    client.force_login(alice)
    alice_html, _ = _get(client)
    client.force_login(bob)
    bob_html, _ = _get(client)
    client.force_login(alice)
    alice_again, _ = _get(client)

    assert _balances(alice_html) == ("7", "0") and "for Alice" in alice_html and "for Bob" not in alice_html
    assert _balances(bob_html) == ("99", "0") and "for Bob" in bob_html and "for Alice" not in bob_html
    assert _main(alice_again) == _main(alice_html)


@pytest.mark.django_db
def test_the_expert_and_staff_variants_are_cached_apart(client):
    from expert_marketplace.tests.factories import ExpertUserFactory

    expert_user = ExpertUserFactory()
    client.force_login(expert_user)
    html, _ = _get(client)
    assert "Open expert dashboard" in html and 'data-testid="dashboard-cv-card"' not in html

    client.force_login(UserFactory())
    html, _ = _get(client)
    assert "Open expert dashboard" not in html and 'data-testid="dashboard-cv-card"' in html


@pytest.mark.django_db
def test_uncached_query_count_does_not_grow_with_the_data(client, django_capture_on_commit_callbacks):
    from ai_tools.tests.factories import AIRunFactory
    from bookings.tests.factories import BookingFactory, expert_with_session

    user = UserFactory()
    client.force_login(user)
    _, session = expert_with_session()
    with django_capture_on_commit_callbacks(execute=True):
        services.points_grant(user=user, amount=100, reason=LedgerEntry.Reason.ADJUSTMENT)
        AIRunFactory(user=user)
        BookingFactory(client=user, session_type=session)
    _, few = _get(client)

    with django_capture_on_commit_callbacks(execute=True):  # committed: a new generation, rendered afresh
        for i in range(20):
            services.points_spend(user=user, amount=1)
            AIRunFactory(user=user)
            BookingFactory(client=user, session_type=session, start_at=session_start(i))
    html, many = _get(client)

    assert few == many
    assert "21 upcoming" in html


def session_start(i: int) -> dt.datetime:
    from bookings.tests.factories import WEDNESDAY_10

    return WEDNESDAY_10 + dt.timedelta(days=i + 1)


@pytest.mark.django_db
def test_working_features_are_not_announced_as_coming(client):
    client.force_login(UserFactory())
    html, _ = _get(client)
    assert "More on the way" not in html
    assert "Experts, referrals and points" in html and "Refer a friend" in html
