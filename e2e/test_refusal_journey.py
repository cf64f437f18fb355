"""After a refusal, in the browser: paste the letter, see the deadline, review it, read the findings and the
outline, book a regulated adviser in one click, pay (test mode) — and the expert reads the findings."""

import datetime as dt
import re
import zoneinfo

import pytest
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from applications.refusals.models import RefusalShare
from bookings.models import Booking
from expert_marketplace.models import ExpertProfile

from .test_ai_tools_journey import _log_in
from .test_booking_journey import _expert

pytestmark = pytest.mark.django_db(transaction=True)

LETTER = """Dear Ms Okafor,

Your application for endorsement as an Exceptional Talent in digital technology has been refused.

Mandatory criterion: Met. The keynote at PyCon UK and the coverage in Wired UK show recognition.
Optional criterion 2: Not met. There is no evidence in the application of contributions to the field outside the applicant's paid role.
Optional criterion 3: Not met. Insufficient evidence of the applicant's individual contribution; the achievements are those of the team.
Optional criterion 1: Met. The applicant led a novel on-device inference product.
Letters of recommendation: Met.

Endorsement Team"""


def test_paste_a_refusal_review_it_and_hand_it_to_a_booked_adviser(page, live_server, shoot, settings):
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    adviser = _expert()  # OISC, verified, rated 4.90
    _expert(email="zed@example.com", name="Zed Plain", slug="zed-plain", rating="5.00")
    ExpertProfile.objects.filter(slug="zed-plain").update(
        adviser_status="none", adviser_number="", adviser_verified=False
    )
    user = UserFactory(email="ada@example.com", full_name="Ada Okafor", timezone="Europe/London")
    account_services.user_email_verified(user=user)  # 20 bonus points; the review costs 15
    _log_in(page, live_server, user)

    # From the readiness plan to the intake.
    page.goto(live_server.url + "/pack/")
    page.get_by_test_id("refusal-link").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/pack/refusal/$"))
    shoot("refusal-intake")
    decision = dt.datetime.now(zoneinfo.ZoneInfo("Europe/London")).date() - dt.timedelta(days=6)
    page.fill("input[name=decision_date]", decision.isoformat())
    page.fill("textarea[name=letter_text]", LETTER)
    page.get_by_test_id("save-refusal").click()

    # The deadline and its countdown, then the paid review.
    expect(page).to_have_url(re.compile(r"/pack/refusal/\d+/$"))
    expect(page.get_by_test_id("review-deadline")).to_contain_text("22 days")
    expect(page.get_by_test_id("review-deadline")).to_contain_text("(Europe/London)")
    page.get_by_test_id("run-refusal-review").click()
    expect(page.get_by_test_id("finding")).to_have_count(2)
    expect(page.locator("[data-criterion=OC2]")).to_have_attribute("data-classification", "not_considered")
    expect(page.locator("[data-criterion=OC3]")).to_have_attribute("data-classification", "insufficient")
    expect(page.get_by_test_id("recommendation")).to_have_attribute("data-recommendation", "request_review")
    expect(page.get_by_test_id("outline-item")).to_have_count(1)
    expect(page.get_by_test_id("outline-item")).to_contain_text("[In your own words")
    expect(page.get_by_test_id("gap")).to_have_count(1)
    shoot("refusal-findings")

    # The readiness plan shows the deadline and the gap to close.
    page.goto(live_server.url + "/pack/")
    expect(page.get_by_test_id("refusal-gaps")).to_contain_text("Quantify your individual contribution")
    expect(page.get_by_test_id("refusal-gaps").get_by_test_id("review-deadline")).to_contain_text("22 days")
    shoot("refusal-plan")
    page.get_by_test_id("refusal-gaps").get_by_role("link", name="Open the findings").click()

    # One click: the regulated adviser is listed first; booking opens the wizard at the time step.
    page.get_by_test_id("book-expert").click()
    expect(page.get_by_test_id("handoff-expert").first).to_have_attribute("data-regulated", "true")
    expect(page.get_by_test_id("handoff-expert").first).to_contain_text("Amara Okafor")
    shoot("refusal-experts")
    page.get_by_test_id("handoff-expert").first.get_by_test_id("handoff-book").first.click()
    expect(page).to_have_url(re.compile(r"/bookings/new/time/"))
    target = (dt.datetime.now(dt.UTC) + dt.timedelta(days=4)).date()
    page.locator(f"[data-testid=date-strip] a[data-day='{target.isoformat()}']").click()
    expect(page.get_by_test_id("times-heading")).to_contain_text(f"{target.day} ")
    page.get_by_test_id("times").locator("button").first.click()
    expect(page).to_have_url(re.compile(r"/bookings/\d+/intake/$"))
    page.fill("textarea[name=questions]", "Should I request a review for OC2, given the points in my findings?")
    page.locator("label[for=id_target_category_1]").click()
    page.check("input[name=agree_policy]")
    page.get_by_role("button", name=re.compile("Continue to review")).click()
    page.get_by_test_id("pay").click()
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()
    expect(page.get_by_test_id("confirmed-banner")).to_contain_text("You're booked")

    booking = Booking.objects.get(client=user)
    assert booking.status == Booking.Status.CONFIRMED and booking.expert_id == adviser.pk
    assert RefusalShare.objects.filter(booking=booking, case__owner=user).exists()
    page.goto(live_server.url + "/pack/refusal/")
    page.get_by_test_id("refusal-case").get_by_role("link", name="Open").click()
    expect(page.get_by_test_id("refusal-shares")).to_contain_text("Amara Okafor")

    # The expert reads the findings (read only, deadline in their own zone).
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", adviser.user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    page.goto(live_server.url + f"/pack/refusal/shared/{booking.pk}/")
    expect(page.locator("h1")).to_contain_text("Refusal findings of Ada Okafor")
    expect(page.get_by_test_id("finding")).to_have_count(2)
    expect(page.get_by_test_id("review-deadline")).to_contain_text("(UTC)")
    expect(page.get_by_test_id("run-refusal-review")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Add the evidence you submitted")
    shoot("refusal-shared-expert")
