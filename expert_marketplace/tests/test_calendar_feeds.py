"""Calendar feeds (issue 20): the expert's own calendar blocks slots (fetched from a local HTTP
server: recurring events, zones, all-day events, size/time limits, the SSRF guard), and the
expert's secret feed of their bookings."""

import datetime as dt

import pytest
from django.conf import settings
from django.http import Http404
from django.urls import reverse
from icalendar import Calendar

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.services import SlotUnavailable, booking_hold
from bookings.tests.factories import NOW, BookingFactory, expert_with_session, utc
from expert_marketplace import calendar_import, services, tasks
from expert_marketplace.calendar_import import CalendarImportError, fetch_ics, normalise_url
from expert_marketplace.models import ExpertProfile
from expert_marketplace.selectors import expert_by_feed_token, expert_free_slots

from .ics_server import ics_server, vcalendar

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
OWN_UID = "booking-77@" + (settings.SITE_URL.split("//")[1].split(":")[0].split("/")[0])

EVENTS = vcalendar(
    # Weekly on Wednesdays 10:00 London (GMT in March: 10:00 UTC), 4 times, without 10 March.
    """BEGIN:VEVENT
UID:weekly@test
DTSTART;TZID=Europe/London:20270303T100000
DTEND;TZID=Europe/London:20270303T110000
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/London:20270310T100000
SUMMARY:Team call
END:VEVENT""",
    # 09:00 New York (EST) on Thursday = 14:00 UTC.
    """BEGIN:VEVENT
UID:ny@test
DTSTART;TZID=America/New_York:20270304T090000
DTEND;TZID=America/New_York:20270304T100000
SUMMARY:Client in New York
END:VEVENT""",
    # All day Friday 5 March (the expert's zone: UTC).
    """BEGIN:VEVENT
UID:allday@test
DTSTART;VALUE=DATE:20270305
DTEND;VALUE=DATE:20270306
SUMMARY:Conference
END:VEVENT""",
    # Free time and a cancelled meeting block nothing; nor does our own invitation.
    """BEGIN:VEVENT
UID:free@test
DTSTART:20270302T130000Z
DTEND:20270302T140000Z
TRANSP:TRANSPARENT
END:VEVENT""",
    """BEGIN:VEVENT
UID:cancelled@test
DTSTART:20270302T150000Z
DTEND:20270302T160000Z
STATUS:CANCELLED
END:VEVENT""",
    f"""BEGIN:VEVENT
UID:{OWN_UID}
DTSTART:20270302T140000Z
DTEND:20270302T150000Z
END:VEVENT""",
)

# Floating time in a calendar whose zone is X-WR-TIMEZONE: 15:30 in Kolkata = 10:00 UTC.
X_WR = vcalendar(
    """BEGIN:VEVENT
UID:kolkata@test
DTSTART:20270302T153000
DTEND:20270302T163000
END:VEVENT""",
    extra="X-WR-TIMEZONE:Asia/Kolkata\r\n",
)


@pytest.fixture
def private_hosts_allowed(settings):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE_HOSTS = True


def _expert_with_calendar(url):
    expert, session = expert_with_session()
    ExpertProfile.objects.filter(pk=expert.pk).update(calendar_import_url=url)
    return expert, session


def _starts(expert, session):
    expert = ExpertProfile.objects.get(pk=expert.pk)
    slots = expert_free_slots(
        expert=expert, duration=dt.timedelta(minutes=session.duration_minutes), now=NOW, days=None
    )
    return {slot.start for slot in slots}


def test_busy_times_of_the_experts_calendar_block_slots(private_hosts_allowed):
    with ics_server() as (base, routes, hits):
        routes.ics("/cal.ics", EVENTS)
        expert, session = _expert_with_calendar(base + "/cal.ics")
        before = _starts(expert, session)
        assert services.expert_calendar_import_sync(expert_id=expert.pk, now=NOW) is True
    after = _starts(expert, session)
    expert.refresh_from_db()
    assert expert.calendar_import_status == "ok" and expert.calendar_import_error == ""
    gone = before - after
    # Weekly call: 3, 17 and 24 March at 10:00 UTC, not the 10th (EXDATE).
    for day in (3, 17, 24):
        assert utc(2027, 3, day, 10) in gone
    assert utc(2027, 3, 10, 10) in after
    assert utc(2027, 3, 4, 14) in gone and utc(2027, 3, 4, 13) in after  # New York 09:00 EST
    assert not any(s.date() == dt.date(2027, 3, 5) for s in after)  # all day Friday
    assert {utc(2027, 3, 2, 13), utc(2027, 3, 2, 15), utc(2027, 3, 2, 14)} <= after  # free, cancelled, ours
    # The slot is refused by the hold too, not only hidden.
    with pytest.raises(SlotUnavailable):
        booking_hold(client=UserFactory(), session_type=session, start=utc(2027, 3, 3, 10), now=NOW)


