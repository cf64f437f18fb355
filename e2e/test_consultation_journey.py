"""The expert completes a consultation, the client reviews it, the rating shows on the public
profile; the expert's earning goes from pending to paid once the dispute window has passed."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from bookings.tests.factories import BookingFactory
from consultations import services
from expert_marketplace.tests.factories import ExpertProfileFactory, SessionTypeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))


def _logout(page):
    page.context.clear_cookies()


def test_complete_review_and_get_paid(page, live_server, shoot, settings):
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    expert_user = UserFactory(
        email="amara@example.com", full_name="Amara Okafor", role=User.Role.EXPERT, timezone="UTC"
    )
    expert = ExpertProfileFactory(
        user=expert_user,
        display_name="Amara Okafor",
        slug="amara-okafor",
        stripe_account_id="tm_acct_amara",
        payouts_enabled=True,
    )
    session_type = SessionTypeFactory(expert=expert, name="Application review", price_pence=12000)
    client = UserFactory(email="chidi@example.com", full_name="Chidi Anagonye", timezone="Europe/London")
    # Time travel: the session started 90 minutes ago and ended 30 minutes ago.
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=90)
    booking = BookingFactory(
        client=client,
        session_type=session_type,
        start_at=start,
        end_at=start + dt.timedelta(hours=1),
        price_pence=12000,
        commission_bps=1750,
        questions="Is my open-source work enough for Exceptional Talent?",
        target_route="digital_technology",
        target_category="talent",
    )
    # Another upcoming one, so the list has more than one tab in use.
    BookingFactory(
        client=UserFactory(full_name="Dana Lee"), session_type=session_type, start_at=start + dt.timedelta(days=2)
    )

    # --- the expert marks the session complete ------------------------------------------------
    _login(page, live_server, expert_user)
    page.goto(live_server.url + "/consultations/expert/")
    expect(page.get_by_test_id("tab-to_complete")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("consultation-row")).to_have_count(1)
    expect(page.get_by_test_id("consultation-row")).to_contain_text("Chidi Anagonye")
    shoot("consultations-expert-to-complete")
    page.get_by_test_id("open").click()
    expect(page.get_by_role("heading", name="Chidi Anagonye")).to_be_visible()
    page.fill(
        "textarea[name=shared_notes]",
        "1. Lead with the Kubernetes operator you maintain.\n2. Ask two maintainers for letters.",
    )
    page.get_by_test_id("save-notes").click()
    expect(page.get_by_text("Notes saved.")).to_be_visible()
    shoot("consultations-expert-detail")
    page.get_by_test_id("complete").click()
    expect(page.get_by_text("Marked complete.")).to_be_visible()
    expect(page.get_by_test_id("booking-status")).to_have_text("Completed")

    page.goto(live_server.url + "/consultations/expert/earnings/")
    expect(page.get_by_test_id("total-pending")).to_have_text("£99.00")  # 12,000p − 17.5 % (2,100p)
    expect(page.get_by_test_id("total-paid")).to_have_text("£0.00")
    shoot("consultations-expert-earnings-pending")
    _logout(page)

    # --- the client reviews it ---------------------------------------------------------------------
    _login(page, live_server, client)
    page.goto(live_server.url + f"/bookings/{booking.pk}/")
    expect(page.get_by_test_id("shared-notes")).to_contain_text("Kubernetes operator")
    shoot("consultations-client-booking-after")
    page.get_by_test_id("report-problem").click()
    expect(page.get_by_role("heading", name="Report a problem")).to_be_visible()
    shoot("consultations-dispute-form")
    page.go_back()
    page.get_by_test_id("leave-review").click()
    expect(page.get_by_role("heading", name="Leave a review")).to_be_visible()
    page.locator("label:has(input[name=rating][value='5'])").click()
    page.fill("textarea[name=text]", "Amara saw straight away which evidence was strongest. Worth every penny.")
    shoot("consultations-review-form")
    page.get_by_test_id("submit-review").click()
    expect(page.get_by_test_id("my-review")).to_contain_text("Worth every penny")

    # The rating is on the public profile and in the directory.
    page.goto(live_server.url + "/experts/amara-okafor/")
    expect(page.get_by_test_id("public-reviews")).to_contain_text("Worth every penny")
    expect(page.get_by_test_id("public-reviews")).to_contain_text("Chidi A.")
    expect(page.locator("main").get_by_text("5.0").first).to_be_visible()
    shoot("consultations-public-profile-reviews")
    _logout(page)

    # --- after the dispute window: released and paid out ------------------------------------------
    later = booking.end_at + dt.timedelta(hours=49)
    assert services.earnings_release(now=later) == 1
    assert services.earnings_payout_run(now=later)["paid"] == 1
    _login(page, live_server, expert_user)
    page.goto(live_server.url + "/consultations/expert/earnings/")
    expect(page.get_by_test_id("total-paid")).to_have_text("£99.00")
    expect(page.get_by_test_id("total-pending")).to_have_text("£0.00")
    expect(page.locator("[data-testid=earning-row][data-status=paid]")).to_have_count(1)
    shoot("consultations-expert-earnings-paid")
    page.goto(live_server.url + "/consultations/expert/reviews/")
    page.fill("textarea[name=text]", "Thank you, Chidi — good luck with the application!")
    page.get_by_test_id("reply-submit").click()
    expect(page.get_by_test_id("reply")).to_contain_text("good luck")
    shoot("consultations-expert-reviews")
    page.goto(live_server.url + "/consultations/expert/?tab=past")
    shoot("consultations-expert-past")
