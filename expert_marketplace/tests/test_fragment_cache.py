"""The cached directory results and profile body: fresh after every write that changes them,
cheaper on the second request, and keyed on everything they show (zone, query, session, viewer).

Bumps run on commit; the test transaction never commits, so writes run inside
django_capture_on_commit_callbacks(execute=True), as they would commit in production.
"""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.services import user_profile_update
from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.services import booking_cancel, booking_hold, booking_reassign, booking_transition, holds_expire
from bookings.tests.factories import NOW, WEDNESDAY_10, BookingFactory
from consultations.models import Review
from consultations.services import review_create, review_moderate, review_reply
from expert_marketplace import services, views
from expert_marketplace.admin import ExpertiseAreaAdmin, ExpertProfileAdmin, LanguageAdmin
from expert_marketplace.models import AvailabilityOverride, ExpertProfile

from .factories import ExpertProfileFactory, SessionTypeFactory, area, language

pytestmark = pytest.mark.django_db

SLOT = 'data-slot-start="2027-03-03T10:00:00Z"'  # Wednesday 10:00 UTC, free by default


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(views, "_now", lambda: NOW)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs the on-commit hooks (the bumps) of the writes inside it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def expert():
    expert = ExpertProfileFactory(display_name="Ada Lovelace", areas=[area()], langs=[language()])
    SessionTypeFactory(expert=expert, name="Strategy call", duration_minutes=60, price_pence=9000)
    return expert


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _profile(client, expert, query="", day="2027-03-03") -> str:
    """The profile with `day`'s times shown (the month view shows one day's times)."""
    return _page(client, f"/experts/{expert.slug}/{query}{'&' if query else '?'}date={day}")


def _admin_save(model_admin, obj, *, changed=()) -> None:
    """Staff saving `obj` in its admin: the admin's own save_model runs, inside one transaction as
    the admin's change view does (its inlines and m2m save in the same one)."""
    request = RequestFactory().post("/admin/")
    request.user = UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True)
    site_admin = model_admin(type(obj), admin.site)
    with transaction.atomic():
        site_admin.save_model(request, obj, SimpleNamespace(changed_data=list(changed)), change=True)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- the cache works --------------------------------------------------------------------------------


def test_directory_second_request_runs_no_list_queries(client, expert):
    assert _queries(client, "/experts/") >= 5  # filter choices, count, page, areas, languages
    assert _queries(client, "/experts/") == 0
    assert _queries(client, "/experts/?expertise=digital-technology") > 0  # another query, another entry


def test_signed_in_directory_second_request_runs_fewer_queries(client, expert):
    client.force_login(UserFactory())
    first = _queries(client, "/experts/")
    assert _queries(client, "/experts/") < first


def test_profile_second_request_runs_no_query(client, expert):
    assert _queries(client, f"/experts/{expert.slug}/") > 1
    assert _queries(client, f"/experts/{expert.slug}/") == 0  # slug lookup and body both cached
    assert SLOT in _profile(client, expert)  # and the cached body is the full page
    client.force_login(UserFactory())
    first = _queries(client, f"/experts/{expert.slug}/")
    assert _queries(client, f"/experts/{expert.slug}/") <= first  # the session and user only


def test_rename_moves_the_profile_and_its_title_at_once(client, expert, commit):
    assert "<title>Ada Lovelace" in _profile(client, expert)
    with commit():
        renamed = services.expert_profile_update(
            expert=expert,
            display_name="Ada King",
            headline="Countess",
            bio="",
            expertise_areas=[],
            languages=[],
            years_experience=0,
            adviser_status="none",
            adviser_number="",
        )
    assert renamed.slug != expert.slug
    assert client.get(f"/experts/{expert.slug}/").status_code == 404
    html = _profile(client, renamed)
    assert "<title>Ada King" in html and 'content="Countess"' in html


def test_cached_profile_still_404s_once_unlisted(client, expert, commit):
    _profile(client, expert)
    with commit():
        expert.is_active = False
        _admin_save(ExpertProfileAdmin, expert, changed=["is_active"])
    assert client.get(f"/experts/{expert.slug}/").status_code == 404
    assert client.get("/experts/no-such-expert/").status_code == 404


def test_unlisted_expert_is_404_even_when_another_page_is_cached(client, expert):
    pending = ExpertProfileFactory(status=ExpertProfile.Status.PENDING)
    _profile(client, expert)
    assert client.get(f"/experts/{pending.slug}/").status_code == 404


# --- keys: zone, query, session, viewer --------------------------------------------------------------


