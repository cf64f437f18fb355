"""A client books a consultation through the wizard, pays in test mode, then cancels with a refund."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from bookings.models import Booking
from expert_marketplace.models import ExpertiseArea, ExpertProfile, ExpertTier, Language, SessionType
from payments.models import Payment

pytestmark = pytest.mark.django_db(transaction=True)

EVERY_DAY = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def _expert(*, email="amara@example.com", name="Amara Okafor", slug="amara-okafor", rating="4.90", price=12000):
    # Transactional tests flush data-migration rows: create what this journey needs.
    area, _ = ExpertiseArea.objects.get_or_create(slug="digital-technology", defaults={"name": "Digital technology"})
    english, _ = Language.objects.get_or_create(code="en", defaults={"name": "English"})
    tier, _ = ExpertTier.objects.get_or_create(slug="standard", defaults={"name": "Standard", "commission_bps": 2000})
    user = UserFactory(email=email, full_name=name, role=User.Role.EXPERT, timezone="UTC")
    expert = ExpertProfile.objects.create(
        user=user,
        display_name=name,
        slug=slug,
        headline="Former Tech Nation assessor · 60+ endorsed applicants",
        bio="I spent four years reviewing Global Talent applications in digital technology. " * 4,
        status=ExpertProfile.Status.APPROVED,
        timezone="UTC",
        weekly_schedule=EVERY_DAY,
        buffer_minutes=0,
        min_notice_hours=2,
        horizon_days=30,
        tier=tier,
        years_experience=9,
        adviser_status="oisc",
        adviser_number="F201900123",
        adviser_verified=True,
        rating_avg=rating,
        rating_count=12,
    )
    expert.expertise_areas.set([area])
    expert.languages.set([english])
    SessionType.objects.create(expert=expert, name="Application review", duration_minutes=60, price_pence=price)
    SessionType.objects.create(expert=expert, name="Quick question", duration_minutes=30, price_pence=5000)
    return expert


def _login(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))


def test_book_pay_and_cancel_with_full_refund(page, live_server, shoot, settings):
    settings.PAYMENTS_TEST_MODE_ENABLED = True  # tests run with DEBUG=False, like production
    expert = _expert()
    _expert(email="ben@example.com", name="Ben Carter", slug="ben-carter", rating="4.50", price=9000)
    client = UserFactory(email="chidi@example.com", full_name="Chidi Anagonye", timezone="Europe/London")
    _login(page, live_server, client)

    # The nav leads to the bookings page; it starts the wizard.
    page.get_by_role("link", name="Bookings").first.click()
    expect(page.get_by_test_id("empty")).to_be_visible()
    shoot("booking-list-empty")
    page.get_by_role("link", name="Book a consultation").first.click()

    # 1. Expertise and length.
    expect(page.get_by_role("heading", name="Book a consultation")).to_be_visible()
    expect(page.get_by_test_id("length-option")).to_have_count(2)
    page.locator("label:has(input[name=area][value=digital-technology])").click()
    page.locator("label:has(input[name=minutes][value='60'])").click()
    expect(page.locator("[data-testid=length-option]:has-text('60-min')")).to_contain_text("£90–£120")
    shoot("booking-step1-length")
    page.get_by_role("button", name="Continue").click()

    # 2. Expert.
    expect(page).to_have_url(re.compile(r"/bookings/new/expert/$"))
    expect(page.get_by_test_id("expert-option")).to_have_count(2)
    expect(page.get_by_test_id("any-expert")).to_contain_text("highest-rated")
    shoot("booking-step2-expert")
    page.get_by_role("button", name=re.compile(r"Choose Amara Okafor, Application review")).click()

    # 3. Date and time (the date strip swaps times in with htmx and pushes the URL).
    expect(page).to_have_url(re.compile(r"/bookings/new/time/"))
    expect(page.get_by_test_id("viewer-tz")).to_have_text("Europe/London")
    shoot("booking-step3-time")
    target = (dt.datetime.now(dt.UTC) + dt.timedelta(days=4)).date()
    page.locator(f"[data-testid=date-strip] a[data-day='{target.isoformat()}']").click()
    expect(page).to_have_url(re.compile(rf"date={target.isoformat()}"))
    expect(page.get_by_test_id("times-heading")).to_contain_text(f"{target.day} ")
    shoot("booking-step3-date-chosen")
    page.get_by_test_id("times").locator("button").first.click()

    # 4. Intake.
    expect(page).to_have_url(re.compile(r"/bookings/\d+/intake/$"))
    expect(page.get_by_test_id("hold-banner")).to_contain_text("We're holding this slot until")
    page.get_by_role("button", name=re.compile("Continue to review")).click()
    expect(page.locator("#id_questions_errors")).to_contain_text("Tell the expert")
    shoot("booking-step4-intake-errors")
    page.fill("textarea[name=questions]", "Is my open-source maintainer work enough for the innovation criterion?")
    page.locator("label[for=id_target_category_1]").click()
    page.check("input[name=agree_policy]")
    shoot("booking-step4-intake")
    page.get_by_role("button", name=re.compile("Continue to review")).click()

    # 5. Review and pay (test mode).
    expect(page).to_have_url(re.compile(r"/bookings/\d+/review/$"))
    expect(page.get_by_test_id("review")).to_contain_text("Europe/London time")
    shoot("booking-step5-review")
    page.get_by_test_id("pay").click()
    expect(page.locator("body")).to_contain_text("Test payment — no card is charged")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()

    # Confirmation: meeting link and calendar links.
    expect(page).to_have_url(re.compile(r"/bookings/\d+/confirmed/\?session_id="))
    expect(page.get_by_test_id("confirmed-banner")).to_contain_text("You're booked")
    expect(page.get_by_test_id("meeting-url")).to_be_visible()
    expect(page.get_by_test_id("calendar-links")).to_contain_text("Google Calendar")
    shoot("booking-confirmed")
    booking = Booking.objects.get(client__email=client.email)
    assert booking.status == Booking.Status.CONFIRMED and booking.expert_id == expert.pk

    page.goto(live_server.url + "/bookings/")
    expect(page.get_by_test_id("booking-row")).to_have_count(1)
    shoot("booking-list")

    # Cancel (four days ahead: full refund), shown before confirming.
    page.get_by_test_id("booking-row").click()
    page.get_by_role("link", name="Cancel booking").click()
    expect(page.get_by_test_id("cancel-outcome")).to_contain_text("You'll get a refund of £120.00 (100 %)")
    shoot("booking-cancel")
    page.fill("textarea[name=reason]", "My plans changed")
    page.get_by_test_id("confirm-cancel").click()
    expect(page.get_by_test_id("refunded")).to_contain_text("£120.00")
    shoot("booking-cancelled")
    booking.refresh_from_db()
    payment = Payment.objects.get(pk=booking.payment_id)
    assert booking.status == Booking.Status.CANCELLED_BY_CLIENT
    assert payment.status == Payment.Status.REFUNDED and payment.amount_refunded_pence == 12000


def test_profile_slot_link_expired_hold_and_expert_view(page, live_server, shoot, settings):
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    expert = _expert()
    client = UserFactory(email="eleanor@example.com", full_name="Eleanor Shellstrop", timezone="America/New_York")

    # From the public profile: a slot link asks to sign in, then opens the wizard with it preselected.
    page.goto(f"{live_server.url}/experts/{expert.slug}/")
    slot = page.locator("[data-slot]").nth(3)
    slot.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=login]", client.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("preselected")).to_contain_text("on Amara Okafor's profile")
    expect(page.get_by_test_id("viewer-tz")).to_have_text("America/New York")
    shoot("booking-preselected")
    page.get_by_role("button", name="Hold this time").click()
    expect(page).to_have_url(re.compile(r"/bookings/\d+/intake/$"))

    # The hold runs out: a clear page offering another time; nothing was charged.
    booking = Booking.objects.get(client__email=client.email)
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    page.reload()
    expect(page.get_by_test_id("expired")).to_contain_text("Nothing was charged")
    shoot("booking-expired")
    page.get_by_role("link", name="Pick another time").click()
    expect(page).to_have_url(re.compile(r"/bookings/new/time/"))

    # The expert's consultations: a paid booking with the client's intake.
    Booking.objects.filter(pk=booking.pk).update(
        status=Booking.Status.CONFIRMED,
        hold_expires_at=None,
        questions="Which two optional criteria should I aim for?",
        target_route="digital_technology",
        target_category="talent",
        meeting_url="https://meet.jit.si/TalentVisa-e2e",
    )
    page.context.clear_cookies()
    _login(page, live_server, expert.user)
    page.get_by_role("link", name="Consultations").first.click()
    expect(page.get_by_test_id("consultation-row")).to_contain_text("Eleanor Shellstrop")
    shoot("booking-expert-list")
    page.get_by_test_id("open").click()  # the one expert page of the booking
    expect(page.get_by_test_id("client-email")).to_have_text("eleanor@example.com")
    expect(page.locator("main")).to_contain_text("Which two optional criteria")
    page.get_by_role("link", name="Cancel…").click()
    page.get_by_role("button", name="Cancel and refund the client").click()
    expect(page.locator("#id_reason_errors")).to_contain_text("Give the client a reason")
    shoot("booking-expert-cancel")
