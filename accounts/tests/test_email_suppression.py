"""Deliverable email (issue 22): a hard bounce or complaint reported by the provider's tracking
webhook (anymail, HTTP basic auth) suppresses the address; core.mailer then skips it; the user sees
a banner; verifying the address again clears it. Sent through anymail's test backend."""

import base64
import json

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail

from accounts.models import EmailSuppression, User
from accounts.tests.factories import UserFactory
from bookings.emails import booking_email_send
from bookings.tests.factories import BookingFactory
from core.mailer import send_email

pytestmark = pytest.mark.django_db

SECRET = "tracker:" + "s3cret-long-random-password"
URL = "/anymail/postmark/tracking/"


@pytest.fixture
def anymail_test_backend(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def _auth(secret=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def _postmark(kind: str, email: str, message_id: str = "00000000-0000-0000-0000-000000000001") -> str:
    record = "SpamComplaint" if kind == "SpamComplaint" else "Bounce"
    return json.dumps(
        {
            "RecordType": record,
            "ID": 4323372036854775807,
            "Type": kind,
            "TypeCode": 1 if kind == "HardBounce" else 4096,
            "Name": kind,
            "MessageID": message_id,
            "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
            "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
            "Email": email,
            "From": "hello@talentvisa.local",
            "BouncedAt": "2027-03-01T09:00:00Z",
            "Inactive": True,
            "CanActivate": True,
            "Subject": "Your booking",
            "MessageStream": "outbound",
        }
    )


def _welcome(to):
    return send_email(
        template="site_admin/email/support_reply",
        to=to,
        context={
            "inquiry": {"name": "A", "subject": "S", "reference": "SUP-1"},
            "reply": {"body": "b"},
            "thread_url": "",
        },
    )


def test_a_hard_bounce_suppresses_the_address_and_later_mail_skips_it(client, anymail_test_backend):
    user = UserFactory(email="Typo@Example.com")
    assert _welcome(user.email) is True
    (sent,) = mail.outbox
    message_id = sent.anymail_status.message_id  # the test backend answers like a provider

    response = client.post(URL, _postmark("HardBounce", "typo@example.com", message_id), "application/json", **_auth())

    assert response.status_code == 200
    suppression = EmailSuppression.objects.get()
    assert suppression.email == "typo@example.com" and suppression.reason == "bounced"
    assert "does not exist" in suppression.detail or "unable to deliver" in suppression.detail
    user.refresh_from_db()
    assert user.undeliverable_email is True
    assert _welcome(user.email) is False and len(mail.outbox) == 1
    # A replayed webhook changes nothing.
    assert (
        client.post(URL, _postmark("HardBounce", "typo@example.com"), "application/json", **_auth()).status_code == 200
    )
    assert EmailSuppression.objects.count() == 1


def test_booking_mail_skips_only_the_suppressed_side(client, anymail_test_backend):
    booking = BookingFactory()
    client.post(URL, _postmark("SpamComplaint", booking.client.email), "application/json", **_auth())
    assert EmailSuppression.objects.get().reason == "complained"

    sent = booking_email_send(booking_id=booking.pk, template="booking_confirmed", recipients=["client", "expert"])

    assert sent == 1 and [m.to for m in mail.outbox] == [[booking.expert.user.email]]


def test_a_soft_bounce_suppresses_nothing(client, anymail_test_backend):
    user = UserFactory()
    response = client.post(URL, _postmark("SoftBounce", user.email), "application/json", **_auth())
    assert response.status_code == 200
    assert not EmailSuppression.objects.exists()
    assert not User.objects.get(pk=user.pk).undeliverable_email


@pytest.mark.parametrize("secret", ["tracker:wrong-password-entirely", None])
def test_wrong_or_missing_credentials_are_refused(client, anymail_test_backend, secret):
    user = UserFactory()
    headers = _auth(secret) if secret else {}
    response = client.post(URL, _postmark("HardBounce", user.email), "application/json", **headers)
    assert response.status_code in (400, 401, 403)
    assert not EmailSuppression.objects.exists()


def test_no_secret_configured_means_no_webhook(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": None}
    user = UserFactory()
    assert client.post(URL, _postmark("HardBounce", user.email), "application/json", **_auth()).status_code == 404
    assert not EmailSuppression.objects.exists()


def test_the_user_sees_a_banner_until_they_change_to_a_verified_address(client, anymail_test_backend):
    user = UserFactory(email="bounced@example.com")
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"primary": True, "verified": True})
    client.post(URL, _postmark("HardBounce", user.email), "application/json", **_auth())
    client.force_login(user)

    page = client.get("/me/dashboard/").content.decode()
    assert 'data-testid="undeliverable-email-banner"' in page and 'href="/accounts/email/"' in page

    assert client.post("/accounts/email/", {"action_add": "", "email": "fixed@example.com"}).status_code == 302
    new = EmailAddress.objects.get(email="fixed@example.com")
    assert client.post(f"/accounts/confirm-email/{EmailConfirmationHMAC(new).key}/").status_code == 302

    user.refresh_from_db()
    assert user.email == "fixed@example.com" and user.undeliverable_email is False
    assert 'data-testid="undeliverable-email-banner"' not in client.get("/me/dashboard/").content.decode()
    assert _welcome(user.email) is True
    assert _welcome("bounced@example.com") is False  # the old address stays suppressed


def test_verifying_the_suppressed_address_itself_lifts_the_suppression(client, anymail_test_backend):
    user = UserFactory(email="full-mailbox@example.com")
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": False}
    )
    client.post(URL, _postmark("HardBounce", user.email), "application/json", **_auth())
    assert client.post(f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/").status_code == 302
    user.refresh_from_db()
    assert user.undeliverable_email is False and not EmailSuppression.objects.exists()


def test_a_user_who_is_fine_sees_no_banner(client):
    client.force_login(UserFactory())
    assert 'data-testid="undeliverable-email-banner"' not in client.get("/me/dashboard/").content.decode()
