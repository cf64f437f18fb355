import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from site_admin import support
from site_admin.models import Inquiry, InquiryMessage

pytestmark = pytest.mark.django_db

MESSAGE = {
    "name": "Ada",
    "email": "ada@example.com",
    "topic": "payments",
    "subject": "Refund?",
    "body": "I was charged twice.",
}


def test_visitor_contact_creates_a_thread_and_acknowledges_by_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", MESSAGE)

    assert response.status_code == 302 and response.headers["Location"] == "/contact/sent/"
    inquiry = Inquiry.objects.get()
    assert (inquiry.email, inquiry.status, inquiry.user) == ("ada@example.com", Inquiry.Status.NEW, None)
    assert inquiry.messages.get().body == "I was charged twice."
    assert mail.outbox[0].to == ["ada@example.com"] and inquiry.reference in mail.outbox[0].subject
    assert inquiry.reference in client.get("/contact/sent/").content.decode()


def test_signed_in_user_needs_no_email_and_replies_go_to_the_account(client):
    user = UserFactory(email="me@example.com")
    client.force_login(user)
    client.post("/contact/", {k: v for k, v in MESSAGE.items() if k != "email"})
    inquiry = Inquiry.objects.get()
    assert inquiry.user == user and inquiry.email == "me@example.com"


def test_honeypot_looks_like_success_but_stores_nothing(client):
    response = client.post("/contact/", {**MESSAGE, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Inquiry.objects.exists() and not mail.outbox


def test_contact_form_is_rate_limited_per_visitor(client):
    for _ in range(5):
        assert client.post("/contact/", MESSAGE).status_code == 302
    blocked = client.post("/contact/", MESSAGE)
    assert blocked.status_code == 429
    assert "several messages in the last hour" in blocked.content.decode()
    assert Inquiry.objects.count() == 5


def test_invalid_form_shows_errors(client):
    response = client.post("/contact/", {**MESSAGE, "email": "not-an-email", "body": "short"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "body"}


def test_staff_reply_is_stored_emailed_and_shown_to_the_user(client, django_capture_on_commit_callbacks):
    user, staff = UserFactory(), UserFactory(is_staff=True)
    inquiry = support.inquiry_create(user=user, name="U", email="", topic="other", subject="Help", body="Hello there")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        support.inquiry_reply(inquiry=inquiry, staff=staff, body="Here is the answer.")

    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED and inquiry.assignee == staff
    assert mail.outbox[-1].to == [user.email] and "Here is the answer." in mail.outbox[-1].body
    assert InquiryMessage.objects.get(from_staff=True).emailed_at is not None

    client.force_login(user)
    page = client.get(f"/me/support/{inquiry.pk}/").content.decode()
    assert "Here is the answer." in page and "TalentVisa support" in page
    client.post(f"/me/support/{inquiry.pk}/", {"body": "Thanks, one more thing"})
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OPEN and inquiry.messages.count() == 3


def test_another_users_thread_is_404(client):
    owner, other = UserFactory(), UserFactory()
    inquiry = support.inquiry_create(user=owner, name="O", email="", topic="other", subject="Mine", body="Private text")
    client.force_login(other)
    assert client.get(f"/me/support/{inquiry.pk}/").status_code == 404
    assert client.post(f"/me/support/{inquiry.pk}/", {"body": "x"}).status_code == 404
    assert "Mine" not in client.get("/me/support/").content.decode()


def test_admin_reply_goes_through_the_service(admin_client, django_capture_on_commit_callbacks):
    user = UserFactory()
    inquiry = support.inquiry_create(user=user, name="U", email="", topic="other", subject="Help", body="Hello there")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/site_admin/inquiry/{inquiry.pk}/change/",
            {
                "status": "open",
                "assignee": "",
                "reply": "Answered from admin.",
                "messages-TOTAL_FORMS": "1",
                "messages-INITIAL_FORMS": "1",
                "messages-MIN_NUM_FORMS": "0",
                "messages-MAX_NUM_FORMS": "1000",
                "messages-0-id": str(inquiry.messages.get().pk),
                "messages-0-inquiry": str(inquiry.pk),
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED
    assert mail.outbox[-1].to == [user.email] and "Answered from admin." in mail.outbox[-1].body


def test_my_inquiries_query_count_is_constant(client, django_assert_max_num_queries):
    user = UserFactory()
    for i in range(30):
        support.inquiry_create(user=user, name="U", email="", topic="other", subject=f"S{i}", body="Hello there")
    client.force_login(user)
    with django_assert_max_num_queries(5):
        assert client.get("/me/support/").status_code == 200


def test_spoofed_forwarded_for_headers_do_not_reset_the_visitor_limit(client, settings):
    """The probe: 20 posts each with a new first X-Forwarded-For entry made 25 inquiries."""
    settings.TRUSTED_PROXY_COUNT = 1  # behind nginx, which appends the address it saw
    statuses = [
        client.post("/contact/", MESSAGE, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 203.0.113.7").status_code for i in range(8)
    ]
    assert statuses == [302] * 5 + [429] * 3
    assert Inquiry.objects.count() == 5
    # A different real client (the address nginx saw) has its own allowance.
    assert client.post("/contact/", MESSAGE, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9").status_code == 302


def test_a_signed_in_user_is_limited_per_account_whatever_their_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(UserFactory())
    statuses = [client.post("/contact/", MESSAGE, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(7)]
    assert statuses == [302] * 5 + [429] * 2


def test_many_accounts_from_one_address_are_limited_per_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = []
    for _ in range(12):
        client.force_login(UserFactory())
        statuses.append(client.post("/contact/", MESSAGE, HTTP_X_FORWARDED_FOR="203.0.113.50").status_code)
    assert statuses == [302] * 10 + [429] * 2