def test_x_wr_timezone_reads_floating_times(private_hosts_allowed):
    with ics_server() as (base, routes, _):
        routes.ics("/x.ics", X_WR)
        expert, session = _expert_with_calendar(base + "/x.ics")
        services.expert_calendar_import_sync(expert_id=expert.pk, now=NOW)
    after = _starts(expert, session)
    assert utc(2027, 3, 2, 10) not in after and utc(2027, 3, 2, 11) in after


def test_a_failed_sync_keeps_the_last_good_busy_times_and_shows_the_error(private_hosts_allowed, client):
    with ics_server() as (base, routes, _):
        routes.ics("/cal.ics", EVENTS)
        expert, session = _expert_with_calendar(base + "/cal.ics")
        services.expert_calendar_import_sync(expert_id=expert.pk, now=NOW)
        routes.ics("/cal.ics", "<html>Sign in</html>")
        assert services.expert_calendar_import_sync(expert_id=expert.pk, now=NOW + HOUR) is False
    expert.refresh_from_db()
    assert expert.calendar_import_status == "error"
    assert "did not return an iCal calendar" in expert.calendar_import_error
    assert utc(2027, 3, 3, 10) not in _starts(expert, session)  # still blocked
    client.force_login(expert.user)
    page = client.get(reverse("expert_area:availability")).content.decode()
    assert "did not return an iCal calendar" in page and 'data-testid="import-status"' in page


def test_loopback_and_private_hosts_are_refused_by_default():
    with ics_server() as (base, routes, hits):
        routes.ics("/cal.ics", EVENTS)
        with pytest.raises(CalendarImportError, match="not a public internet address"):
            fetch_ics(base + "/cal.ics")
        assert hits == []  # refused before connecting
    for url in ("http://10.0.0.7/cal.ics", "http://169.254.169.254/latest/meta-data", "http://[::1]/x.ics"):
        with pytest.raises(CalendarImportError, match="not a public internet address"):
            fetch_ics(url)


def test_a_redirect_to_a_private_host_is_refused(monkeypatch):
    with ics_server() as (base, routes, _):
        routes.ics("/moved", "", status=302, headers={"Location": base + "/cal.ics"})
        routes.ics("/cal.ics", EVENTS)
        assert b"VCALENDAR" in fetch_ics(base + "/moved", allow_private=True)  # allowed here: the redirect is followed
        seen = []
        real = calendar_import._public_address

        def guard(host, port, *, allow_private):
            seen.append(host)
            return real(host, port, allow_private=len(seen) == 1)  # the first hop allowed, then not

        monkeypatch.setattr(calendar_import, "_public_address", guard)
        with pytest.raises(CalendarImportError, match="not a public internet address"):
            fetch_ics(base + "/moved")
        assert len(seen) == 2


def test_size_limit_and_timeout(monkeypatch):
    with ics_server() as (base, routes, _):
        routes.ics("/big.ics", b"X" * (calendar_import.MAX_BYTES + 1))
        with pytest.raises(CalendarImportError, match="larger than 2 MB"):
            fetch_ics(base + "/big.ics", allow_private=True)
        monkeypatch.setattr(calendar_import, "CONNECT_TIMEOUT", 0.3)
        routes.ics("/slow.ics", EVENTS, delay=1.0)
        with pytest.raises(CalendarImportError, match="too long"):
            fetch_ics(base + "/slow.ics", allow_private=True)
        routes.ics("/gone.ics", "nope", status=404)
        with pytest.raises(CalendarImportError, match="answered 404"):
            fetch_ics(base + "/gone.ics", allow_private=True)


def test_addresses_are_normalised_or_refused():
    assert normalise_url(" webcal://p01-calendars.icloud.com/published/2/abc ") == (
        "https://p01-calendars.icloud.com/published/2/abc"
    )
    for bad in ("file:///etc/passwd", "ftp://example.com/x.ics", "https://user:pw@example.com/x.ics", "calendar"):
        with pytest.raises(CalendarImportError):
            normalise_url(bad)


def test_saving_the_address_syncs_it_and_the_beat_task_fans_out(
    private_hosts_allowed, client, django_capture_on_commit_callbacks
):
    with ics_server() as (base, routes, hits):
        routes.ics("/cal.ics", EVENTS)
        expert, session = expert_with_session()
        client.force_login(expert.user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("expert_area:calendar_import"), {"url": base + "/cal.ics", "action": "save"})
        assert response.status_code == 302
        expert.refresh_from_db()
        assert expert.calendar_import_status == "ok" and len(hits) == 1  # read at once (eager Celery)
        assert tasks.expert_calendar_imports_sync_task() == 1 and len(hits) == 2
        client.post(reverse("expert_area:calendar_import"), {"action": "remove"})
    expert.refresh_from_db()
    assert expert.calendar_import_url == "" and expert.calendar_import_busy == []
    assert tasks.expert_calendar_imports_sync_task() == 0
    assert "expert-calendar-imports-sync" in settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_BEAT_SCHEDULE["expert-calendar-imports-sync"]["schedule"] == 15 * 60


def test_a_bad_address_is_shown_on_the_form(client):
    expert, _ = expert_with_session()
    client.force_login(expert.user)
    response = client.post(reverse("expert_area:calendar_import"), {"url": "ftp://x/y.ics", "action": "save"})
    assert response.status_code == 400 and "starts with https:// or webcal://" in response.content.decode()


