"""Issue 20's acceptance journey, end to end in one browser run: staff approve an expert (e-mailed);
the expert subscribes to their feed and connects their own calendar, whose busy event removes a slot;
a client books with a shared CV analysis; the expert opens it from the one booking page; they exchange
messages; the feed lists the booking; the client cancels 24-48 h ahead and both see the split; staff
refund another booking from the payments admin, both sides are e-mailed and the invite is cancelled."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from ai_tools.tests.factories import AIRunFactory
from bookings.models import Booking
from bookings.services import booking_checkout_start, booking_hold, booking_intake_update
from bookings.tests.conftest import pay_test_mode
from expert_marketplace import selectors
from expert_marketplace.models import ExpertProfile
from expert_marketplace.tests.ics_server import ics_server, vcalendar
from payments.models import Payment

from .test_booking_journey import _expert

pytestmark = pytest.mark.django_db(transaction=True)

HOUR = dt.timedelta(hours=1)


def _login(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))


def _sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_a_marketplace_week_in_one_journey(page, live_server, shoot, settings):
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    settings.STRIPE_SECRET_KEY = ""
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE_HOSTS = True  # the expert's "own calendar" is a local server
    expert = _expert()
    ExpertProfile.objects.filter(pk=expert.pk).update(status=ExpertProfile.Status.PENDING)
    client = UserFactory(email="eleanor@example.com", full_name="Eleanor Shellstrop", timezone="UTC")
    run = AIRunFactory(user=client, headline="Readiness 78/100")
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)

    # The booking will be 24-48 h ahead (a late cancellation); the busy event is the hour after it.
    now = timezone.now()
    starts = _all_starts(expert, now)
    start = next(s for s in starts if now + 25 * HOUR <= s <= now + 47 * HOUR and s + HOUR in starts)
    busy_start = start + HOUR  # free until the expert's own calendar says otherwise

    # --- 1. staff approve the expert from the admin; the expert is e-mailed ---------------------------
    _login(page, live_server, staff)
    page.goto(live_server.url + "/admin/expert_marketplace/expertprofile/")
    page.locator(f"input[name=_selected_action][value='{expert.pk}']").check()
    page.select_option("select[name=action]", "approve")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved")
    approval = _sent_to("amara@example.com")
    assert len(approval) == 1 and "approved" in approval[0].subject.lower()

    with ics_server() as (base, routes, hits):
        routes.ics(
            "/amara.ics",
            vcalendar(
                "BEGIN:VEVENT\nUID:dentist@amara\nDTSTAMP:20260101T000000Z\n"
                f"DTSTART:{busy_start:%Y%m%dT%H%M%SZ}\nDTEND:{busy_start + HOUR:%Y%m%dT%H%M%SZ}\n"
                "SUMMARY:Dentist\nEND:VEVENT"
            ),
        )
        # --- 2. the expert creates their feed and connects their own calendar ---------------------------
        _login(page, live_server, expert.user)
        page.goto(live_server.url + "/expert/availability/")
        page.get_by_role("button", name="Create my feed address").click()
        feed_url = page.get_by_test_id("feed-url").input_value()
        assert re.search(r"/bookings/expert/feed/[\w-]+\.ics$", feed_url)
        page.fill("input[name=url]", base + "/amara.ics")
        page.get_by_role("button", name="Save address").click()
        expect(page.get_by_test_id("import-status")).to_contain_text("1 busy time ahead")
        assert hits == ["/amara.ics"]
        shoot("week-expert-calendars")

    # --- 3. the client sees the busy hour gone from the month view and books the hour before ---------
    _login(page, live_server, client)
    page.goto(f"{live_server.url}/experts/{expert.slug}/?date={start.date():%Y-%m-%d}")
    times = page.get_by_test_id("slot-picker").locator("[data-slot]")
    shown = {times.nth(i).get_attribute("data-slot-start") for i in range(times.count())}
    assert _iso(start) in shown and not {_iso(busy_start), _iso(busy_start + HOUR / 2)} & shown
    shoot("week-client-month-view")
    page.locator(f"[data-slot][data-slot-start='{_iso(start)}']").click()
    page.get_by_role("button", name="Hold this time").click()
    expect(page).to_have_url(re.compile(r"/bookings/\d+/intake/$"))
    page.fill("textarea[name=questions]", "Is my open-source work strong enough for the talent category?")
    page.get_by_test_id("shared-runs").locator("label").first.click()
    page.check("input[name=agree_policy]")
    page.get_by_role("button", name=re.compile("Continue to review")).click()
    page.get_by_test_id("pay").click()
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()
    expect(page.get_by_test_id("confirmed-banner")).to_be_visible()
    booking = Booking.objects.get(client=client)
    assert booking.start_at == start and list(booking.shared_analyses.all()) == [run]

    # --- 4. the expert opens it from the one booking page and writes; the client answers -------------
    _login(page, live_server, expert.user)
    page.goto(f"{live_server.url}/consultations/expert/{booking.pk}/")
    expect(page.get_by_test_id("shared-run")).to_contain_text("Readiness 78/100")
    page.get_by_test_id("open-analysis").click()
    expect(page.get_by_test_id("shared-analysis")).to_be_visible()
    page.go_back()
    page.get_by_test_id("message-input").fill("Bring the list of your repositories, please.")
    page.get_by_test_id("message-send").click()
    expect(page.get_by_test_id("thread-messages")).to_contain_text("list of your repositories")

    # --- 5. the feed (fetched as a calendar app would, without a session) lists the booking -----------
    feed = page.context.request.get(feed_url.replace("http://testserver", live_server.url))
    assert feed.status == 200 and "text/calendar" in feed.headers["content-type"]
    assert "BEGIN:VEVENT" in feed.text() and f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in feed.text().replace("\r\n ", "")

    _login(page, live_server, client)
    page.goto(f"{live_server.url}/bookings/{booking.pk}/")
    expect(page.get_by_test_id("thread-messages")).to_contain_text("list of your repositories")
    page.get_by_test_id("message-input").fill("Will do, thank you.")
    page.get_by_test_id("message-send").click()
    expect(page.get_by_test_id("thread-messages")).to_contain_text("Will do, thank you.")

    # --- 6. the client cancels 24-48 h ahead: the split is shown before and after ---------------------
    page.goto(f"{live_server.url}/bookings/{booking.pk}/cancel/")
    expect(page.get_by_test_id("cancel-outcome")).to_contain_text("goes to Amara Okafor")
    shoot("week-client-cancel-split")
    page.get_by_test_id("confirm-cancel").click()
    expect(page.get_by_test_id("cancelled-info")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_CLIENT
    assert 0 < booking.payment.amount_refunded_pence < booking.payment.amount_pence

    _login(page, live_server, expert.user)
    page.goto(live_server.url + "/consultations/expert/earnings/")
    expect(page.get_by_text("Late cancellation share").locator("visible=true")).to_have_count(1)
    shoot("week-expert-earnings-share")

    # --- 7. staff refund another booking from the payments admin: both e-mailed, invite cancelled -----
    second = _paid_booking(client, expert, live_server)
    mail.outbox.clear()
    _login(page, live_server, staff)
    page.goto(live_server.url + "/admin/payments/payment/")
    page.locator(f"input[name=_selected_action][value='{second.payment_id}']").check()
    page.select_option("select[name=action]", "refund_in_full")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("Refunded 1 payment")
    second.refresh_from_db()
    assert second.status == Booking.Status.REFUNDED and second.payment.status == Payment.Status.REFUNDED
    to_client, to_expert = _sent_to("eleanor@example.com"), _sent_to("amara@example.com")
    assert len(to_client) == 1 and len(to_expert) == 1
    invites = [a for a in to_expert[0].attachments if "calendar" in (a[2] if isinstance(a, tuple) else a.mimetype)]
    ics = invites[0][1] if isinstance(invites[0], tuple) else invites[0].content
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics


def _iso(moment):
    return f"{moment:%Y-%m-%dT%H:%M:%SZ}"


def _all_starts(expert, now):
    expert = ExpertProfile.objects.get(pk=expert.pk)
    return [s.start for s in selectors.expert_free_slots(expert=expert, duration=HOUR, now=now, days=None)]


def _paid_booking(client, expert, live_server):
    """A second, confirmed booking three days out, paid through the same test-mode checkout."""
    now = timezone.now()
    session_type = expert.session_types.get(duration_minutes=60)
    start = next(s for s in _all_starts(expert, now) if s >= now + 72 * HOUR)
    booking = booking_hold(client=client, session_type=session_type, start=start, now=now)
    booking_intake_update(
        booking=booking,
        client=client,
        questions="A second look at my letters.",
        target_route="digital_technology",
        target_category="talent",
        agree_policy=True,
        now=now,
    )
    booking_checkout_start(
        booking=booking,
        client=client,
        success_url=live_server.url + "/x?session_id={CHECKOUT_SESSION_ID}",
        cancel_url=live_server.url + "/x",
    )
    booking.refresh_from_db()
    pay_test_mode(booking.payment)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    return booking
