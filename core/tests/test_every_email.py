"""Every email template, sent to every kind of recipient with hostile text in it:

- the subject and the text part carry no HTML entity ("O'Brien & Sons", not "O&#x27;Brien &amp; Sons";
  calendar links keep a bare "&" between their parameters);
- every link into the site (text part and HTML part) opens for the person who receives the email.

Templates are found on disk, so a new email is covered without touching this test.
"""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from icalendar import Calendar

from accounts.tests.factories import UserFactory
from bookings.emails import ICS_METHOD, booking_email_send
from bookings.tests.factories import BookingFactory
from consultations.emails import consultation_email_send
from consultations.models import Dispute
from expert_marketplace.tests.factories import ExpertProfileFactory, SessionTypeFactory

pytestmark = pytest.mark.django_db

ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
URL = re.compile(r"https?://[^\s\"'<>)]+")
HOSTILE = 'O\'Brien & <Sons> "Ltd"'
ROOT = Path(settings.BASE_DIR)


def templates_of(app: str) -> list[str]:
    folder = ROOT / app / "templates" / app / "email"
    return sorted(p.name.removesuffix(".subject.txt") for p in folder.glob("*.subject.txt"))


@pytest.fixture
def hostile_booking():
    expert = ExpertProfileFactory(display_name=HOSTILE, user__full_name=HOSTILE)
    session = SessionTypeFactory(expert=expert, name="CV & evidence review")
    booking = BookingFactory(
        session_type=session,
        client=UserFactory(full_name="Seán O'Connor & Co"),
        questions="I'd like a review of my evidence & CV <please>",
        cancel_reason="Can't make it & sorry",
    )
    return booking


def linked_texts(message) -> list[str]:
    """The text part, the HTML part, the .ics description and the add-to-calendar links' text."""
    texts = [message.body, message.alternatives[0][0].replace("&amp;", "&")]
    for _, content, mimetype in message.attachments:
        if mimetype.startswith("text/calendar"):
            event = Calendar.from_ical(content).walk("VEVENT")[0]
            texts.append(str(event["description"]))
    for url in URL.findall(message.body):
        query = parse_qs(urlsplit(url).query)
        texts += query.get("details", []) + query.get("body", [])
    return texts


def site_paths(message) -> list[str]:
    urls = [u for text in linked_texts(message) for u in URL.findall(text)]
    base = settings.SITE_URL.rstrip("/")
    return sorted({urlsplit(u).path for u in urls if u.startswith(base)})


def assert_email_reads_well_and_links_open(message, recipient_user, client):
    assert not ENTITY.search(message.subject), message.subject
    assert not ENTITY.search(message.body), message.body
    assert "O'" in message.body or "O'" in message.subject or "CV & evidence" in message.body
    client.force_login(recipient_user)
    paths = site_paths(message)
    assert paths, f"{message.subject}: no link to the site"
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, f"{message.subject}: {path} -> {response.status_code} for {message.to}"


BOOKING_TEMPLATES = templates_of("bookings")
CONSULTATION_TEMPLATES = templates_of("consultations")


def test_the_template_lists_are_complete():
    assert set(BOOKING_TEMPLATES) == set(ICS_METHOD)
    assert len(CONSULTATION_TEMPLATES) >= 8


@pytest.mark.parametrize("template", BOOKING_TEMPLATES)
def test_booking_emails(template, hostile_booking, client):
    booking = hostile_booking
    recipients = {"client": booking.client, "expert": booking.expert.user}
    extra = {"refund_pence": 4500, "role": "client", "forfeit_pence": 4500, "expert_share_pence": 2250}
    if template == "booking_reassigned_away":
        old = ExpertProfileFactory(display_name=HOSTILE)
        recipients = {"old_expert": old.user}
        extra["old_expert_id"] = old.pk
    if template == "booking_rescheduled":
        extra["old_start"] = booking.start_at.isoformat()
    for recipient, user in recipients.items():
        mail.outbox.clear()
        booking_email_send(booking_id=booking.pk, template=template, recipients=[recipient], extra=extra)
        (message,) = mail.outbox
        assert message.to == [user.email]
        assert f"a {booking.session_type.name}" not in message.body  # "a Endorsement strategy call"
        assert_email_reads_well_and_links_open(message, user, client)


@pytest.mark.parametrize("template", CONSULTATION_TEMPLATES)
def test_consultation_emails(template, hostile_booking, client):
    booking = hostile_booking
    dispute = Dispute.objects.create(
        booking=booking,
        opened_by=booking.client,
        kind=Dispute.Kind.choices[0][0],
        description="The expert didn't show & I waited",
        response="I was there & waited",
        resolution_note="Refunded & closed",
    )
    staff = UserFactory(is_staff=True, is_superuser=True, email=settings.SUPPORT_EMAIL)
    recipients = {"client": booking.client, "expert": booking.expert.user, "staff": staff}
    for recipient, user in recipients.items():
        mail.outbox.clear()
        consultation_email_send(
            booking_id=booking.pk, template=template, recipients=[recipient], extra={"dispute_id": dispute.pk}
        )
        (message,) = mail.outbox
        assert message.subject.startswith("[TalentVisa] ")
        assert_email_reads_well_and_links_open(message, user, client)