def test_profile_times_differ_by_viewer_timezone(client, expert):
    in_london = '<time datetime="2027-03-03T10:00:00+00:00">10:00</time>'
    in_kolkata = '<time datetime="2027-03-03T15:30:00+05:30">15:30</time>'  # 10:00 UTC is 15:30 IST
    london = _profile(client, expert)
    kolkata = _profile(client, expert, "?tz=Asia/Kolkata")
    assert in_london in london and "Europe/London" in london and in_kolkata not in london
    assert in_kolkata in kolkata and "Asia/Kolkata" in kolkata and in_london not in kolkata
    # Signed-in viewers get their own zone, whatever was cached for anonymous ones.
    client.force_login(UserFactory(timezone="Asia/Kolkata"))
    assert in_kolkata in _profile(client, expert)


def test_directory_times_differ_by_viewer_timezone(client, expert):
    services.expert_next_slot_refresh(expert_ids=[expert.pk], now=NOW)  # Tue 2 Mar 09:00 UTC
    assert "Tue 2 Mar, 09:00" in _page(client, "/experts/")
    assert "Tue 2 Mar, 14:30" in _page(client, "/experts/?tz=Asia/Kolkata")
    client.force_login(UserFactory(timezone="Asia/Kolkata"))
    html = _page(client, "/experts/")
    assert "Tue 2 Mar, 14:30" in html and "log in</a> to use your own timezone" not in html


def test_profile_key_varies_by_session(client, expert):
    long_one = SessionTypeFactory(expert=expert, name="Deep dive", duration_minutes=180, price_pence=20000)
    assert 'data-slot-start="2027-03-02T16:00:00Z"' in _profile(client, expert, day="2027-03-02")  # a 60-min slot
    deep = _profile(client, expert, f"?session={long_one.pk}", day="2027-03-02")
    assert f'data-session-type="{long_one.pk}"' in deep
    assert 'data-slot-start="2027-03-02T16:00:00Z"' not in deep  # 3 h do not fit after 16:00
    without_csrf = lambda html: re.sub(r'"X-CSRFToken": "\w+"', "", html)  # noqa: E731
    assert without_csrf(_profile(client, expert, "?session=bogus")) == without_csrf(_profile(client, expert))


def test_directory_key_varies_by_filters_page_and_tz_link(client):
    tech, arts = area(), area("arts-culture", "Arts & culture")
    for n in range(21):
        ExpertProfileFactory(display_name=f"Tech {n:02d}", areas=[tech])
    ExpertProfileFactory(display_name="Artist", areas=[arts])
    assert "Page 1 of 2" in _page(client, "/experts/")
    page2 = _page(client, "/experts/?page=2")
    assert "Page 2 of 2" in page2 and page2.count('data-testid="expert-card"') == 2
    arts_page = _page(client, "/experts/?expertise=arts-culture&utm_source=x")
    assert arts_page.count('data-testid="expert-card"') == 1 and "Artist" in arts_page
    assert 'value="arts-culture" selected' in arts_page  # the form is cached with its state
    assert "utm_source" not in arts_page  # links carry the directory's own parameters only
    tokyo = _page(client, "/experts/?tz=Asia/Tokyo")
    assert "?tz=Asia/Tokyo" in tokyo and 'value="Asia/Tokyo"' in tokyo
    assert "?tz=Asia/Tokyo" not in _page(client, "/experts/")


def test_anonymous_and_signed_in_viewers_do_not_share_the_directory_fragment(client, expert):
    anonymous = _page(client, "/experts/")
    assert 'action="/experts/timezone/"' in anonymous and "data-detect-timezone" in anonymous
    client.force_login(UserFactory(timezone="Europe/London"))
    signed_in = _page(client, "/experts/")
    assert 'action="/experts/timezone/"' not in signed_in and "data-detect-timezone" not in signed_in


# --- directory: fresh after every write a card shows ------------------------------------------------


def test_price_change_shows_on_the_directory_at_once(client, expert, commit):
    services.expert_next_slot_refresh(expert_ids=[expert.pk])  # so that only the price changes below
    assert "£90" in _page(client, "/experts/")
    assert "£90" in _profile(client, expert)
    session = expert.session_types.get()
    with commit():
        services.session_type_update(
            session_type=session, name=session.name, duration_minutes=60, price_pence=12500, is_active=True
        )
    html = _page(client, "/experts/")
    assert "£125" in html and "£90" not in html
    assert "£125" in _profile(client, expert)


def test_new_and_deleted_session_types_show_at_once(client, expert, commit):
    _page(client, "/experts/")
    _profile(client, expert)
    with commit():
        cheap = services.session_type_create(expert=expert, name="Quick check", duration_minutes=30, price_pence=4000)
    assert "£40" in _page(client, "/experts/")
    assert "Quick check" in _profile(client, expert)
    with commit():
        services.session_type_delete(session_type=cheap)
    assert "£40" not in _page(client, "/experts/")
    assert "Quick check" not in _profile(client, expert)


