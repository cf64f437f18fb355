"""Issue 20 fixes in the browser: a failed test-mode payment, a late cancellation's split for both
sides, and the payment history's refunded amount."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.services import booking_checkout_start, booking_hold, booking_intake_update
from bookings.tests.conftest import pay_test_mode
from expert_marketplace import selectors

from .test_booking_journey import UserFactory, _expert, _login

pytestmark = pytest.mark.django_db(transaction=True)


def _held_booking(client, expert, *, hours_ahead):
    now = timezone.now()
    session_type = expert.session_types.get(duration_minutes=60)
    slots = selectors.expert_free_slots(expert=expert, duration=dt.timedelta(hours=1), now=now, days=5)
    start = next(s.start for s in slots if s.start >= now + dt.timedelta(hours=hours_ahead))
    booking = booking_hold(client=client, session_type=session_type, start=start, now=now)
    return booking_intake_update(
        booking=booking,
        client=client,
        questions="I'd like a review of my evidence & CV",
        target_route="digital_technology",
        target_category="talent",
        agree_policy=True,
        now=now,
    )


def test_failed_payment_then_late_cancel_split(page, live_server, shoot, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    expert = _expert()
    client = UserFactory(email="ciara@example.com", full_name="Ciara O'Brien", timezone="UTC")
    _login(page, live_server, client)

    # 1. A failed payment says so and offers to pay again.
    booking = _held_booking(client, expert, hours_ahead=30)
    page.goto(live_server.url + f"/bookings/{booking.pk}/review/")
    page.locator("main form button[type=submit]").last.click()
    page.get_by_role("button", name="Simulate a failed payment").click()
    expect(page.get_by_test_id("payment-failed-banner")).to_be_visible()
    expect(page.get_by_text("Confirming your payment")).to_have_count(0)
    shoot("market-payment-failed")

    # 2. Pay for real, then cancel 24-48 h ahead: the split is shown before confirming.
    booking.refresh_from_db()
    booking_checkout_start(
        booking=booking,
        client=client,
        success_url=live_server.url + "/x?session_id={CHECKOUT_SESSION_ID}",
        cancel_url=live_server.url + "/x",
    )
    booking.refresh_from_db()
    pay_test_mode(booking.payment)
    page.goto(live_server.url + f"/bookings/{booking.pk}/cancel/")
    outcome = page.get_by_test_id("cancel-outcome")
    expect(outcome).to_contain_text("goes to Amara Okafor")
    shoot("market-cancel-split")
    page.get_by_test_id("confirm-cancel").click()
    expect(page.get_by_test_id("cancelled-info")).to_be_visible()

    # 3. The payment history says how much came back.
    page.goto(live_server.url + "/payments/history/")
    expect(page.get_by_text("£60.00 refunded").locator("visible=true")).to_have_count(1)
    shoot("market-payment-history")

    # 4. The expert sees their share in the earnings ledger.
    page.context.clear_cookies()
    _login(page, live_server, expert.user)
    page.goto(live_server.url + "/consultations/expert/earnings/")
    expect(page.get_by_text("Late cancellation share").locator("visible=true")).to_have_count(1)
    shoot("market-expert-earnings")
