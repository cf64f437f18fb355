"""The refusal review pages: intake, the paid run (price, free use, refund), ownership, query counts, the
hand-off to an expert (regulated advisers first) and the findings shared on the paid booking."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import LedgerEntry, Wallet
from accounts.services import free_uses_grant
from accounts.tests.factories import UserFactory
from ai_tools.models import AIRun
from ai_tools.tests.builders import make_pdf
from ai_tools.tests.factories import funded_user
from applications import services as pack_services
from applications.refusals import services
from applications.refusals.models import RefusalCase, RefusalShare
from bookings.models import Booking
from bookings.tests.factories import BookingFactory
from expert_marketplace.models import ExpertProfile
from expert_marketplace.tests.factories import ExpertProfileFactory, SessionTypeFactory

from .factories import add_document, pdf_upload

pytestmark = pytest.mark.django_db

LETTER = """Dear Ms Client,

Your application has been refused.

Mandatory criterion: Met. Talks at PyCon UK.
Optional criterion 1: Met. Co-founder of a product company.
Optional criterion 3: Not met. The assessor found no evidence of the revenue growth of the payments platform the applicant led.
Letters of recommendation: Met.
"""


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _case(user, decision=None, text=LETTER) -> RefusalCase:
    return services.refusal_case_create(
        user=user, decision_date=decision or timezone.localdate() - dt.timedelta(days=3), letter_text=text
    )


def _reviewed(user, capture) -> RefusalCase:
    case = _case(user)
    with capture(execute=True):
        services.refusal_review_start(user=user, case=case)
    case.refresh_from_db()
    assert case.run.status == AIRun.Status.SUCCEEDED, case.run.error_message
    return case


def test_intake_by_paste_shows_the_deadline(client):
    user = UserFactory(timezone="Asia/Tokyo")
    client.force_login(user)
    decision = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=9))).date() - dt.timedelta(days=10)
    response = client.post(
        reverse("applications:refusals"), {"decision_date": decision.isoformat(), "letter_text": LETTER}
    )
    case = RefusalCase.objects.get(owner=user)
    assert response.url == reverse("applications:refusal_detail", args=[case.pk])
    html = client.get(response.url).content.decode()
    last_day = decision + dt.timedelta(days=28)
    assert f"{last_day:%A} {last_day.day} {last_day:%B %Y}, 23:59" in html
    assert "(Asia/Tokyo)" in html and "18 days left" in html and "data-countdown=" in html
    # ...and on the list.
    assert "18 days left" in client.get(reverse("applications:refusals")).content.decode()


def test_intake_by_upload_validates_and_keeps_the_file_private(client, private_root):
    user = UserFactory()
    client.force_login(user)
    pdf = SimpleUploadedFile("refusal.pdf", make_pdf(LETTER), content_type="application/pdf")
    client.post(reverse("applications:refusals"), {"decision_date": "2026-01-05", "upload": pdf})
    case = RefusalCase.objects.get(owner=user)
    assert "found no evidence of the revenue growth" in case.letter_text
    assert case.original_filename == "refusal.pdf" and (private_root / case.storage_name).exists()
    fake = SimpleUploadedFile("refusal.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("applications:refusals"), {"decision_date": "2026-01-05", "upload": fake})
    assert response.status_code == 400 and RefusalCase.objects.count() == 1


def test_intake_refuses_a_future_decision_and_an_empty_letter(client):
    client.force_login(UserFactory())
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    assert (
        client.post(reverse("applications:refusals"), {"decision_date": tomorrow, "letter_text": LETTER}).status_code
        == 400
    )
    assert (
        client.post(reverse("applications:refusals"), {"decision_date": "2026-01-05", "letter_text": " "}).status_code
        == 400
    )
    assert not RefusalCase.objects.exists()


def test_the_review_is_charged_the_site_price_and_finds_the_pack_passage(
    client, site_config, django_capture_on_commit_callbacks
):
    site_config(price_refusal_review=9)
    user = funded_user(points=30)
    application = pack_services.application_ensure(user=user)
    add_document(
        application,
        n=1,
        criterion="OC3",
        title="Revenue statement",
        upload=pdf_upload("Revenue growth of the payments platform the applicant led reached four million pounds."),
    )
    case = _case(user)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:refusal_start", args=[case.pk]))
    assert response.url == reverse("applications:refusal_detail", args=[case.pk])
    run = AIRun.objects.get(user=user, tool=AIRun.Tool.REFUSAL_REVIEW)
    assert (run.status, run.paid_with, run.points_charged) == ("succeeded", "points", 9)
    assert Wallet.objects.get(user=user).points_balance == 21
    assert run.headline == "1 finding · Request an endorsement review"
    html = client.get(response.url).content.decode()
    assert 'data-criterion="OC3" data-classification="not_considered"' in html
    assert "Document 1 · Revenue statement · page 1" in html
    assert 'data-recommendation="request_review"' in html and 'data-testid="outline-item"' in html
    # The AI tools' run list sends the run to this page.
    assert client.get(reverse("ai_tools:run_detail", args=[run.pk])).url == response.url


def test_a_free_use_is_spent_first(django_capture_on_commit_callbacks):
    user = funded_user(points=30)
    free_uses_grant(user=user, amount=1, reason=LedgerEntry.Reason.ADJUSTMENT)
    case = _reviewed(user, django_capture_on_commit_callbacks)
    assert case.run.paid_with == "free_use"
    wallet = Wallet.objects.get(user=user)
    assert (wallet.points_balance, wallet.free_ai_uses) == (30, 0)


def test_a_letter_without_findings_fails_and_is_refunded(client, django_capture_on_commit_callbacks):
    user = funded_user(points=30)
    case = _case(user, text="Thank you for your application. We will be in touch.")
    with django_capture_on_commit_callbacks(execute=True):
        services.refusal_review_start(user=user, case=case)
    case.refresh_from_db()
    assert (case.run.status, case.run.refunded) == ("failed", True)
    assert Wallet.objects.get(user=user).points_balance == 30
    client.force_login(user)
    html = client.get(reverse("applications:refusal_detail", args=[case.pk])).content.decode()
    assert "could not find a criterion marked as not met" in html and "was refunded" in html


def test_not_enough_credit_charges_nothing(client):
    user = UserFactory()
    case = _case(user)
    client.force_login(user)
    response = client.post(reverse("applications:refusal_start", args=[case.pk]))
    assert response.status_code == 402 and 'data-testid="not-enough"' in response.content.decode()
    assert not AIRun.objects.exists()


def test_another_users_refusal_is_404_everywhere(client):
    case = _case(UserFactory())
    client.force_login(UserFactory())
    for name, method in [
        ("refusal_detail", "get"),
        ("refusal_experts", "get"),
        ("refusal_start", "post"),
        ("refusal_handoff", "post"),
        ("refusal_delete", "post"),
    ]:
        assert getattr(client, method)(reverse(f"applications:{name}", args=[case.pk])).status_code == 404, name
    assert RefusalCase.objects.filter(pk=case.pk).exists()


def test_pages_queries_do_not_grow(client, django_capture_on_commit_callbacks):
    user = funded_user(points=100)
    client.force_login(user)
    first = _reviewed(user, django_capture_on_commit_callbacks)
    index, detail = reverse("applications:refusals"), reverse("applications:refusal_detail", args=[first.pk])
    _queries(client, index)
    small_index, small_detail = _queries(client, index), _queries(client, detail)
    for _ in range(4):
        _reviewed(user, django_capture_on_commit_callbacks)
    application = pack_services.application_ensure(user=user)
    for n in range(1, 6):
        add_document(application, n=n, criterion="OC3")
    assert _queries(client, index) == small_index <= 10
    assert _queries(client, detail) == small_detail <= 12


def _experts():
    plain = ExpertProfileFactory(display_name="Zed Plain", rating_avg=5, rating_count=40)
    oisc = ExpertProfileFactory(
        display_name="Olu Adviser",
        adviser_status=ExpertProfile.AdviserStatus.OISC,
        adviser_number="F2020",
        adviser_verified=True,
        rating_avg=4,
        rating_count=3,
    )
    unverified = ExpertProfileFactory(
        display_name="Una Unverified",
        adviser_status=ExpertProfile.AdviserStatus.SRA,
        adviser_number="123",
        rating_avg=3,
    )
    sessions = {
        e.pk: SessionTypeFactory(expert=e, duration_minutes=60, price_pence=9000) for e in (plain, oisc, unverified)
    }
    return plain, oisc, unverified, sessions


def test_handoff_lists_regulated_advisers_first_and_opens_the_booking_wizard(
    client, django_capture_on_commit_callbacks
):
    plain, oisc, unverified, sessions = _experts()
    user = funded_user(points=30)
    case = _reviewed(user, django_capture_on_commit_callbacks)
    client.force_login(user)
    html = client.get(reverse("applications:refusal_experts", args=[case.pk])).content.decode()
    order = [html.index(name) for name in ("Olu Adviser", "Zed Plain", "Una Unverified")]
    assert order == sorted(order)
    assert html.count('data-regulated="true"') == 1
    response = client.post(
        reverse("applications:refusal_handoff", args=[case.pk]), {"expert": oisc.pk, "session": sessions[oisc.pk].pk}
    )
    assert response.url == reverse("experts:book", args=[oisc.slug]) + f"?session={sessions[oisc.pk].pk}"
    case.refresh_from_db()
    assert case.handoff_at is not None
    # A session of another expert is refused.
    bad = client.post(
        reverse("applications:refusal_handoff", args=[case.pk]), {"expert": oisc.pk, "session": sessions[plain.pk].pk}
    )
    assert bad.url == reverse("applications:refusal_experts", args=[case.pk])


def test_the_paid_booking_after_the_handoff_gets_the_findings_and_its_expert_reads_them(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = funded_user(points=30, full_name="Ada Client")
    case = _reviewed(user, django_capture_on_commit_callbacks)
    earlier = BookingFactory(client=user, created_at=timezone.now() - dt.timedelta(days=1))  # before the hand-off
    services.refusal_handoff(case=case)
    pending = BookingFactory(client=user, status=Booking.Status.PENDING_PAYMENT, created_at=timezone.now())
    assert not RefusalShare.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        pending.status = Booking.Status.CONFIRMED
        pending.save(update_fields=["status"])
    share = RefusalShare.objects.get()
    assert share.booking == pending
    (email,) = mailoutbox
    url = reverse("applications:refusal_shared", args=[pending.pk])
    assert email.to == [pending.expert.user.email]
    assert email.subject.startswith("[TalentVisa] Ada Client shared their refusal findings")
    assert url in email.body and "&#x27;" not in email.body

    client.force_login(pending.expert.user)
    html = client.get(url).content.decode()
    assert "Refusal findings of Ada Client" in html and 'data-criterion="OC3"' in html
    assert "Review it again" not in html and "Delete" not in html  # read only
    client.force_login(earlier.expert.user)
    assert client.get(reverse("applications:refusal_shared", args=[earlier.pk])).status_code == 404
    client.force_login(user)  # the client sees who has it
    assert "Shared with" in client.get(reverse("applications:refusal_detail", args=[case.pk])).content.decode()
    # Saving the booking again shares nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        pending.save(update_fields=["status"])
    assert RefusalShare.objects.count() == 1 and len(mailoutbox) == 1
    # Stopping: another user cannot; the owner can, and the expert loses access.
    unshare = reverse("applications:refusal_unshare", args=[case.pk, share.pk])
    client.force_login(UserFactory())
    assert client.post(unshare).status_code == 404
    client.force_login(user)
    client.post(unshare)
    client.force_login(pending.expert.user)
    assert client.get(url).status_code == 404
    case.refresh_from_db()
    assert case.handoff_at is None


def test_deleting_a_refusal_deletes_its_uploaded_file(client, private_root, django_capture_on_commit_callbacks):
    user = UserFactory()
    pdf = SimpleUploadedFile("refusal.pdf", make_pdf(LETTER), content_type="application/pdf")
    case = services.refusal_case_create(user=user, decision_date=dt.date(2026, 1, 5), upload=pdf)
    path = private_root / case.storage_name
    assert path.exists()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:refusal_delete", args=[case.pk]))
    assert not RefusalCase.objects.exists() and not path.exists()


def test_the_readiness_plan_shows_the_gaps_to_close(client, django_capture_on_commit_callbacks):
    user = funded_user(points=30)
    case = _case(user, text="MC: not met. Insufficient evidence of recognition.\nOC1: met.\nOC2: met.")
    with django_capture_on_commit_callbacks(execute=True):
        services.refusal_review_start(user=user, case=case)
    client.force_login(user)
    html = client.get(reverse("applications:plan")).content.decode()
    assert 'data-testid="refusal-gaps"' in html and "Collect external recognition" in html
    assert "days left" in html


def test_staff_read_the_case_in_the_admin(client):
    case = _case(UserFactory())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:applications_refusalcase_changelist")).status_code == 200
    assert client.get(reverse("admin:applications_refusalcase_change", args=[case.pk])).status_code == 200


def test_the_pack_read_by_the_review_includes_the_latest_cv_analysis():
    from ai_tools.results import CVAnalysis
    from ai_tools.tests.factories import AIRunFactory
    from applications.refusals.tool import pack_of

    user = UserFactory()
    assert pack_of(user).empty
    run = AIRunFactory(user=user)
    analysis = CVAnalysis.model_validate(run.result)
    cv = pack_of(user).cv
    for criterion in analysis.criteria:
        assert cv.get(criterion.code, []) == [e.quote for e in criterion.evidence]
    assert any(cv.values())


def test_a_broker_outage_never_fails_the_booking(monkeypatch, django_capture_on_commit_callbacks):
    from applications.refusals import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.refusal_share_for_booking_task, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        booking = BookingFactory(status=Booking.Status.CONFIRMED)
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_experts_and_shared_pages_queries_do_not_grow(client, django_capture_on_commit_callbacks):
    user = funded_user(points=30)
    case = _reviewed(user, django_capture_on_commit_callbacks)
    booking = BookingFactory(client=user)
    RefusalShare.objects.create(case=case, booking=booking)
    experts, shared = (
        reverse("applications:refusal_experts", args=[case.pk]),
        reverse("applications:refusal_shared", args=[booking.pk]),
    )
    _experts()
    client.force_login(user)
    small_experts = _queries(client, experts)
    client.force_login(booking.expert.user)
    small_shared = _queries(client, shared)
    for n in range(4):
        SessionTypeFactory(expert=ExpertProfileFactory(display_name=f"More {n}"), duration_minutes=30)
    client.force_login(user)
    assert _queries(client, experts) == small_experts <= 6
    client.force_login(booking.expert.user)
    assert _queries(client, shared) == small_shared <= 8


def test_the_status_poll_swaps_nothing_while_running_then_stops_with_a_link(client):
    user = funded_user(points=100)
    case = _case(user)
    services.refusal_review_start(user=user, case=case)  # queued: the on_commit run never fires here
    case.refresh_from_db()
    client.force_login(user)
    url = reverse("applications:refusal_detail", args=[case.pk])
    assert b'id="poll-status"' in client.get(url).content
    running = client.get(url, headers={"HX-Request": "true"})
    assert running.status_code == 204 and running.content == b""
    AIRun.objects.filter(pk=case.run.pk).update(status=AIRun.Status.FAILED)
    done = client.get(url, headers={"HX-Request": "true"})
    body = done.content.decode()
    assert done.status_code == 286 and "See what happened" in body and f'href="{url}"' in body
    assert '<div id="announcer" hx-swap-oob="innerHTML">Refusal review: this run did not finish.</div>' in body
