"""Delete my account: nothing personal survives, money records stay (pseudonymised), the ledger balances,
future bookings are cancelled under the normal policy (an expert's: full refund to the client)."""

import datetime as dt
import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import EmailSuppression, User
from ai_tools.models import AIRun, Document
from ai_tools.tests.factories import AIRunFactory, DocumentFactory, funded_user
from applications.models import Application, EvidenceDocument
from bookings.models import Booking, BookingMessage
from bookings.tests.factories import expert_with_session
from consultations.models import Review
from expert_marketplace.models import ExpertProfile
from payments.models import Payment, Refund, WebhookEvent
from privacy.export import export_build
from privacy.services import account_delete
from site_admin import support

from .conftest import future, paid_booking, store
from .helpers import files_mentioning, ledger_balances, rows_mentioning

pytestmark = pytest.mark.django_db

NAME, EMAIL, SECRET = "Zelda Quixote", "zelda.quixote@example.com", "Zanzibar-Quasar-7781"


@pytest.fixture
def person(private_root, django_capture_on_commit_callbacks):
    """A client with a name, files, analyses, a pack, a review, a support thread and a booking in 5 days."""
    user = funded_user(points=50, email=EMAIL, full_name=NAME)
    assert EmailAddress.objects.filter(user=user, email=EMAIL).exists()  # the factory verifies it
    text = f"{NAME}\n{EMAIL}\nLead engineer. {SECRET}"
    name = store("cv/zelda.txt", text.encode())
    document = DocumentFactory(owner=user, storage_name=name, text=text, original_filename="zelda-cv.txt")
    AIRunFactory(user=user, document=document, result={"summary": f"{NAME} shows {SECRET}"}, headline=NAME)
    application = Application.objects.create(owner=user)
    EvidenceDocument.objects.create(
        application=application, position=1, title=f"Award of {NAME}", proves=SECRET, evidence_date=dt.date(2025, 1, 1),
        source="https://example.com", kind="pdf", original_filename="award.pdf",
        storage_name=store("evidence/zelda.pdf", f"%PDF {NAME}".encode()), size_bytes=10, sha256="1" * 64,
        page_count=1, pages_estimated=False,
    )  # fmt: skip
    support.inquiry_create(user=user, name=NAME, email=EMAIL, topic="other", subject=f"From {NAME}", body=SECRET)
    WebhookEvent.objects.create(
        event_id="evt_privacy_1", type="checkout.session.completed", payload={"data": {"customer_email": EMAIL.upper()}}
    )
    EmailSuppression.objects.create(email=EMAIL, reason=EmailSuppression.Reason.values[0], detail=f"bounce {EMAIL}")
    expert, session = expert_with_session(price_pence=9000)
    past = paid_booking(client=user, session_type=session, start=future(-10), status=Booking.Status.COMPLETED)
    Review.objects.create(booking=past, expert=expert, client=user, rating=5, text=f"Great - {NAME} {SECRET}")
    upcoming = paid_booking(client=user, session_type=session, start=future(5))
    BookingMessage.objects.create(booking=upcoming, sender=user, sender_role="client", body=f"From {NAME}: {SECRET}")
    reply = DocumentFactory(
        owner=expert.user, storage_name=store("cv/notes.txt", NAME.encode()), text=f"Notes on {NAME}"
    )
    BookingMessage.objects.create(
        booking=upcoming, sender=expert.user, sender_role="expert", body=f"Hi {NAME}", attachment=reply
    )
    Booking.objects.filter(pk=upcoming.pk).update(questions=f"{SECRET}?")
    return user, upcoming


