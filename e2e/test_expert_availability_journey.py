"""An expert edits their weekly hours and sees their public page change."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from expert_marketplace.models import ExpertiseArea, ExpertProfile, ExpertTier, Language, SessionType

pytestmark = pytest.mark.django_db(transaction=True)

WEEKDAYS = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": [], "sun": []}


def _expert():
    # Transactional tests flush data-migration rows: create what this journey needs.
    area, _ = ExpertiseArea.objects.get_or_create(slug="digital-technology", defaults={"name": "Digital technology"})
    english, _ = Language.objects.get_or_create(code="en", defaults={"name": "English"})
    tier, _ = ExpertTier.objects.get_or_create(slug="standard", defaults={"name": "Standard", "commission_bps": 2000})
    user = UserFactory(email="amara@example.com", full_name="Amara Okafor", role=User.Role.EXPERT, timezone="UTC")
    expert = ExpertProfile.objects.create(
        user=user,
        display_name="Amara Okafor",
        slug="amara-okafor",
        headline="Former Tech Nation assessor · 60+ endorsed applicants",
        bio="I spent four years reviewing Global Talent applications in digital technology. " * 4,
        status=ExpertProfile.Status.APPROVED,
        timezone="UTC",
        weekly_schedule=WEEKDAYS,
        buffer_minutes=0,
        min_notice_hours=0,
        horizon_days=30,
        tier=tier,
        years_experience=9,
        adviser_status="oisc",
        adviser_number="F201900123",
        adviser_verified=True,
    )
    expert.expertise_areas.set([area])
    expert.languages.set([english])
    SessionType.objects.create(expert=expert, name="Application review", duration_minutes=60, price_pence=12000)
    SessionType.objects.create(expert=expert, name="Quick question", duration_minutes=30, price_pence=5000)
    return expert


def _saturdays_ahead(days=14):
    today = dt.datetime.now(dt.UTC).date()
    return {
        (today + dt.timedelta(days=n)).isoformat()
        for n in range(days + 1)
        if (today + dt.timedelta(days=n)).weekday() == 5
    }


def test_expert_adds_saturday_hours_and_public_page_shows_them(page, live_server, shoot):
    expert = _expert()
    saturdays = _saturdays_ahead()

    # The directory and the public page before: no Saturday slots.
    page.goto(live_server.url + "/experts/")
    expect(page.get_by_test_id("expert-card")).to_have_count(1)
    shoot("experts-directory")
    page.goto(f"{live_server.url}/experts/{expert.slug}/")
    expect(page.get_by_role("heading", name="Amara Okafor")).to_be_visible()
    free_days = "[data-testid=date-strip] a[data-day]"
    shown = set(page.locator(free_days).evaluate_all("els => els.map(e => e.dataset.day)"))
    assert shown and not (shown & saturdays)
    shoot("expert-profile")

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", expert.user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))
    page.get_by_role("link", name=re.compile("Open expert dashboard")).click()
    expect(page).to_have_url(re.compile(r"/expert/$"))
    expect(page.get_by_test_id("payouts-state")).to_contain_text("connect a Stripe account")
    shoot("expert-dashboard")

    page.goto(live_server.url + "/expert/availability/")
    saturday = page.locator("#day-sat")
    saturday.locator("input[name=sat-0-start]").fill("10:00")
    saturday.locator("input[name=sat-0-end]").fill("12:00")
    # A second range through "Add a time range" (htmx swaps the form; it works without JS too).
    saturday.get_by_role("button", name=re.compile("Add a time range")).click()
    expect(page.locator("input[name=sat-1-start]")).to_be_visible()
    expect(page.locator("input[name=sat-0-start]")).to_have_value("10:00")
    page.fill("input[name=sat-1-start]", "14:00")
    page.fill("input[name=sat-1-end]", "15:00")
    shoot("expert-availability-editing")

    # A mistake first: an overlapping Sunday range is explained and nothing is saved.
    page.fill("input[name=sun-0-start]", "13:00")
    page.fill("input[name=sun-0-end]", "12:00")
    page.get_by_role("button", name="Save availability").click()
    expect(page.get_by_test_id("schedule-errors")).to_contain_text("Sunday: 13:00–12:00 ends before it starts")
    shoot("expert-availability-error")
    page.fill("input[name=sun-0-start]", "")
    page.fill("input[name=sun-0-end]", "")
    page.get_by_role("button", name="Save availability").click()
    expect(page).to_have_url(re.compile(r"/expert/availability/#preview$"))
    expect(page.locator("[data-message]").first).to_contain_text("Availability saved")
    preview_days = set(page.locator("[data-testid=preview-day]").evaluate_all("els => els.map(e => e.dataset.day)"))
    assert preview_days & saturdays  # the 7-day preview always reaches a Saturday
    shoot("expert-availability")

    expert.refresh_from_db()
    assert expert.weekly_schedule["sat"] == [["10:00", "12:00"], ["14:00", "15:00"]]

    # The public page now offers Saturday times (in the viewer's zone: UTC here).
    page.goto(f"{live_server.url}/experts/{expert.slug}/")
    first_saturday = sorted(saturdays)[0]
    if page.locator(f"{free_days}[data-day='{first_saturday}']").count() == 0:
        page.get_by_test_id("month-next").click()  # the month view: that Saturday is next month
    page.locator(f"{free_days}[data-day='{first_saturday}']").click()  # htmx swaps in its times
    expect(page.get_by_test_id("times-heading")).to_be_focused()
    day = page.get_by_test_id("times")
    # The shortest session (30 min) is shown by default.
    expect(day.locator("[data-slot] time")).to_have_text(["10:00", "10:30", "11:00", "11:30", "14:00", "14:30"])
    # Each time is a live link into the booking wizard (bookings issue).
    expect(day.locator("[data-slot]").first).to_have_attribute(
        "href", re.compile(rf"/experts/{expert.slug}/book/\?session=")
    )