# --- the expert's feed of their bookings ------------------------------------------------------


def _feed(client, token):
    return client.get(reverse("bookings:expert_feed", kwargs={"token": token}))


def test_feed_lists_bookings_with_stable_uids_and_cancellations(client, django_assert_num_queries):
    expert, session = expert_with_session()
    token = services.expert_calendar_feed_token_regenerate(expert=expert)
    confirmed = BookingFactory(session_type=session)
    cancelled = BookingFactory(
        session_type=session, start_at=utc(2027, 3, 4, 10), status=Booking.Status.CANCELLED_BY_CLIENT
    )
    BookingFactory(session_type=session, start_at=utc(2027, 3, 5, 10), status=Booking.Status.PENDING_PAYMENT)
    BookingFactory(start_at=utc(2027, 3, 5, 12))  # another expert's
    response = _feed(client, token)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar.name == "VCALENDAR" and "METHOD" not in calendar
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"booking-{confirmed.pk}@{OWN_UID.split('@')[1]}",
        f"booking-{cancelled.pk}@{OWN_UID.split('@')[1]}",
    }
    assert str(events[f"booking-{cancelled.pk}@{OWN_UID.split('@')[1]}"]["STATUS"]) == "CANCELLED"
    assert str(events[f"booking-{confirmed.pk}@{OWN_UID.split('@')[1]}"]["STATUS"]) == "CONFIRMED"
    assert events[f"booking-{confirmed.pk}@{OWN_UID.split('@')[1]}"]["DTSTART"].dt == confirmed.start_at
    again = {str(e["UID"]) for e in Calendar.from_ical(_feed(client, token).content).walk("VEVENT")}
    assert again == set(events)  # UIDs stable between fetches
    for n in range(5):
        BookingFactory(session_type=session, start_at=utc(2027, 3, 8 + n, 10))
    with django_assert_num_queries(2):  # the token, the bookings: whatever their number
        assert len(Calendar.from_ical(_feed(client, token).content).walk("VEVENT")) == 7


def test_a_wrong_or_old_token_is_404(client):
    expert, session = expert_with_session()
    old = services.expert_calendar_feed_token_regenerate(expert=expert)
    assert _feed(client, old).status_code == 200
    new = services.expert_calendar_feed_token_regenerate(expert=expert)
    assert new != old
    assert _feed(client, old).status_code == 404
    assert _feed(client, new[:-1] + ("A" if new[-1] != "A" else "B")).status_code == 404
    assert _feed(client, "short").status_code == 404
    expert_with_session()  # an expert without a feed: "" never opens one
    with pytest.raises(Http404):
        expert_by_feed_token(token="")


def test_the_availability_page_creates_and_shows_the_feed_address(client):
    expert, _ = expert_with_session()
    client.force_login(expert.user)
    page = client.get(reverse("expert_area:availability")).content.decode()
    assert "Create my feed address" in page and 'data-testid="feed-url"' not in page
    client.post(reverse("expert_area:calendar_feed"))
    expert.refresh_from_db()
    page = client.get(reverse("expert_area:availability")).content.decode()
    assert expert.calendar_feed_token and f"/bookings/expert/feed/{expert.calendar_feed_token}.ics" in page


# --- the viewer's zone (item 10) -----------------------------------------------------------------


def test_zone_switcher_remembers_the_zone_and_profile_shows_it(client):
    expert, _ = expert_with_session()
    profile = f"/experts/{expert.slug}/"
    response = client.get("/experts/timezone/", {"tz": "America/New_York", "next": profile + "?tz=Asia/Tokyo"})
    assert response.status_code == 302 and response["Location"] == profile  # the switch replaces ?tz=
    assert response.cookies["tz"].value == "America/New_York" and response.cookies["tz"]["samesite"] == "Lax"
    html = client.get(profile).content.decode()
    assert 'data-viewer-tz-auto="America/New_York">America/New York<' in html and 'data-testid="zone-switcher"' in html
    # Unknown zones and foreign redirects are refused.
    bad = client.get("/experts/timezone/", {"tz": "Nowhere/Land", "next": "https://evil.example/"})
    assert bad["Location"] == "/experts/" and "tz" not in bad.cookies


def test_signed_in_viewers_keep_their_profile_zone(client):
    expert, _ = expert_with_session()
    client.cookies["tz"] = "America/New_York"
    client.force_login(UserFactory(timezone="Asia/Kolkata"))
    html = client.get(f"/experts/{expert.slug}/").content.decode()
    assert 'data-testid="viewer-tz">Asia/Kolkata<' in html
    assert f'href="{reverse("accounts:profile")}" data-testid="zone-switcher"' in html
    assert "data-viewer-tz-auto" not in html


def test_directory_filter_card_folds_on_a_phone(client):
    html = client.get("/experts/").content.decode()
    assert '<details class="card mt-6 group" data-filters' in html and 'data-testid="filter-card">' in html
    filtered = client.get("/experts/?language=en").content.decode()
    assert 'data-filters open data-testid="filter-card"' in filtered  # filters in use stay visible
