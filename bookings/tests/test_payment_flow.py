"""Hold -> intake -> checkout -> paid -> confirmed, emails with .ics, in each recipient's zone."""

import datetime as dt
import re

import pytest
from django.core import mail
from icalendar import Calendar

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.services import BookingError, booking_checkout_start, booking_hold, holds_expire
from payments.models import Payment, Refund
from payments.services import checkout_fulfil

from .conftest import CANCEL_URL, SUCCESS_URL, hold_and_checkout, pay_test_mode
from .factories import NOW, WEDNESDAY_10, expert_with_session, utc


def ics_event(message):
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content).walk("VEVENT")[0], Calendar.from_ical(content)


def test_test_mode_checkout_to_confirmed_with_two_emails(
    expert_session, test_mode, django_capture_on_commit_callbacks, settings
):
    expert, session_type = expert_session
    client = UserFactory(timezone="Europe/London")
    with django_capture_on_commit_callbacks(execute=True):
        booking, payment, url = hold_and_checkout(client=client, session_type=session_type)
    assert url.startswith("/payments/test-checkout/") or "test" in url
    assert payment.purpose == "booking" and payment.metadata["booking_id"] == booking.pk
    assert payment.amount_pence == 9000 and payment.status == Payment.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        pay_test_mode(payment)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.payment_id == payment.pk and booking.confirmed_at
    assert re.fullmatch(r"https://meet\.jit\.si/TalentVisa-[A-Za-z0-9]{16}", booking.meeting_url)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([client.email, expert.user.email])
    for message in mail.outbox:
        event, calendar = ics_event(message)
        assert calendar["method"] == "REQUEST"
        assert event.decoded("dtstart") == WEDNESDAY_10 and event.decoded("dtstart").utcoffset() == dt.timedelta(0)
        assert event.decoded("dtend") == WEDNESDAY_10 + dt.timedelta(hours=1)
        assert str(event["uid"]).startswith(f"booking-{booking.pk}@")
        assert int(event["sequence"]) == 0
        assert str(event["url"]) == booking.meeting_url
        assert booking.meeting_url in message.body
        assert message.alternatives[0][1] == "text/html"
        assert booking.reference in message.subject
    # Replaying the settlement changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        pay_test_mode(payment)
    assert len(mail.outbox) == 2


def test_stripe_checkout_to_confirmed(expert_session, stripe_fake, django_capture_on_commit_callbacks):
    _, session_type = expert_session
    client = UserFactory()
    booking, payment, url = hold_and_checkout(client=client, session_type=session_type)
    assert url.startswith("https://checkout.stripe.test/")
    (create,) = stripe_fake.posts_to("/v1/checkout/sessions")
    assert create.params["payment_intent_data[transfer_group]"] == f"booking-{booking.pk}"
    assert create.params["metadata[purpose]"] == "booking"
    # Starting checkout again reuses the session.
    assert (
        booking_checkout_start(booking=booking, client=client, success_url=SUCCESS_URL, cancel_url=CANCEL_URL, now=NOW)
        == url
    )
    stripe_fake.pay(payment.checkout_session_id)
    with django_capture_on_commit_callbacks(execute=True):
        checkout_fulfil(session_id=payment.checkout_session_id, source="webhook")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert len(mail.outbox) == 2


def test_checkout_refused_for_expired_hold_or_without_policy(expert_session, test_mode):
    _, session_type = expert_session
    client = UserFactory()
    booking = booking_hold(client=client, session_type=session_type, start=WEDNESDAY_10, now=NOW)
    with pytest.raises(BookingError, match="policy"):
        booking_checkout_start(booking=booking, client=client, success_url=SUCCESS_URL, cancel_url=CANCEL_URL, now=NOW)
    with pytest.raises(BookingError, match="expired"):
        booking_checkout_start(
            booking=booking,
            client=client,
            success_url=SUCCESS_URL,
            cancel_url=CANCEL_URL,
            now=NOW + dt.timedelta(hours=1),
        )
    with pytest.raises(BookingError):
        booking_checkout_start(
            booking=booking, client=UserFactory(), success_url=SUCCESS_URL, cancel_url=CANCEL_URL, now=NOW
        )


