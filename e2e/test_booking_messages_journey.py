"""Issue 20: a client books with a shared CV analysis; the expert opens it from the one booking page;
they exchange messages (both see them, the form keeps focus, one email per burst)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from ai_tools.tests.factories import AIRunFactory
from bookings.models import Booking, BookingMessage

from .test_booking_journey import _expert

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))


def _send(page, text):
    """Type a message and send it with the keyboard; the form is not swapped, so focus stays on Send."""
    page.get_by_test_id("message-input").fill(text)
    page.get_by_test_id("message-send").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("thread-messages")).to_contain_text(text.splitlines()[0])
    expect(page.get_by_test_id("message-input")).to_have_value("")
    assert page.evaluate("document.activeElement.dataset.testid") == "message-send"


def test_book_with_shared_analysis_open_it_and_exchange_messages(page, live_server, shoot, settings):
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    expert = _expert()
    client = UserFactory(email="tahani@example.com", full_name="Tahani Al-Jamil", timezone="Europe/London")
    run = AIRunFactory(user=client, headline="Readiness 82/100")

    # --- the client books, sharing the CV analysis ------------------------------------------------
    _login(page, live_server, client)
    page.goto(f"{live_server.url}/experts/{expert.slug}/")
    page.locator("[data-slot]").nth(3).click()
    page.get_by_role("button", name="Hold this time").click()
    expect(page).to_have_url(re.compile(r"/bookings/\d+/intake/$"))
    page.fill("textarea[name=questions]", "Which of my two papers should lead the evidence?")
    page.get_by_test_id("shared-runs").locator("label").first.click()
    page.check("input[name=agree_policy]")
    page.get_by_role("button", name=re.compile("Continue to review")).click()
    page.get_by_test_id("pay").click()
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()
    expect(page.get_by_test_id("confirmed-banner")).to_be_visible()
    booking = Booking.objects.get(client=client)
    assert booking.status == Booking.Status.CONFIRMED and list(booking.shared_analyses.all()) == [run]
    mail.outbox.clear()

    # --- the expert opens the one booking page and the shared analysis -------------------------------
    _login(page, live_server, expert.user)
    page.get_by_role("link", name="Consultations").first.click()
    page.get_by_test_id("open").first.click()
    expect(page).to_have_url(re.compile(rf"/consultations/expert/{booking.pk}/$"))
    expect(page.get_by_test_id("client-email")).to_have_text("tahani@example.com")
    expect(page.get_by_test_id("shared-run")).to_contain_text("Readiness 82/100")
    page.get_by_test_id("open-analysis").click()
    expect(page.get_by_test_id("shared-analysis")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Correct them and run again")
    shoot("bookpage-expert-shared-analysis")
    with page.expect_download() as download:
        page.get_by_test_id("download-report").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.go_back()

    # --- messages: the expert writes first ----------------------------------------------------------
    _send(page, "Thanks for sharing the analysis.\nBring both papers and we'll compare them.")
    page.evaluate("window.scrollTo(0, 0)")
    shoot("bookpage-expert-page")
    assert [m.to for m in mail.outbox] == [["tahani@example.com"]]

    # --- the client sees it and answers twice in a row: one email to the expert ----------------------
    _login(page, live_server, client)
    page.goto(f"{live_server.url}/bookings/{booking.pk}/")
    expect(page.get_by_test_id("thread-messages")).to_contain_text("Bring both papers")
    _send(page, "Great, I will.")
    _send(page, "One more: is a preprint enough?")
    page.evaluate("window.scrollTo(0, 0)")
    shoot("bookpage-client-thread")
    assert [m.to for m in mail.outbox] == [["tahani@example.com"], ["amara@example.com"]]
    assert f"/consultations/expert/{booking.pk}/#messages" in mail.outbox[1].body

    # --- the expert sees both; reading ends the burst --------------------------------------------------
    _login(page, live_server, expert.user)
    page.goto(f"{live_server.url}/consultations/expert/{booking.pk}/#messages")
    expect(page.get_by_test_id("message")).to_have_count(3)
    expect(page.get_by_test_id("thread-messages")).to_contain_text("is a preprint enough?")
    page.evaluate("window.scrollTo(0, 0)")
    shoot("bookpage-expert-thread")
    assert not BookingMessage.objects.filter(sender_role="client", read_at__isnull=True).exists()
