"""Item 8 and the month view (issue 20): the expert's booking horizon is honoured by the profile and
the wizard (one definition), a date beyond it gets a clear message, months are navigable up to it,
and the pages run a constant number of queries whatever the month's bookings."""

import datetime as dt

import lxml.html
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from expert_marketplace.models import ExpertProfile

from .factories import BookingFactory, utc
from .test_views_wizard import _chosen
from .views_support import *  # noqa: F403  (fixtures: clock, client_user, signed_in)

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile_clock(monkeypatch, clock):
    monkeypatch.setattr("expert_marketplace.views._now", lambda: clock)
    return clock


def _profile(client, expert, query=""):
    response = client.get(f"/experts/{expert.slug}/{query}")
    assert response.status_code == 200
    return response


def test_profile_honours_the_horizon_not_14_days(client, profile_clock):
    expert, _ = _chosen(client)  # horizon 60 days from Mon 1 March 09:00 UTC: until Fri 30 April
    april = _profile(client, expert, "?month=2027-04").context["profile"].picker
    free = [d.day for d in april.days if d.count]
    assert free[0] == dt.date(2027, 4, 1) and free[-1] == dt.date(2027, 4, 30)
    assert april.next_month == "" and april.prev_month == "2027-03"  # May is beyond the horizon
    ExpertProfile.objects.filter(pk=expert.pk).update(horizon_days=20)
    cache.clear()
    march = _profile(client, expert, "?month=2027-03").context["profile"].picker
    assert max(d.day for d in march.days if d.count) == dt.date(2027, 3, 19)  # 1 March + 20 days (a Sunday: Fri 19)
    assert {d.state for d in march.days if d.day > dt.date(2027, 3, 21)} == {"beyond"}
    assert march.next_month == ""


# Not named "page": that is pytest-playwright's fixture, and borrowing it made these tests take its
# session-scoped [chromium] parameter, so pytest moved every browser journey (transactional, flushing
# the data migrations' rows) before the rest of the database tests.
@pytest.mark.parametrize("where", ["profile", "wizard"])
def test_a_date_beyond_the_horizon_gets_a_clear_message(client, signed_in, profile_clock, where):
    expert, _ = _chosen(signed_in)
    url = f"/experts/{expert.slug}/" if where == "profile" else "/bookings/new/time/"
    response = signed_in.get(url + "?date=2027-06-15")
    html = response.content.decode()
    notice = lxml.html.fromstring(html).xpath("//*[@data-testid='picker-notice']")[0].text_content()
    assert "Tuesday 15 June 2027 is too far ahead" in notice
    assert "Bookings open up to 60 days ahead, until Friday 30 April 2027" in notice
    picker = response.context["profile"].picker if where == "profile" else response.context["picker"]
    assert picker.month == dt.date(2027, 4, 1)  # the last bookable month is shown instead
    past = signed_in.get(url + "?date=2027-02-01").content.decode()
    assert "has passed" in past


def test_wizard_month_navigation_swaps_only_the_picker(signed_in, clock):
    _chosen(signed_in)
    response = signed_in.get("/bookings/new/time/?month=2027-04", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    fragments = [f for f in lxml.html.fragments_fromstring(html) if not isinstance(f, str)]
    assert fragments[0].get("id") == "slot-picker" and fragments[0].get("data-month") == "2027-04"
    assert "<html" not in html
    oob = [f for f in fragments if f.get("hx-swap-oob")]
    assert oob and oob[0].text_content().strip() == "Thursday 1 April: 15 free times."
    # Past and out-of-horizon dates are not links; the previous month is, the next (May) is not.
    doc = fragments[0]
    assert doc.xpath(".//a[@id='month-prev']") and not doc.xpath(".//a[@id='month-next']")
    assert not doc.xpath(".//a[@data-day='2027-05-01']")


def test_phone_friendly_grid_not_a_long_column(client, profile_clock):
    expert, _ = _chosen(client)
    doc = lxml.html.fromstring(_profile(client, expert).content.decode())
    grid = doc.xpath("//table[@data-testid='date-strip']")[0]
    assert len(grid.xpath(".//thead//th")) == 7
    assert len(doc.xpath("//*[@data-testid='times']//a[@data-slot]")) <= 16  # one day's times only


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_counts_are_constant_whatever_the_months_bookings(signed_in, profile_clock):
    expert, session = _chosen(signed_in)
    profile = f"/experts/{expert.slug}/?month=2027-03"
    _queries(signed_in, profile + "&date=2027-03-02")  # warm the slug lookup; each URL below is a new cache key
    before_profile = _queries(signed_in, profile)
    before_wizard = _queries(signed_in, "/bookings/new/time/?month=2027-03")
    for day in range(2, 31):
        if dt.date(2027, 3, day).weekday() < 5:
            for hour in (10, 12, 14):
                BookingFactory(session_type=session, start_at=utc(2027, 3, day, hour))
    assert _queries(signed_in, profile + f"&session={session.pk}") == before_profile
    assert _queries(signed_in, "/bookings/new/time/?month=2027-03") == before_wizard
    print(f"queries: profile {before_profile}, wizard time step {before_wizard}")