def test_kolkata_client_and_london_expert_across_the_october_dst_change(
    db, test_mode, django_capture_on_commit_callbacks
):
    # London leaves BST on Sunday 25 October 2026; India has no DST. Booked on Tuesday 20 October.
    expert, session_type = expert_with_session(timezone="Europe/London")
    client = UserFactory(timezone="Asia/Kolkata")
    booked_on = utc(2026, 10, 20, 12)
    before = utc(2026, 10, 23, 9)  # Friday 10:00 BST
    after = utc(2026, 10, 26, 10)  # Monday 10:00 GMT
    for start in (before, after):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            booking, payment, _ = hold_and_checkout(
                client=client, session_type=session_type, start=start, now=booked_on
            )
            pay_test_mode(payment)
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CONFIRMED
        by_recipient = {m.to[0]: m for m in mail.outbox}
        client_mail, expert_mail = by_recipient[client.email], by_recipient[expert.user.email]
        for message in (client_mail, expert_mail):
            assert ics_event(message)[0].decoded("dtstart") == start
        if start == before:
            assert "Friday 23 October 2026, 14:30–15:30 IST (Asia/Kolkata)" in client_mail.body
            assert "Friday 23 October 2026, 10:00–11:00 BST (Europe/London)" in expert_mail.body
        else:
            assert "Monday 26 October 2026, 15:30–16:30 IST (Asia/Kolkata)" in client_mail.body
            assert "Monday 26 October 2026, 10:00–11:00 GMT (Europe/London)" in expert_mail.body
            assert "15:30" in client_mail.alternatives[0][0]


def test_late_payment_for_expired_hold_whose_slot_was_taken_is_refunded_in_full(
    expert_session, stripe_fake, django_capture_on_commit_callbacks
):
    _, session_type = expert_session
    late_client = UserFactory()
    booking, payment, _ = hold_and_checkout(client=late_client, session_type=session_type)
    # The hold runs out; someone else takes the slot (their hold sweeps ours to EXPIRED).
    later = booking.hold_expires_at + dt.timedelta(minutes=1)
    stripe_fake.pay(payment.checkout_session_id)  # the client pays on Stripe's page at the last moment
    other = booking_hold(client=UserFactory(), session_type=session_type, start=WEDNESDAY_10, now=later)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        checkout_fulfil(session_id=payment.checkout_session_id, source="webhook")
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED
    assert payment.status == Payment.Status.REFUNDED and payment.amount_refunded_pence == 9000
    refund = Refund.objects.get(payment=payment)
    assert refund.idempotency_key == f"booking-{booking.pk}-late"
    assert any("refunded in full automatically" in e.note for e in booking.events.all())
    assert [m.to for m in mail.outbox] == [[late_client.email]]
    assert "£90.00" in mail.outbox[0].body
    other.refresh_from_db()
    assert other.status == Booking.Status.PENDING_PAYMENT
    # A replayed webhook refunds nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        checkout_fulfil(session_id=payment.checkout_session_id, source="webhook replay")
    assert Refund.objects.filter(payment=payment).count() == 1
    assert len(stripe_fake.posts_to("/v1/refunds")) == 1


def test_late_payment_for_expired_hold_keeps_a_still_free_slot(
    expert_session, test_mode, django_capture_on_commit_callbacks
):
    _, session_type = expert_session
    booking, payment, _ = hold_and_checkout(client=UserFactory(), session_type=session_type)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.EXPIRED)  # swept, session left open
    with django_capture_on_commit_callbacks(execute=True):
        pay_test_mode(payment)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert not Refund.objects.exists()
    assert len(mail.outbox) == 2