def test_approval_adds_the_card_and_rejection_removes_it(client, expert, commit):
    staff = UserFactory(role=User.Role.STAFF, is_staff=True)
    applicant = ExpertProfileFactory(display_name="Grace Hopper", status=ExpertProfile.Status.PENDING)
    assert "Grace Hopper" not in _page(client, "/experts/")
    with commit():
        services.expert_approve(expert=applicant, actor=staff)
    assert "Grace Hopper" in _page(client, "/experts/")
    with commit():
        services.expert_reject(expert=applicant, actor=staff, reason="Not a fit")
    assert "Grace Hopper" not in _page(client, "/experts/")


def test_profile_edit_verification_and_photo_show_at_once(client, expert, commit):
    _page(client, "/experts/")
    _profile(client, expert)
    arts, german = area("arts-culture", "Arts & culture"), language("de", "German")
    with commit():
        services.expert_profile_update(
            expert=expert,
            display_name="Ada Lovelace",
            headline="Now with a new headline",
            bio="New bio.",
            expertise_areas=[arts],
            languages=[german],
            years_experience=12,
            adviser_status="oisc",
            adviser_number="F201900123",
        )
    for html in (_page(client, "/experts/"), _profile(client, expert)):
        assert "Now with a new headline" in html and "Arts &amp; culture" in html and "German" in html
        assert "12 yrs experience" in html and "OISC verified" not in html
    with commit():
        services.expert_adviser_verify(expert=expert, actor=None)
    assert "OISC verified" in _page(client, "/experts/")
    assert "OISC verified" in _profile(client, expert)
    with commit():
        expert.refresh_from_db()
        expert.photo = "experts/ada.jpg"  # staff replacing the photo in the admin
        _admin_save(ExpertProfileAdmin, expert, changed=["photo"])
    assert "/media/experts/ada.jpg" in _page(client, "/experts/")
    assert "/media/experts/ada.jpg" in _profile(client, expert)


def test_language_changes_in_the_admin_show_at_once(client, expert, commit):
    """The admin's change form saves the m2m with the profile, in one transaction (save_related)."""
    french = language("fr", "French")
    _page(client, "/experts/")
    with commit():
        expert.languages.add(french)
        _admin_save(ExpertProfileAdmin, expert, changed=["languages"])
    assert "English, French" in _page(client, "/experts/")
    with commit():
        expert.languages.remove(french)
        _admin_save(ExpertProfileAdmin, expert, changed=["languages"])
    assert "English, French" not in _page(client, "/experts/")
    with commit():
        expert.languages.add(french)
        _admin_save(ExpertProfileAdmin, expert, changed=["languages"])
    assert "English, French" in _profile(client, expert)


def test_expertise_and_language_renames_show_everywhere(client, expert, commit):
    _page(client, "/experts/")
    _profile(client, expert)
    with commit():
        tech = area()
        tech.name = "Digital tech & AI"
        _admin_save(ExpertiseAreaAdmin, tech, changed=["name"])
        english = language()
        english.name = "English (UK)"
        _admin_save(LanguageAdmin, english, changed=["name"])
    directory = _page(client, "/experts/")
    assert "Digital tech &amp; AI" in directory and "English (UK)" in directory  # cards and filter choices
    profile = _profile(client, expert)
    assert "Digital tech &amp; AI" in profile and "English (UK)" in profile


def test_next_slot_refresh_shows_on_the_card(client, expert, commit):
    with commit():
        services.expert_next_slot_refresh(expert_ids=[expert.pk], now=NOW)
    assert "Tue 2 Mar, 09:00" in _page(client, "/experts/")
    with commit():  # bulk_update: no signal, an explicit bump
        assert services.expert_next_slot_refresh(expert_ids=[expert.pk], now=NOW + dt.timedelta(days=1)) == 1
    html = _page(client, "/experts/")
    assert "Wed 3 Mar, 09:00" in html and "Tue 2 Mar, 09:00" not in html


def test_rating_recompute_and_staff_unlisting_show_on_the_card(client, expert, commit):
    session = expert.session_types.get()
    for rating in (4, 5):
        reviewer = UserFactory()
        booking = BookingFactory(session_type=session, client=reviewer, status=Booking.Status.COMPLETED)
        _page(client, "/experts/")
        with commit():
            review_create(booking=booking, client=reviewer, rating=rating, now=NOW)
    html = _page(client, "/experts/")
    assert "(2 reviews)" in html and "4.5" in html
    with commit():
        unlisted = ExpertProfile.objects.get(pk=expert.pk)
        unlisted.is_active = False
        _admin_save(ExpertProfileAdmin, unlisted, changed=["is_active"])
    assert "Ada Lovelace" not in _page(client, "/experts/")


# --- profile: fresh after every booking, availability and review change -----------------------------


