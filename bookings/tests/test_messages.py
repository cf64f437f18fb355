"""Messages per booking: who may write and when, escaping, attachments, one email per burst."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import UserFactory
from bookings.models import Booking, BookingMessage
from bookings.services import BookingError, message_send, messages_mark_read, messages_notify
from bookings.services.messages import MESSAGE_WINDOW, QUIET_PERIOD
from payments.models import Payment
from payments.tests.factories import PaymentFactory

from .factories import NOW, BookingFactory, expert_with_session
from .views_support import *  # noqa: F403  (fixtures: clock, client_user, signed_in)

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def paid(client_user):
    _, session = expert_with_session(display_name="Ada Lovelace")
    payment = PaymentFactory(user=client_user, status=Payment.Status.SUCCEEDED, purpose="booking")
    return BookingFactory(client=client_user, session_type=session, payment=payment)


@pytest.fixture
def expert_browser(client, paid, monkeypatch):
    monkeypatch.setattr("consultations.views.now", lambda: NOW)
    from django.test import Client

    browser = Client()
    browser.force_login(paid.expert.user)
    return browser


def _cv_text() -> bytes:
    return ("Jane Doe, senior engineer. Led the payments platform at Acme from 2019 to 2024. " * 20).encode()


def test_client_and_expert_exchange_messages_escaped_with_line_breaks(
    signed_in, expert_browser, clock, paid, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = signed_in.post(f"/bookings/{paid.pk}/messages/", {"body": "Hello <script>x</script>\nLine two"}, **HX)
    assert sent.status_code == 200 and sent["HX-Trigger"] == "thread:sent"
    html = sent.content.decode()
    assert 'id="thread-list"' in html and "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    assert "Line two" in html and 'id="announcer" hx-swap-oob="innerHTML">Message sent.' in html
    expert_page = expert_browser.get(f"/consultations/expert/{paid.pk}/").content.decode()
    assert "Hello &lt;script&gt;x&lt;/script&gt;\nLine two" in expert_page  # whitespace-pre-line keeps the break
    with django_capture_on_commit_callbacks(execute=True):
        expert_browser.post(f"/consultations/expert/{paid.pk}/messages/", {"body": "Happy to help."}, **HX)
    client_page = signed_in.get(f"/bookings/{paid.pk}/").content.decode()
    assert "Happy to help." in client_page and "Hello &lt;script&gt;" in client_page
    assert list(BookingMessage.objects.values_list("sender_role", flat=True)) == ["client", "expert"]


def test_a_plain_post_redirects_back_to_the_thread(signed_in, clock, paid):
    response = signed_in.post(f"/bookings/{paid.pk}/messages/", {"body": "No JavaScript here"})
    assert response.status_code == 302 and response.url == f"/bookings/{paid.pk}/#messages"
    assert BookingMessage.objects.get().body == "No JavaScript here"


def test_no_messages_before_payment(signed_in, clock, client_user):
    _, session = expert_with_session()
    held = BookingFactory(client=client_user, session_type=session, status=Booking.Status.PENDING_PAYMENT)
    page = signed_in.get(f"/bookings/{held.pk}/").content.decode()
    assert 'data-testid="thread"' not in page
    refused = signed_in.post(f"/bookings/{held.pk}/messages/", {"body": "my phone is 0777"}, **HX)
    assert "Messages for this booking are closed." in refused.content.decode()
    assert not BookingMessage.objects.exists()
    # ...and the expert has no page for an unpaid booking at all (no client contact details).
    from django.test import Client

    expert = Client()
    expert.force_login(held.expert.user)
    assert expert.get(f"/consultations/expert/{held.pk}/").status_code == 404


def test_thread_closes_14_days_after_the_session(paid):
    message_send(
        booking=paid, sender=paid.client, body="Thanks!", now=paid.end_at + MESSAGE_WINDOW - dt.timedelta(minutes=1)
    )
    with pytest.raises(BookingError, match="closed"):
        message_send(booking=paid, sender=paid.client, body="One more", now=paid.end_at + MESSAGE_WINDOW)


def test_only_the_two_sides_may_write(paid):
    with pytest.raises(BookingError):
        message_send(booking=paid, sender=UserFactory(), body="Hi", now=NOW)
    with pytest.raises(BookingError, match="Write a message"):
        message_send(booking=paid, sender=paid.client, body="  \n ", now=NOW)


def test_other_users_get_404(client, paid):
    client.force_login(UserFactory())
    assert client.post(f"/bookings/{paid.pk}/messages/", {"body": "x"}).status_code == 404
    client.force_login(expert_with_session()[0].user)
    assert client.post(f"/consultations/expert/{paid.pk}/messages/", {"body": "x"}).status_code == 404
    assert not BookingMessage.objects.exists()


def test_attachment_goes_through_document_validation_and_both_sides_download_it(signed_in, expert_browser, clock, paid):
    upload = SimpleUploadedFile("notes.txt", _cv_text(), content_type="text/plain")
    signed_in.post(f"/bookings/{paid.pk}/messages/", {"body": "", "attachment": upload}, **HX)
    message = BookingMessage.objects.get()
    assert message.attachment.original_filename == "notes.txt" and message.attachment.owner == paid.client
    url = f"/tools/documents/{message.attachment_id}/download/"
    assert url in expert_browser.get(f"/consultations/expert/{paid.pk}/").content.decode()
    assert expert_browser.get(url).status_code in (200, 302)
    stranger = UserFactory()
    signed_in.force_login(stranger)
    assert signed_in.get(url).status_code == 404


def test_a_file_that_is_not_a_document_is_refused(signed_in, clock, paid):
    upload = SimpleUploadedFile("run.pdf", b"\x00\x01MZ not a pdf", content_type="application/pdf")
    response = signed_in.post(f"/bookings/{paid.pk}/messages/", {"body": "see file", "attachment": upload}, **HX)
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert 'id="thread-error" hx-swap-oob="innerHTML">' in response.content.decode()
    assert not BookingMessage.objects.exists()


def test_one_email_per_burst_then_again_after_reading(paid, django_capture_on_commit_callbacks):
    expert_user = paid.expert.user
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            message_send(booking=paid, sender=paid.client, body=f"Message {n}", now=NOW + dt.timedelta(minutes=n))
    assert [m.to for m in mail.outbox] == [[expert_user.email]]
    email = mail.outbox[0]
    assert f"/consultations/expert/{paid.pk}/#messages" in email.body and "&#x27;" not in email.body
    assert email.subject == f"[TalentVisa] 3 new messages about your booking {paid.reference}"
    # The task is idempotent: a re-delivery finds nothing left to announce.
    assert messages_notify(booking_id=paid.pk, recipient="expert", now=NOW + dt.timedelta(minutes=5)) == 0
    # The expert reads the thread; the next message starts a new burst.
    messages_mark_read(booking=paid, reader=expert_user, now=NOW + dt.timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        message_send(booking=paid, sender=paid.client, body="Another", now=NOW + dt.timedelta(minutes=7))
    assert len(mail.outbox) == 2


def test_unread_burst_waits_out_the_quiet_period(paid):
    message_send(booking=paid, sender=paid.client, body="First", now=NOW)
    assert messages_notify(booking_id=paid.pk, recipient="expert", now=NOW) == 1
    message_send(booking=paid, sender=paid.client, body="Second", now=NOW + dt.timedelta(minutes=5))
    assert messages_notify(booking_id=paid.pk, recipient="expert", now=NOW + dt.timedelta(minutes=5)) == 0
    later = NOW + QUIET_PERIOD + dt.timedelta(minutes=1)
    message_send(booking=paid, sender=paid.client, body="Third", now=later)
    assert messages_notify(booking_id=paid.pk, recipient="expert", now=later) == 1
    # The expert's own messages never email the expert; the client hears about them.
    message_send(booking=paid, sender=paid.expert.user, body="Reply", now=later)
    assert messages_notify(booking_id=paid.pk, recipient="client", now=later) == 1
    assert [m.to for m in mail.outbox] == [[paid.expert.user.email]] * 2 + [[paid.client.email]]


def test_book_again_goes_straight_to_the_time_step(signed_in, clock, client_user):
    _, session = expert_with_session(display_name="Ada Lovelace")
    past = BookingFactory(
        client=client_user,
        session_type=session,
        status=Booking.Status.COMPLETED,
        start_at=NOW - dt.timedelta(days=7),
    )
    page = signed_in.get(f"/bookings/{past.pk}/").content.decode()
    link = f"/bookings/new/start/?session={session.pk}"
    assert link in page and "Book again with Ada Lovelace" in page
    response = signed_in.get(link)
    assert response.status_code == 302 and response.url == "/bookings/new/time/"
    time_step = signed_in.get(response.url)
    assert time_step.status_code == 200 and "Ada Lovelace" in time_step.content.decode()


def test_no_book_again_on_an_upcoming_booking(signed_in, clock, paid):
    assert 'data-testid="book-again"' not in signed_in.get(f"/bookings/{paid.pk}/").content.decode()


def test_messages_are_in_both_sides_data_export_and_erased_with_the_account(paid):
    from privacy.sections import messages as export_messages
    from privacy.services import account_delete

    message_send(booking=paid, sender=paid.client, body="My secret plan", now=NOW)
    message_send(booking=paid, sender=paid.expert.user, body="Expert answer", now=NOW)
    client_export = export_messages(paid.client)["bookings"]
    assert [(m["body"], m["from_me"]) for m in client_export] == [("My secret plan", True), ("Expert answer", False)]
    assert len(export_messages(paid.expert.user)["bookings"]) == 2
    account_delete(user=paid.client, now=NOW + dt.timedelta(days=30))
    assert list(BookingMessage.objects.order_by("pk").values_list("body", flat=True)) == ["", "Expert answer"]


def test_client_page_query_count_does_not_grow_with_the_thread(signed_in, clock, paid):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        signed_in.get(f"/bookings/{paid.pk}/")  # marks the expert's messages read
        with CaptureQueriesContext(connection) as ctx:
            assert signed_in.get(f"/bookings/{paid.pk}/").status_code == 200
        return len(ctx.captured_queries)

    message_send(booking=paid, sender=paid.expert.user, body="First", now=NOW)
    few = queries()
    for n in range(20):
        message_send(booking=paid, sender=paid.expert.user if n % 2 else paid.client, body=f"Message {n}", now=NOW)
    assert queries() == few
