"""Calendar feeds and the month view in the browser: the expert's own calendar (a local .ics
server) has a busy hour, which disappears from an anonymous visitor's month view shown in the
browser's own zone; the expert's feed lists a booking; screenshots of the three pages."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from bookings.models import Booking
from bookings.tests.factories import BookingFactory
from expert_marketplace.models import ExpertProfile, SessionType
from expert_marketplace.tests.ics_server import ics_server, vcalendar

pytestmark = pytest.mark.django_db(transaction=True)

WEEKDAYS = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": [], "sun": []}


def _busy_day() -> dt.date:
    day = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def test_own_calendar_blocks_a_slot_and_feed_lists_the_booking(page, browser, live_server, shoot, settings):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE_HOSTS = True  # the .ics server is on 127.0.0.1
    user = UserFactory(email="amara@example.com", full_name="Amara Okafor", role=User.Role.EXPERT, timezone="UTC")
    expert = ExpertProfile.objects.create(
        user=user,
        display_name="Amara Okafor",
        slug="amara-okafor",
        headline="Former endorsement assessor",
        status=ExpertProfile.Status.APPROVED,
        timezone="UTC",
        weekly_schedule=WEEKDAYS,
        buffer_minutes=0,
        min_notice_hours=0,
        horizon_days=45,
    )
    session = SessionType.objects.create(
        expert=expert, name="Application review", duration_minutes=60, price_pence=9000
    )
    day = _busy_day()
    busy = f"{day:%Y%m%d}T100000Z"
    with ics_server() as (base, routes, _):
        routes.ics(
            "/amara.ics",
            vcalendar(f"BEGIN:VEVENT\nUID:dentist@test\nDTSTART:{busy}\nDTEND:{day:%Y%m%d}T110000Z\nEND:VEVENT"),
        )
        # The expert adds their own calendar and makes a feed address on the availability page.
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.locator("main form button.btn-primary[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/me/dashboard/$"))
        page.goto(live_server.url + "/expert/availability/")
        page.get_by_role("button", name="Create my feed address").click()
        page.fill("input[name=url]", base + "/amara.ics")
        page.get_by_role("button", name="Save address").click()
        expect(page.get_by_test_id("import-status")).to_contain_text("1 busy time")
        feed_url = page.get_by_test_id("feed-url").input_value()
        page.locator("#calendars").scroll_into_view_if_needed()
        shoot("calendar-availability-feeds")

    # An anonymous visitor in New York: the month view in their browser's zone, the busy hour gone.
    context = browser.new_context(timezone_id="America/New_York")
    visitor = context.new_page()
    visitor.goto(f"{live_server.url}/experts/{expert.slug}/")
    expect(visitor.get_by_test_id("viewer-tz")).to_have_text("America/New York")  # tz cookie, one reload
    grid_day = visitor.locator(f"[data-testid=date-strip] a[data-day='{day.isoformat()}']")
    if grid_day.count() == 0:
        visitor.get_by_test_id("month-next").click()
    grid_day.click()
    expect(visitor.get_by_test_id("times-heading")).to_be_focused()
    starts = visitor.locator("[data-testid=times] [data-slot]").evaluate_all("els => els.map(e => e.dataset.slotStart)")
    assert f"{day.isoformat()}T11:00:00Z" in starts and f"{day.isoformat()}T10:00:00Z" not in starts
    expect(visitor.locator(f"[data-slot-start='{day.isoformat()}T11:00:00Z'] time")).to_have_text("06:00")
    for label, size in (("laptop", {"width": 1280, "height": 800}), ("phone", {"width": 390, "height": 844})):
        visitor.set_viewport_size(size)
        visitor.screenshot(path=f"test-artifacts/screenshots/calendar-profile-month-{label}.png", full_page=True)
    # The next month comes in by htmx and stays within the 45-day horizon.
    visitor.get_by_test_id("month-next").click()
    expect(visitor.get_by_test_id("slot-picker")).not_to_have_attribute("data-month", f"{day:%Y-%m}")
    context.close()

    # A client picks a time: the wizard's time step is the same month view.
    client = UserFactory(email="chidi@example.com", full_name="Chidi Anagonye", timezone="Europe/London")
    page.context.clear_cookies()  # the expert signs out
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", client.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    page.goto(f"{live_server.url}/bookings/new/start/?session={session.pk}")
    expect(page.get_by_test_id("slot-picker")).to_be_visible()
    assert page.locator(f"[data-testid=times] [data-slot-start='{day.isoformat()}T10:00:00Z']").count() == 0
    shoot("calendar-wizard-time-step")

    # The expert's feed lists a booking (what Google, Outlook and Apple poll).
    booking = BookingFactory(
        client=client, session_type=session, start_at=dt.datetime.combine(day, dt.time(14), tzinfo=dt.UTC)
    )
    assert booking.status == Booking.Status.CONFIRMED
    feed = page.request.get(feed_url)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert f"UID:booking-{booking.pk}@" in feed.text() and "STATUS:CONFIRMED" in feed.text()