def test_new_hold_removes_the_slot_and_its_expiry_brings_it_back(client, expert, commit):
    assert SLOT in _profile(client, expert)
    with commit():
        hold = booking_hold(client=UserFactory(), session_type=expert.session_types.get(), start=WEDNESDAY_10, now=NOW)
    assert hold.status == Booking.Status.PENDING_PAYMENT
    assert SLOT not in _profile(client, expert)
    with commit():
        assert holds_expire(now=NOW + dt.timedelta(hours=1)) == 1
    assert SLOT in _profile(client, expert)


def test_confirmed_booking_and_cancellation(client, expert, commit):
    assert SLOT in _profile(client, expert)
    with commit():
        booking = booking_hold(
            client=UserFactory(), session_type=expert.session_types.get(), start=WEDNESDAY_10, now=NOW
        )
        booking = booking_transition(booking=booking, to_status=Booking.Status.CONFIRMED, note="Paid.")
    assert SLOT not in _profile(client, expert)
    with commit():
        booking_cancel(booking=booking, actor=booking.client, reason="Plans changed", now=NOW)
    assert SLOT in _profile(client, expert)


def test_reassigned_booking_frees_the_old_experts_slot(client, expert, commit):
    other = ExpertProfileFactory(display_name="Bea")
    SessionTypeFactory(expert=other, duration_minutes=60)
    with commit():
        booking = BookingFactory(session_type=expert.session_types.get())
    assert SLOT not in _profile(client, expert)
    assert SLOT in _profile(client, other)
    staff = UserFactory(role=User.Role.STAFF, is_staff=True)
    with commit():
        booking_reassign(booking=booking, new_expert=other, actor=staff, reason="Illness", now=NOW)
    assert SLOT in _profile(client, expert)
    assert SLOT not in _profile(client, other)


def test_availability_and_overrides_show_at_once(client, expert, commit):
    assert SLOT in _profile(client, expert)
    with commit():
        override = services.availability_override_create(
            expert=expert, day=dt.date(2027, 3, 3), kind=AvailabilityOverride.Kind.OFF
        )
    assert 'data-day="2027-03-03" data-count' not in _profile(client, expert)
    with commit():
        services.availability_override_delete(override=override)
    assert SLOT in _profile(client, expert)
    with commit():
        services.expert_availability_update(
            expert=expert,
            weekly_schedule={"wed": [["14:00", "16:00"]]},
            timezone="UTC",
            buffer_minutes=0,
            min_notice_hours=24,
            horizon_days=60,
        )
    html = _profile(client, expert)
    assert SLOT not in html and 'data-slot-start="2027-03-03T14:00:00Z"' in html


def test_reviews_replies_hiding_and_renames_show_at_once(client, expert, commit):
    reviewer = UserFactory(full_name="Grace Hopper")
    booking = BookingFactory(session_type=expert.session_types.get(), client=reviewer, status=Booking.Status.COMPLETED)
    assert "No reviews yet" in _profile(client, expert)
    _page(client, "/experts/")
    with commit():
        review = review_create(booking=booking, client=reviewer, rating=4, text="Clear and kind.", now=NOW)
    html = _profile(client, expert)
    assert "Clear and kind." in html and "Grace H." in html and "(1 review)" in html
    assert "(1 review)" in _page(client, "/experts/")  # the rating recompute bumps the directory
    with commit():
        review_reply(review=review, actor=expert.user, text="Thank you!", now=NOW)
    assert "Thank you!" in _profile(client, expert)
    with commit():
        user_profile_update(user=reviewer, full_name="Grace Brewster", timezone=reviewer.timezone)
    assert "Grace B." in _profile(client, expert)
    staff = UserFactory(role=User.Role.STAFF, is_staff=True)
    with commit():
        review_moderate(review=review, to_status=Review.Status.HIDDEN, actor=staff, reason="Personal data")
    html = _profile(client, expert)
    assert "Clear and kind." not in html and "No reviews yet" in html
    assert "No reviews yet" in _page(client, "/experts/")


def test_user_saves_that_cannot_rename_run_no_review_query(expert, django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):  # just the UPDATE
        user.save(update_fields=["last_login"])


def test_review_dates_follow_the_zone_the_middleware_activated(client, expert):
    reviewer = UserFactory(full_name="Grace Hopper")
    booking = BookingFactory(session_type=expert.session_types.get(), client=reviewer, status=Booking.Status.COMPLETED)
    late = dt.datetime(2027, 1, 31, 23, 0, tzinfo=dt.UTC)  # already February in Kolkata
    review_create(booking=booking, client=reviewer, rating=5, text="Great", now=late)
    assert "January 2027" in _profile(client, expert, "?tz=Asia/Kolkata")  # anonymous: dates in UTC
    client.force_login(UserFactory(timezone="Asia/Kolkata"))
    assert "February 2027" in _profile(client, expert, "?tz=Asia/Kolkata")  # same query, another fragment
