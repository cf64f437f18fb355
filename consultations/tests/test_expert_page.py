"""The one expert page per booking: what the client shared (read-only analysis, its report, documents,
the pack's shares through the bookings hook), actions and messages; only for the booking's expert."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from ai_tools.tests.factories import AIRunFactory, DocumentFactory
from applications.models import Application, PlanShare
from bookings.models import BookingDocument, BookingMessage
from bookings.tests.factories import NOW, BookingFactory, expert_with_session
from payments.models import Payment
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("consultations.views.now", lambda: NOW)


@pytest.fixture
def booking(db):
    client = UserFactory(full_name="Chidi Client")
    _, session = expert_with_session(display_name="Ada Lovelace")
    payment = PaymentFactory(user=client, status=Payment.Status.SUCCEEDED, purpose="booking")
    return BookingFactory(client=client, session_type=session, payment=payment)


@pytest.fixture
def expert(client, booking):
    client.force_login(booking.expert.user)
    return client


def _share_everything(booking, n=1):
    for i in range(n):
        run = AIRunFactory(user=booking.client, headline=f"Readiness {80 + i}/100")
        booking.shared_analyses.add(run)
        BookingDocument.objects.create(
            booking=booking, document=DocumentFactory(owner=booking.client, original_filename=f"cv-{i}.pdf")
        )
        BookingMessage.objects.create(booking=booking, sender=booking.client, sender_role="client", body=f"Note {i}")
    return run


def test_shared_analysis_opens_read_only_with_its_evidence_and_report(expert, booking):
    run = _share_everything(booking)
    page = expert.get(f"/consultations/expert/{booking.pk}/analyses/{run.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="shared-analysis"' in html and "Chidi Client" in html
    assert "Correct them and run again" not in html  # the client's own controls are not offered
    assert f"/tools/cv-analysis/documents/{run.document_id}/" not in html
    pdf = expert.get(f"/consultations/expert/{booking.pk}/analyses/{run.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Cache-Control"] == "private, no-store"


def test_analysis_not_shared_with_this_booking_is_404(expert, booking):
    _share_everything(booking)
    unshared = AIRunFactory(user=booking.client)
    other_booking = BookingFactory(
        client=booking.client, session_type=booking.session_type, start_at=booking.start_at + dt.timedelta(days=7)
    )
    shared_elsewhere = AIRunFactory(user=booking.client)
    other_booking.shared_analyses.add(shared_elsewhere)
    for run in (unshared, shared_elsewhere):
        assert expert.get(f"/consultations/expert/{booking.pk}/analyses/{run.pk}/").status_code == 404
        assert expert.get(f"/consultations/expert/{booking.pk}/analyses/{run.pk}/report.pdf").status_code == 404


def test_another_expert_gets_404_everywhere(client, booking):
    run = _share_everything(booking)
    client.force_login(expert_with_session()[0].user)
    for path in ("", f"analyses/{run.pk}/", f"analyses/{run.pk}/report.pdf"):
        assert client.get(f"/consultations/expert/{booking.pk}/{path}").status_code == 404
    assert client.get(f"/bookings/expert/{booking.pk}/").status_code == 404


def test_pack_shares_come_through_the_bookings_hook(expert, booking):
    application = Application.objects.create(owner=booking.client)
    html = expert.get(f"/consultations/expert/{booking.pk}/").content.decode()
    assert "Readiness plan" not in html
    PlanShare.objects.create(application=application, booking=booking)
    html = expert.get(f"/consultations/expert/{booking.pk}/").content.decode()
    assert "Readiness plan" in html and f"/pack/shared/{booking.pk}/" in html


def test_one_page_has_actions_notes_shared_items_and_messages(expert, booking):
    _share_everything(booking)
    html = expert.get(f"/consultations/expert/{booking.pk}/").content.decode()
    for marker in ('data-testid="shared"', 'data-testid="thread"', 'data-testid="save-notes"', "Note 0", "cv-0.pdf"):
        assert marker in html, marker
    assert f"/bookings/expert/{booking.pk}/cancel/" in html  # upcoming: the expert may cancel from here
    assert booking.client.email in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant_whatever_is_shared(expert, booking):
    _share_everything(booking, n=1)
    url = f"/consultations/expert/{booking.pk}/"
    expert.get(url)  # the messages are marked read once
    few = _queries(expert, url)
    _share_everything(booking, n=15)
    expert.get(url)
    assert _queries(expert, url) == few


def test_staff_read_the_thread_of_a_disputed_booking_in_the_dispute_admin(client, booking):
    from accounts.models import User
    from consultations.models import Dispute

    BookingMessage.objects.create(
        booking=booking, sender=booking.client, sender_role="client", body="<b>Late</b>\nagain"
    )
    dispute = Dispute.objects.create(
        booking=booking, opened_by=booking.client, kind=Dispute.Kind.OTHER, description="x"
    )
    client.force_login(User.objects.create_superuser(email="staff@example.com", password="pw-Secret-123"))
    html = client.get(f"/admin/consultations/dispute/{dispute.pk}/change/").content.decode()
    assert "&lt;b&gt;Late&lt;/b&gt;<br>again" in html and "<b>Late</b>" not in html
    assert "Client" in html
