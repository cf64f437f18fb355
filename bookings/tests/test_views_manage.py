"""The client's bookings (list, detail, confirmation, invite, cancel, reschedule), the expert's
consultations, and the ownership sweep: another user's booking id is always 404."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from ai_tools.tests.factories import AIRunFactory, DocumentFactory
from bookings.models import Booking, BookingDocument
from core import fragments
from expert_marketplace.tests.factories import ExpertUserFactory
from payments.models import Payment

from .conftest import hold_and_checkout, pay_test_mode
from .factories import NOW, WEDNESDAY_10, BookingFactory, expert_with_session
from .views_support import *  # noqa: F403  (fixtures: clock, client_user, signed_in)

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(client_user):
    _, session = expert_with_session(minutes=60, price_pence=9000, display_name="Ada Lovelace")
    return BookingFactory(client=client_user, session_type=session)


# --- list ---------------------------------------------------------------------------------------


def test_list_upcoming_and_past(signed_in, clock, client_user, booking):
    BookingFactory(client=client_user, start_at=NOW - dt.timedelta(days=3), status=Booking.Status.COMPLETED)
    upcoming = signed_in.get("/bookings/")
    assert [b.pk for b in upcoming.context["bookings"]] == [booking.pk]
    assert "Ada Lovelace" in upcoming.content.decode() and "£90.00" in upcoming.content.decode()
    past = signed_in.get("/bookings/?when=past")
    assert len(past.context["bookings"]) == 1 and "Completed" in past.content.decode()


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_the_same_for_10_and_1000_bookings(
    signed_in, clock, client_user, django_capture_on_commit_callbacks
):
    _, session = expert_with_session()
    template = dict(
        client=client_user,
        expert=session.expert,
        session_type=session,
        status=Booking.Status.CONFIRMED,
        price_pence=9000,
        commission_bps=2000,
        created_at=NOW,
    )

    def make(n, offset):
        with django_capture_on_commit_callbacks(execute=True):
            Booking.objects.bulk_create(
                Booking(
                    **template,
                    reference=f"TV-Q{offset + i:05d}",
                    start_at=WEDNESDAY_10 + dt.timedelta(hours=offset + i),
                    end_at=WEDNESDAY_10 + dt.timedelta(hours=offset + i, minutes=60),
                )
                for i in range(n)
            )
            fragments.bump(fragments.user_scope(client_user))  # bulk_create sends no signals

    make(10, 0)
    small = _list_queries(signed_in, "/bookings/"), _list_queries(signed_in, "/bookings/?when=past")
    make(990, 10)
    large = _list_queries(signed_in, "/bookings/"), _list_queries(signed_in, "/bookings/?when=past")
    print(f"\nbookings list queries: 10 bookings {small}, 1000 bookings {large}")
    assert small == large
    page = signed_in.get("/bookings/?page=2")
    assert len(page.context["bookings"]) == 20 and "Page 2 of 50" in page.content.decode()


# --- detail, confirmation, invite --------------------------------------------------------------


def test_detail_shows_time_meeting_link_calendar_and_actions(signed_in, clock, booking):
    html = signed_in.get(f"/bookings/{booking.pk}/").content.decode()
    assert "Wednesday 3 March 2027" in html and "10:00–11:00" in html and "Europe/London time" in html
    assert booking.meeting_url in html
    assert f"/bookings/{booking.pk}/invite.ics" in html and "calendar.google.com" in html
    assert "outlook" in html.lower()
    assert f"/bookings/{booking.pk}/cancel/" in html and f"/bookings/{booking.pk}/reschedule/" in html


def test_pending_booking_hides_meeting_link_and_calendar(signed_in, clock, booking):
    Booking.objects.filter(pk=booking.pk).update(
        status=Booking.Status.PENDING_PAYMENT, hold_expires_at=NOW + dt.timedelta(minutes=10)
    )
    html = signed_in.get(f"/bookings/{booking.pk}/").content.decode()
    assert booking.meeting_url not in html and "invite.ics" not in html
    assert "Continue booking" in html


def test_ics_download_is_a_calendar_file(signed_in, clock, booking):
    response = signed_in.get(f"/bookings/{booking.pk}/invite.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert b"BEGIN:VCALENDAR" in response.content


def test_confirmation_page_settles_a_pending_test_mode_payment(signed_in, clock, client_user, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    _, session = expert_with_session()
    booking, payment, _ = hold_and_checkout(client=client_user, session_type=session)
    from payments.models import TestModeCheckoutSession

    row = TestModeCheckoutSession.objects.get(payment=payment)
    row.status, row.payment_status = TestModeCheckoutSession.SessionStatus.COMPLETE, "paid"
    row.save(update_fields=["status", "payment_status"])  # paid, but no webhook yet
    response = signed_in.get(f"/bookings/{booking.pk}/confirmed/?session_id={row.session_id}")
    html = response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert "You're booked" in html and booking.meeting_url in html


def test_confirmation_page_while_payment_is_pending_polls(signed_in, clock, client_user, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    _, session = expert_with_session()
    booking, payment, _ = hold_and_checkout(client=client_user, session_type=session)
    html = signed_in.get(f"/bookings/{booking.pk}/confirmed/?session_id={payment.checkout_session_id}").content.decode()
    assert "Confirming your payment" in html and 'hx-trigger="every 3s"' in html
    # While it is still confirming the poll swaps nothing (204): the banner is not replaced every 3 s.
    partial = signed_in.get(f"/bookings/{booking.pk}/confirmed/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 204 and partial.content == b""
    pay_test_mode(payment)
    settled = signed_in.get(f"/bookings/{booking.pk}/confirmed/", HTTP_HX_REQUEST="true")
    assert settled.headers["HX-Refresh"] == "true"


def test_confirmation_page_refuses_another_users_session(signed_in, clock, client_user, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    _, session = expert_with_session()
    other = UserFactory()
    _, theirs, _ = hold_and_checkout(client=other, session_type=session)
    mine, _, _ = hold_and_checkout(client=client_user, session_type=session, start=WEDNESDAY_10 + dt.timedelta(hours=2))
    response = signed_in.get(f"/bookings/{mine.pk}/confirmed/?session_id={theirs.checkout_session_id}")
    assert response.status_code == 404


# --- cancel -------------------------------------------------------------------------------------


def test_cancel_page_shows_refund_before_confirming(signed_in, clock, client_user, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    _, session = expert_with_session(price_pence=9000)
    # Friday 5 March 10:00 is 97 h ahead of NOW: full refund.
    friday = WEDNESDAY_10 + dt.timedelta(days=2)
    booking, payment, _ = hold_and_checkout(client=client_user, session_type=session, start=friday)
    pay_test_mode(payment)
    html = signed_in.get(f"/bookings/{booking.pk}/cancel/").content.decode()
    assert "You'll get a refund of £90.00 (100 %)" in html
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED  # a GET changes nothing

    response = signed_in.post(f"/bookings/{booking.pk}/cancel/", {"reason": "Plans changed"})
    assert response.url == f"/bookings/{booking.pk}/"
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_CLIENT
    assert payment.status == Payment.Status.REFUNDED and payment.amount_refunded_pence == 9000
    detail = signed_in.get(response.url).content.decode()
    assert "Refunded: <strong>£90.00</strong>" in detail


def test_cancel_page_shows_half_refund_between_24_and_48_hours(signed_in, clock, client_user, settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    _, session = expert_with_session(price_pence=9000)
    booking, payment, _ = hold_and_checkout(client=client_user, session_type=session)
    pay_test_mode(payment)
    later = WEDNESDAY_10 - dt.timedelta(hours=30)
    monkeypatch.setattr("bookings.views.client.now", lambda: later)
    html = signed_in.get(f"/bookings/{booking.pk}/cancel/").content.decode()
    assert "You'll get a refund of £45.00 (50 %)" in html


def test_cancel_not_allowed_after_start(signed_in, booking, monkeypatch):
    monkeypatch.setattr("bookings.views.client.now", lambda: WEDNESDAY_10 + dt.timedelta(minutes=5))
    html = signed_in.get(f"/bookings/{booking.pk}/cancel/").content.decode()
    assert "can't be cancelled" in html and 'data-testid="confirm-cancel"' not in html
    signed_in.post(f"/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


# --- reschedule --------------------------------------------------------------------------------


def test_reschedule_shows_outcome_and_other_slots(signed_in, clock, booking):
    response = signed_in.get(f"/bookings/{booking.pk}/reschedule/?date=2027-03-03")
    html = response.content.decode()
    assert "2 changes left" in html
    starts = [iso for _, iso in response.context["picker"].times]
    assert "2027-03-03T10:00:00Z" not in starts and "2027-03-03T14:00:00Z" in starts
    partial = signed_in.get(f"/bookings/{booking.pk}/reschedule/?date=2027-03-04", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "Thursday 4 March" in partial.content.decode()


def test_reschedule_post_moves_the_booking(signed_in, clock, booking):
    response = signed_in.post(f"/bookings/{booking.pk}/reschedule/", {"start": "2027-03-04T13:00:00Z"})
    assert response.url == f"/bookings/{booking.pk}/"
    booking.refresh_from_db()
    assert booking.start_at == dt.datetime(2027, 3, 4, 13, tzinfo=dt.UTC) and booking.reschedule_count == 1


def test_reschedule_to_a_taken_slot_shows_alternatives(signed_in, clock, booking):
    BookingFactory(session_type=booking.session_type, start_at=dt.datetime(2027, 3, 4, 13, tzinfo=dt.UTC))
    response = signed_in.post(f"/bookings/{booking.pk}/reschedule/", {"start": "2027-03-04T13:00:00Z"})
    assert response.status_code == 409 and 'data-testid="alternatives"' in response.content.decode()


def test_reschedule_refused_when_too_late(signed_in, booking, monkeypatch):
    monkeypatch.setattr("bookings.views.client.now", lambda: WEDNESDAY_10 - dt.timedelta(hours=3))
    html = signed_in.get(f"/bookings/{booking.pk}/reschedule/").content.decode()
    assert "too late" in html and 'data-testid="slot-picker"' not in html


# --- the expert's side ---------------------------------------------------------------------------


@pytest.fixture
def expert_client(client, booking):
    client.force_login(booking.expert.user)
    return client


def test_expert_one_page_shows_client_intake_and_shared_items(expert_client, clock, booking, monkeypatch):
    monkeypatch.setattr("consultations.views.now", lambda: clock)
    Booking.objects.filter(pk=booking.pk).update(
        questions="Is OC2 enough?", target_route="digital_technology", target_category="talent"
    )
    doc = DocumentFactory(owner=booking.client, original_filename="my-cv.pdf")
    BookingDocument.objects.create(booking=booking, document=doc)
    run = AIRunFactory(user=booking.client, headline="Strong Talent candidate")
    booking.shared_analyses.add(run)
    html = expert_client.get(f"/consultations/expert/{booking.pk}/").content.decode()
    assert booking.client.email in html and "Is OC2 enough?" in html
    assert "Digital technology" in html and "Exceptional Talent" in html
    assert f"/tools/documents/{doc.pk}/download/" in html and "my-cv.pdf" in html
    assert "Strong Talent candidate" in html
    assert f"/consultations/expert/{booking.pk}/analyses/{run.pk}/" in html
    assert f"/bookings/expert/{booking.pk}/cancel/" in html


def test_old_expert_pages_301_to_the_one_page(expert_client, clock, booking):
    listing = expert_client.get("/bookings/expert/?when=past")
    assert listing.status_code == 301 and listing.url == "/consultations/expert/?tab=past"
    old = expert_client.get(f"/bookings/expert/{booking.pk}/")
    assert old.status_code == 301 and old.url == f"/consultations/expert/{booking.pk}/"


def test_expert_list_is_for_experts_only(signed_in, clock):
    assert signed_in.get("/bookings/expert/").status_code == 403


def test_expert_cancel_needs_a_reason_then_cancels(expert_client, clock, booking):
    page = expert_client.get(f"/bookings/expert/{booking.pk}/cancel/").content.decode()
    assert "full refund" in page
    missing = expert_client.post(f"/bookings/expert/{booking.pk}/cancel/", {"reason": "  "})
    assert missing.status_code == 400 and "Give the client a reason" in missing.content.decode()
    done = expert_client.post(f"/bookings/expert/{booking.pk}/cancel/", {"reason": "I am unwell"})
    assert done.url == f"/consultations/expert/{booking.pk}/"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_EXPERT and booking.cancel_reason == "I am unwell"


def test_expert_dashboard_lists_next_consultations(expert_client, booking):
    html = expert_client.get("/expert/").content.decode()
    assert 'data-testid="upcoming-consultations"' in html and booking.client.full_name in html


def test_client_dashboard_card_links_to_bookings(signed_in, booking):
    html = signed_in.get("/me/dashboard/").content.decode()
    assert 'data-testid="consultations-card"' in html and "with Ada Lovelace" in html


# --- ownership ------------------------------------------------------------------------------------

CLIENT_URLS = [
    ("get", "/bookings/{pk}/"),
    ("get", "/bookings/{pk}/confirmed/"),
    ("get", "/bookings/{pk}/invite.ics"),
    ("get", "/bookings/{pk}/cancel/"),
    ("post", "/bookings/{pk}/cancel/"),
    ("get", "/bookings/{pk}/reschedule/"),
    ("post", "/bookings/{pk}/reschedule/"),
    ("get", "/bookings/{pk}/intake/"),
    ("post", "/bookings/{pk}/intake/"),
    ("get", "/bookings/{pk}/review/"),
    ("post", "/bookings/{pk}/review/"),
]


@pytest.mark.parametrize(("method", "url"), CLIENT_URLS)
def test_another_clients_booking_is_404(client, clock, method, url):
    theirs = BookingFactory()
    client.force_login(UserFactory())
    response = getattr(client, method)(
        url.format(pk=theirs.pk), {"start": "2027-03-04T13:00:00Z"} if method == "post" else {}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.CONFIRMED


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_experts_booking_is_404(client, clock, method):
    theirs = BookingFactory()
    _, my_session = expert_with_session()
    client.force_login(my_session.expert.user)
    response = getattr(client, method)(
        f"/bookings/expert/{theirs.pk}/cancel/", {"reason": "x"} if method == "post" else {}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.CONFIRMED


def test_the_expert_cannot_use_client_urls_for_their_own_bookings(client, clock, booking):
    client.force_login(booking.expert.user)
    for _, url in CLIENT_URLS:
        assert client.get(url.format(pk=booking.pk)).status_code == 404


def test_expert_role_user_without_profile_gets_403(client):
    client.force_login(ExpertUserFactory())
    assert client.get("/bookings/expert/").status_code == 403