def test_account_delete_erases_the_person_and_keeps_money_records(
    person, private_root, django_capture_on_commit_callbacks
):
    user, upcoming = person
    payments_before = Payment.objects.filter(user=user).count()
    assert rows_mentioning(NAME, EMAIL, SECRET) and files_mentioning(private_root, NAME.encode())

    with django_capture_on_commit_callbacks(execute=True):
        assert account_delete(user=user) == []

    assert rows_mentioning(NAME, EMAIL, SECRET) == []
    assert rows_mentioning("zelda") == []
    assert files_mentioning(private_root, NAME.encode(), SECRET.encode(), b"zelda") == []
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password() and user.email.endswith("@deleted.invalid")
    assert Document.objects.filter(owner=user).count() == 0 and not EmailAddress.objects.filter(user=user).exists()
    # The money records stay, pointing to the pseudonymised user; the ledger still balances.
    assert Payment.objects.filter(user=user).count() == payments_before
    assert AIRun.objects.filter(user=user).count() == 1
    assert ledger_balances(user)
    # The future booking was cancelled as the client, 5 days ahead: a full refund under the policy.
    upcoming.refresh_from_db()
    assert upcoming.status == Booking.Status.CANCELLED_BY_CLIENT
    assert upcoming.cancel_refund_pence == 9000
    assert Refund.objects.get(payment=upcoming.payment).amount_pence == 9000
    # The cancellation mail goes to the expert, never to the erased person's ".invalid" address.
    sent_to = [address for message in mail.outbox for address in message.to]
    assert upcoming.expert.user.email in sent_to
    assert not [address for address in sent_to if address.endswith(".invalid")]
    # Idempotent: a second run changes nothing and still leaves nothing behind.
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=user)
    assert rows_mentioning(NAME, EMAIL, SECRET) == [] and Refund.objects.filter(payment=upcoming.payment).count() == 1


def test_late_cancellation_on_delete_follows_the_partial_refund_window(
    private_root, django_capture_on_commit_callbacks
):
    user = funded_user(email="late@example.com", full_name="Late Person")
    _, session = expert_with_session(price_pence=9000)
    booking = paid_booking(client=user, session_type=session, start=future(2) - dt.timedelta(hours=12))
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=user)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_CLIENT
    assert booking.cancel_refund_pence == 4500  # 24-48 h before: 50 % (site settings defaults)


def test_expert_account_delete_unlists_and_refunds_clients_in_full(private_root, django_capture_on_commit_callbacks):
    expert, session = expert_with_session(price_pence=9000)
    ExpertProfile.objects.filter(pk=expert.pk).update(display_name="Quentin Vexley", bio="I am Quentin Vexley.")
    User.objects.filter(pk=expert.user_id).update(full_name="Quentin Vexley")
    client = funded_user()
    booking = paid_booking(client=client, session_type=session, start=future(1) - dt.timedelta(hours=2))  # < 24 h
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=User.objects.get(pk=expert.user_id))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_EXPERT and booking.cancel_refund_pence == 9000
    assert not ExpertProfile.objects.filter(ExpertProfile.LISTED, pk=expert.pk).exists()
    assert rows_mentioning("Quentin Vexley", expert.user.email) == []


def test_export_zip_holds_every_section_and_the_files(person):
    user, _ = person
    archive = zipfile.ZipFile(io.BytesIO(export_build(user=user)))
    names = set(archive.namelist())
    for section in ("account", "points_ledger", "payments", "bookings", "reviews", "messages", "ai_runs",
                    "documents", "application_pack", "referrals"):  # fmt: skip
        assert f"{section}.json" in names
    assert json.loads(archive.read("account.json"))["email"] == EMAIL
    assert len(json.loads(archive.read("payments.json"))) == 2
    messages = json.loads(archive.read("messages.json"))
    assert messages["support"][0]["messages"][0]["body"] == SECRET
    assert [m["from_me"] for m in messages["bookings"]] == [True, False]
    assert messages["bookings"][1]["attachment"] == "my-cv.txt"
    files = sorted(n for n in names if n.startswith("files/"))
    assert len(files) == 2 and NAME.encode() in archive.read(files[0]) + archive.read(files[1])


def test_views_download_and_delete_need_the_password(client, person):
    user, _ = person
    client.force_login(user)
    assert client.get(reverse("privacy:data")).status_code == 200
    response = client.post(reverse("privacy:data_download"))
    assert (
        response["Content-Type"] == "application/zip"
        and zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None
    )
    page = client.get(reverse("privacy:account_delete"))
    assert "£90.00 refunded" in page.content.decode()
    wrong = client.post(reverse("privacy:account_delete"), {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 200 and User.objects.get(pk=user.pk).is_active
    user.set_password("right-password-1")
    user.save()
    client.force_login(user)
    done = client.post(reverse("privacy:account_delete"), {"password": "right-password-1", "confirm": "on"})
    assert done.status_code == 302 and not User.objects.get(pk=user.pk).is_active
    assert client.get(reverse("privacy:data")).status_code == 302  # signed out
