import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from bookings.models import Booking
from bookings.tests.conftest import confirmed_booking
from bookings.tests.factories import expert_with_session
from payments.models import Payment

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, base, email, password=DEFAULT_PASSWORD):
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))


def test_staff_answers_an_inquiry_and_refunds_a_booking(browser, live_server, settings, shoot):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    client_user = UserFactory(email="asker@example.com", full_name="Asha Asker")
    UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)

    # The user writes to support.
    user_page = browser.new_context().new_page()
    _log_in(user_page, live_server.url, client_user.email)
    user_page.goto(live_server.url + "/contact/")
    user_page.fill("input[name=subject]", "Refund for my session")
    user_page.fill("textarea[name=body]", "My expert could not make it; can I get a refund?")
    user_page.locator("main form button[type=submit]").click()
    expect(user_page.locator("main")).to_contain_text("we've got your message")

    # Staff reply from the admin.
    staff_page = browser.new_context().new_page()
    _log_in(staff_page, live_server.url, "staff@example.com")
    staff_page.goto(live_server.url + "/admin/site_admin/inquiry/")
    staff_page.get_by_role("link", name=re.compile("SUP-")).first.click()
    staff_page.fill("textarea[name=reply]", "Sorry about that. We have refunded you in full.")
    staff_page.locator("input[name=_save]").click()
    expect(staff_page.locator(".messagelist")).to_contain_text("was changed successfully")

    # The user sees the reply in their account.
    user_page.goto(live_server.url + "/me/support/")
    user_page.get_by_role("link", name=re.compile("Refund for my session")).click()
    expect(user_page.get_by_test_id("thread")).to_contain_text("We have refunded you in full.")

    # Staff refund the user's paid booking from the admin.
    _, session = expert_with_session()
    booking = confirmed_booking(client=client_user, session_type=session)
    assert booking.status == Booking.Status.CONFIRMED
    staff_page.goto(live_server.url + "/admin/bookings/booking/")
    staff_page.locator(f"input[name=_selected_action][value='{booking.pk}']").check()
    staff_page.select_option("select[name=action]", "refund_full")
    staff_page.locator("button[name=index]").click()
    expect(staff_page.locator(".messagelist")).to_contain_text("refunded")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REFUNDED
    assert booking.payment.status == Payment.Status.REFUNDED

    staff_page.goto(live_server.url + "/staff/dashboard/")
    expect(staff_page.locator("h1")).to_have_text("Staff dashboard")
    staff_page.set_viewport_size({"width": 1280, "height": 800})
    staff_page.screenshot(path="test-artifacts/screenshots/staff-dashboard-laptop.png", full_page=True)
    staff_page.set_viewport_size({"width": 390, "height": 844})
    staff_page.screenshot(path="test-artifacts/screenshots/staff-dashboard-phone.png", full_page=True)
