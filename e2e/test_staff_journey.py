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


def test_staff_answers_an_inquiry_and_refunds_a_booking(browser, page, live_server, settings, shoot):
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

    # Staff reply from the admin (`page`, so `shoot` captures the staff's screens).
    staff_page = page
    _log_in(staff_page, live_server.url, "staff@example.com")
    staff_page.goto(live_server.url + "/admin/site_admin/inquiry/")
    shoot("staff-admin-inquiries")
    staff_page.get_by_role("link", name=re.compile("SUP-")).first.click()
    expect(staff_page.locator("#content")).to_contain_text("My expert could not make it")
    staff_page.fill("textarea[name=reply]", "Sorry about that. We have refunded you in full.")
    shoot("staff-admin-inquiry-reply")
    staff_page.locator("input[name=_save]").click()
    expect(staff_page.locator(".messagelist")).to_contain_text("was changed successfully")

    # The user sees the reply in their account.
    user_page.goto(live_server.url + "/me/support/")
    user_page.get_by_role("link", name=re.compile("Refund for my session")).click()
    expect(user_page).to_have_url(re.compile(r"/me/support/\d+/$"))
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
    expect(staff_page.locator("#result_list")).to_contain_text("Refunded")
    shoot("staff-admin-booking-refunded")

    # The payment shows refunded in the admin too, with the refund row.
    staff_page.goto(live_server.url + f"/admin/payments/payment/{booking.payment_id}/change/")
    expect(staff_page.locator("#content")).to_contain_text("Refunded")
    shoot("staff-admin-payment-refunded")

    # One log of what staff did, on the admin index.
    staff_page.goto(live_server.url + "/admin/")
    expect(staff_page.locator("#latest-staff-actions")).to_contain_text("booking_refund_full")
    expect(staff_page.locator("#latest-staff-actions")).to_contain_text("inquiry_reply")
    shoot("staff-admin-index")

    staff_page.goto(live_server.url + "/staff/dashboard/")
    expect(staff_page.locator("h1")).to_have_text("Staff dashboard")
    shoot("staff-dashboard")
