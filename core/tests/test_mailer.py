"""core.mailer: every email through one path — plain text never escaped, one subject prefix, the
recipient's own links, .ics attachments, the shared button component."""

import pytest
from django.core import mail

from bookings.emails import booking_email_send
from bookings.tests.factories import BookingFactory
from consultations.emails import consultation_email_send
from core.mailer import render_email
from site_admin import support

pytestmark = pytest.mark.django_db


def test_the_text_part_and_subject_are_never_escaped_the_html_part_is():
    inquiry = {"name": "O'Brien & <Sons>", "subject": 'Fees & "refunds"', "reference": "SUP-1"}

    subject, text, html = render_email(
        "site_admin/email/support_reply", {"inquiry": inquiry, "reply": {"body": "1 < 2 & 3"}, "thread_url": ""}
    )

    assert subject == '[TalentVisa] Re: Fees & "refunds" (SUP-1)'
    assert "Hello O'Brien & <Sons>," in text and "1 < 2 & 3" in text
    assert "O&#x27;Brien &amp; &lt;Sons&gt;" in html and "1 &lt; 2 &amp; 3" in html


def test_support_emails_go_through_the_mailer(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        support.inquiry_create(
            user=None, name="O'Brien", email="ob@example.com", topic="other", subject="Fees", body="?"
        )
    (message,) = mail.outbox
    assert message.subject.startswith("[TalentVisa] We've received") and "O'Brien" in message.body
    assert message.reply_to and message.alternatives[0][1] == "text/html"


def test_every_subject_carries_the_prefix_once():
    booking = BookingFactory()
    subject, _, _ = render_email(
        "consultations/email/review_received",
        {"booking": booking, "expert_name": "Amara", "rating": 5, "action_url": "http://x/"},
    )
    assert subject == "[TalentVisa] New 5-star review"
    subject, _, _ = render_email("site_admin/email/support_received", {"inquiry": {"reference": "SUP-1"}})
    assert subject.count("[TalentVisa]") == 1


def test_each_recipient_gets_a_link_to_their_own_page_and_the_invitation():
    booking = BookingFactory()

    assert booking_email_send(booking_id=booking.pk, template="booking_confirmed", recipients=["client", "expert"]) == 2

    to_client, to_expert = mail.outbox
    assert f"/bookings/{booking.pk}/" in to_client.body
    assert f"/consultations/expert/{booking.pk}/" in to_expert.body
    assert f"/bookings/{booking.pk}/\n" not in to_expert.body
    for message in mail.outbox:
        (name, _, mimetype) = message.attachments[0]
        assert name == f"{booking.reference}.ics" and mimetype.startswith("text/calendar; method=REQUEST")


def test_consultation_emails_use_the_one_button_component():
    booking = BookingFactory()

    consultation_email_send(booking_id=booking.pk, template="notes_shared", recipients=["client"])

    html = mail.outbox[0].alternatives[0][0]
    assert f'href="http://testserver/bookings/{booking.pk}/"' in html or f"/bookings/{booking.pk}/" in html
    assert "border-radius:8px" in html and "Open TalentVisa" in html
