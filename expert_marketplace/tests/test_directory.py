import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.tests.factories import UserFactory
from expert_marketplace import services, views
from expert_marketplace.models import ExpertProfile, SessionType

from .factories import WEEKDAYS_9_TO_5, ExpertProfileFactory, SessionTypeFactory, area, language

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2030, 3, 4, 6, 0, tzinfo=dt.UTC)  # Monday 06:00 UTC
EVERY_DAY_9_TO_10 = {d: [["09:00", "10:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(views, "_now", lambda: NOW)


def _names(response):
    return [e.display_name for e in response.context["listing"].experts]


def test_only_approved_active_experts_are_listed(client):
    ExpertProfileFactory(display_name="Listed")
    ExpertProfileFactory(display_name="Pending", status=ExpertProfile.Status.PENDING)
    ExpertProfileFactory(display_name="Rejected", status=ExpertProfile.Status.REJECTED)
    ExpertProfileFactory(display_name="Hidden", is_active=False)
    response = client.get("/experts/")
    assert response.status_code == 200
    assert _names(response) == ["Listed"]


@pytest.mark.parametrize(
    "status,active", [(ExpertProfile.Status.PENDING, True), (ExpertProfile.Status.REJECTED, True), ("approved", False)]
)
def test_unlisted_profile_page_is_404(client, status, active):
    expert = ExpertProfileFactory(status=status, is_active=active)
    assert client.get(f"/experts/{expert.slug}/").status_code == 404


def test_filters_by_expertise_language_and_max_price(client):
    tech, arts = area(), area("arts-culture", "Arts & culture")
    en, de = language(), language("de", "German")
    a = ExpertProfileFactory(display_name="Ada", areas=[tech], langs=[en, de])
    b = ExpertProfileFactory(display_name="Bea", areas=[arts], langs=[en])
    SessionTypeFactory(expert=a, price_pence=15000)
    SessionTypeFactory(expert=a, price_pence=6000, duration_minutes=30)
    SessionTypeFactory(expert=b, price_pence=8000)
    SessionTypeFactory(expert=b, price_pence=2000, is_active=False)  # hidden sessions don't count

    assert _names(client.get("/experts/?expertise=arts-culture")) == ["Bea"]
    assert _names(client.get("/experts/?language=de")) == ["Ada"]
    assert _names(client.get("/experts/?max_price=70&sort=price")) == ["Ada"]  # from £60
    assert sorted(_names(client.get("/experts/?max_price=80"))) == ["Ada", "Bea"]
    assert _names(client.get("/experts/?expertise=digital-technology&language=en&max_price=50")) == []
    response = client.get("/experts/?expertise=arts-culture")
    assert "£80" in response.content.decode()  # from-price


def test_sorts_by_rating_price_and_next_available(client):
    a = ExpertProfileFactory(display_name="Ada", rating_avg=Decimal("4.20"), rating_count=5)
    b = ExpertProfileFactory(display_name="Bea", rating_avg=Decimal("4.90"), rating_count=12)
    c = ExpertProfileFactory(display_name="Cy")  # no reviews, no sessions
    SessionTypeFactory(expert=a, price_pence=5000)
    SessionTypeFactory(expert=b, price_pence=9000)
    ExpertProfile.objects.filter(pk=a.pk).update(next_slot_at=NOW + dt.timedelta(days=3))
    ExpertProfile.objects.filter(pk=b.pk).update(next_slot_at=NOW + dt.timedelta(days=1))

    assert _names(client.get("/experts/")) == ["Bea", "Ada", "Cy"]
    assert _names(client.get("/experts/?sort=price")) == ["Ada", "Bea", "Cy"]  # no price last
    assert _names(client.get("/experts/?sort=next")) == ["Bea", "Ada", "Cy"]  # nothing free last
    html = client.get("/experts/").content.decode()
    assert "No reviews yet" in html and "4.9" in html and "(12 reviews)" in html
    assert c.display_name in html


def test_bogus_filters_are_ignored(client):
    ExpertProfileFactory(display_name="Ada")
    response = client.get("/experts/?sort=drop-table&max_price=abc&page=99")
    assert response.status_code == 200 and _names(response) == ["Ada"]


def test_card_shows_next_slot_in_viewer_timezone(client):
    expert = ExpertProfileFactory(display_name="Ada", weekly_schedule=EVERY_DAY_9_TO_10, min_notice_hours=0)
    SessionTypeFactory(expert=expert, duration_minutes=30)
    # Cards read the cached next slot; the services and the beat task refresh it.
    services.expert_next_slot_refresh(expert_ids=[expert.pk], now=NOW)
    # Anonymous: ?tz= (filled in by the browser), Asia/Tokyo is UTC+9 all year.
    html = client.get("/experts/?tz=Asia/Tokyo").content.decode()
    assert "Mon 4 Mar, 18:00" in html
    assert 'data-testid="viewer-tz">Asia/Tokyo<' in html
    # Default for anonymous viewers without ?tz= or a tz cookie: Europe/London (UTC+0 in March).
    assert "Mon 4 Mar, 09:00" in client.get("/experts/").content.decode()
    # The browser's zone, remembered by site.js in the tz cookie; an unknown zone is ignored.
    client.cookies["tz"] = "Asia/Tokyo"
    assert "Mon 4 Mar, 18:00" in client.get("/experts/").content.decode()
    client.cookies["tz"] = "Mars/Olympus"
    assert "Mon 4 Mar, 09:00" in client.get("/experts/").content.decode()
    # A signed-in viewer's own zone wins over ?tz=.
    client.force_login(UserFactory(timezone="Asia/Kolkata"))
    assert "Mon 4 Mar, 14:30" in client.get("/experts/?tz=Asia/Tokyo").content.decode()


def test_directory_paginates_by_20(client):
    for n in range(23):
        ExpertProfileFactory(display_name=f"E{n:02d}")
    page1 = client.get("/experts/")
    assert len(page1.context["listing"].experts) == 20 and "Page 1 of 2" in page1.content.decode()
    assert len(client.get("/experts/?page=2").context["listing"].experts) == 3


def _bulk_experts(count, *, start=0):
    users = User.objects.bulk_create(
        [User(email=f"bulk{start + i}@example.com", role=User.Role.EXPERT) for i in range(count)]
    )
    experts = ExpertProfile.objects.bulk_create(
        [
            ExpertProfile(
                user=u,
                display_name=f"Bulk {start + i}",
                slug=f"bulk-{start + i}",
                status=ExpertProfile.Status.APPROVED,
                timezone="UTC",
                weekly_schedule=WEEKDAYS_9_TO_5,
                min_notice_hours=0,
            )
            for i, u in enumerate(users)
        ]
    )
    SessionType.objects.bulk_create(
        [SessionType(expert=e, name="Call", duration_minutes=60, price_pence=5000 + i) for i, e in enumerate(experts)]
    )
    tech, en = area(), language()
    ExpertProfile.expertise_areas.through.objects.bulk_create(
        [ExpertProfile.expertise_areas.through(expertprofile=e, expertisearea=tech) for e in experts]
    )
    ExpertProfile.languages.through.objects.bulk_create(
        [ExpertProfile.languages.through(expertprofile=e, language=en) for e in experts]
    )
    return experts


@pytest.mark.parametrize(
    "query", ["", "?sort=price", "?sort=next&language=en&expertise=digital-technology&max_price=90"]
)
def test_directory_query_count_is_constant(client, django_assert_num_queries, query):
    _bulk_experts(5)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(f"/experts/{query}").context["listing"].experts) == 5
    _bulk_experts(195, start=5)
    cache.clear()  # bulk_create sends no signals (and this measures the uncached render)
    with django_assert_num_queries(len(small)):
        response = client.get(f"/experts/{query}")
    assert len(response.context["listing"].experts) == 20
    assert response.context["listing"].page.paginator.count == 200
    with django_assert_num_queries(0):  # the cached fragment: no list or filter-choice queries
        assert client.get(f"/experts/{query}").content.decode().count('data-testid="expert-card"') == 20


def test_profile_page_shows_details_and_slots_in_viewer_timezone(client):
    expert = ExpertProfileFactory(
        display_name="Ada Lovelace",
        bio="I review evidence.",
        weekly_schedule=EVERY_DAY_9_TO_10,
        min_notice_hours=0,
        years_experience=7,
        areas=[area()],
        langs=[language(), language("fr", "French")],
    )
    SessionTypeFactory(expert=expert, name="Quick call", duration_minutes=30, price_pence=4500)
    SessionTypeFactory(expert=expert, name="Deep dive", duration_minutes=90, price_pence=15000, is_active=True)
    SessionTypeFactory(expert=expert, name="Secret", is_active=False)
    response = client.get(f"/experts/{expert.slug}/?tz=Asia/Kolkata")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Ada Lovelace", "I review evidence.", "Digital technology", "English, French", "Quick call", "£45"):
        assert text in html
    assert "1 h 30 min" in html and "£150" in html and "Secret" not in html
    assert "No reviews yet" in html
    # 30-minute slots 09:00 and 09:30 UTC shown as 14:30 and 15:00 India time; the month view opens
    # on the first free date, and marks every free date of the month up to the horizon.
    picker = response.context["profile"].picker
    assert picker.selected == dt.date(2030, 3, 4) and picker.month == dt.date(2030, 3, 1)
    assert [local.strftime("%H:%M") for local, _ in picker.times] == ["14:30", "15:00"]
    assert [d.day.day for d in picker.days if d.count] == list(range(4, 32))
    assert 'data-slot-start="2030-03-04T09:00:00Z"' in html
    assert ">14:30</time>" in html
    assert "Booking opens soon" not in html
    assert f"/experts/{expert.slug}/book/?session=" in html

    # Choosing the 90-minute session leaves no room in a one-hour window.
    deep = expert.session_types.get(name="Deep dive")
    assert not client.get(f"/experts/{expert.slug}/?session={deep.pk}").context["profile"].picker.has_any


def test_profile_badge_only_when_verified(client, django_capture_on_commit_callbacks):
    expert = ExpertProfileFactory(adviser_status="oisc", adviser_number="F201900123", adviser_verified=False)
    assert "OISC verified" not in client.get(f"/experts/{expert.slug}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the cached page is bumped on commit
        services.expert_adviser_verify(expert=expert, actor=None)
    assert "OISC verified" in client.get(f"/experts/{expert.slug}/").content.decode()


def test_profile_page_query_count_is_constant(client, django_assert_max_num_queries):
    expert = ExpertProfileFactory(areas=[area()], langs=[language()])
    for _ in range(6):
        SessionTypeFactory(expert=expert)
    # The listed-expert lookup, the expert with areas, languages, overrides and sessions, the
    # bookings' busy times and the latest reviews (consultations).
    with django_assert_max_num_queries(8):
        client.get(f"/experts/{expert.slug}/")
    with django_assert_max_num_queries(0):  # cached: the body, and the slug lookup (404s, the title)
        client.get(f"/experts/{expert.slug}/")


def test_book_url_opens_the_booking_wizard_with_the_slot(client):
    # Booking behaviour itself is tested in bookings/tests/test_views_wizard.py.
    expert = ExpertProfileFactory()
    session = SessionTypeFactory(expert=expert)
    response = client.get(f"/experts/{expert.slug}/book/?session={session.pk}&start=2030-03-04T09:00:00Z")
    assert response.status_code == 302
    assert response.url.startswith("/bookings/new/start/?session=")
    # Without a session of this expert, back to the profile.
    response = client.get(f"/experts/{expert.slug}/book/?start=2030-03-04T09:00:00Z")
    assert response.url == f"/experts/{expert.slug}/"