def test_holds_expire_releases_the_slot_and_expires_the_checkout_session(
    expert_session, stripe_fake, django_capture_on_commit_callbacks
):
    expert, session_type = expert_session
    booking, payment, _ = hold_and_checkout(client=UserFactory(), session_type=session_type)
    untouched = booking_hold(
        client=UserFactory(),
        session_type=session_type,
        start=WEDNESDAY_10 + dt.timedelta(hours=2),
        now=NOW + dt.timedelta(minutes=10),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert holds_expire(now=booking.hold_expires_at) == 1
    booking.refresh_from_db()
    payment.refresh_from_db()
    untouched.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED
    assert untouched.status == Booking.Status.PENDING_PAYMENT
    assert stripe_fake.state.sessions[payment.checkout_session_id]["status"] == "expired"
    assert [r.path for r in stripe_fake.requests if r.path.endswith("/expire")] == [
        f"/v1/checkout/sessions/{payment.checkout_session_id}/expire"
    ]
    assert payment.status == Payment.Status.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        assert holds_expire(now=booking.hold_expires_at) == 0


def test_holds_expire_in_test_mode(expert_session, test_mode, django_capture_on_commit_callbacks):
    _, session_type = expert_session
    booking, payment, _ = hold_and_checkout(client=UserFactory(), session_type=session_type)
    with django_capture_on_commit_callbacks(execute=True):
        assert holds_expire(now=booking.hold_expires_at + dt.timedelta(seconds=1)) == 1
    payment.refresh_from_db()
    assert payment.test_mode_session.status == "expired"
    assert payment.status == Payment.Status.CANCELLED


def test_a_failed_payment_says_so_and_offers_to_pay_again(
    expert_session, test_mode, client, django_capture_on_commit_callbacks
):
    """The test-mode Fail button (like a declined delayed payment) lands on the success URL: the page must
    not say 'Confirming your payment… we'll email you'."""
    from django.urls import reverse

    from payments.models import TestModeCheckoutSession

    _, session_type = expert_session
    user = UserFactory()
    booking, payment, _ = hold_and_checkout(client=user, session_type=session_type)
    session = TestModeCheckoutSession.objects.get(payment=payment)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/payments/test-checkout/{session.session_id}/", {"action": "fail"})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    page = client.get(reverse("bookings:confirmed", args=[booking.pk]), {"session_id": session.session_id})
    html = page.content.decode()
    assert 'data-testid="payment-failed-banner"' in html and "Confirming your payment" not in html
    assert f'href="{reverse("bookings:review", args=[booking.pk])}"' in html
    assert "every 3s" not in html  # no polling for a payment that has failed
    # A page that was polling while it failed gets the failed banner swapped in (not the 204 of "still confirming").
    polled = client.get(reverse("bookings:confirmed", args=[booking.pk]), headers={"HX-Request": "true"})
    assert polled.status_code == 200 and 'data-testid="payment-failed-banner"' in polled.content.decode()
    # ... and paying again from there works.
    assert client.get(reverse("bookings:review", args=[booking.pk])).status_code == 200
    again = client.post(reverse("bookings:review", args=[booking.pk]))
    assert again.status_code == 302 and "/payments/test-checkout/" in again["Location"]


def test_a_cancelled_checkout_leads_back_to_the_booking(
    expert_session, test_mode, client, django_capture_on_commit_callbacks
):
    """Test-mode Cancel returns to the review step (pay again while held); the payments app's own
    result and cancel pages for a booking payment link back to the booking, not to buying points."""
    from django.urls import reverse

    from payments.models import TestModeCheckoutSession

    _, session_type = expert_session
    user = UserFactory()
    booking, payment, _ = hold_and_checkout(client=user, session_type=session_type)
    session = TestModeCheckoutSession.objects.get(payment=payment)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/payments/test-checkout/{session.session_id}/", {"action": "cancel"})
    assert response.status_code == 302  # to the cancel URL the review step gives Checkout (?cancelled=1)
    review = client.get(reverse("bookings:review", args=[booking.pk]) + "?cancelled=1").content.decode()
    assert 'data-testid="payment-cancelled"' in review
    booking_page = reverse("bookings:detail", args=[booking.pk])
    cancel_page = client.get(reverse("payments:checkout_cancel", args=[payment.pk])).content.decode()
    assert f'href="{booking_page}"' in cancel_page and "Back to points" not in cancel_page
    result = client.get(reverse("payments:checkout_success"), {"session_id": session.session_id}).content.decode()
    assert "Payment cancelled" in result and f'href="{booking_page}"' in result
