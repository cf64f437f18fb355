"""Services of the AI tools web layer: charging, running, failing and refunding runs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from accounts.models import LedgerEntry, Wallet
from accounts.services import InsufficientBalance
from accounts.tests.factories import UserFactory
from ai_tools import services
from ai_tools.documents import DocumentRejected
from ai_tools.models import AIRun, AIRunEvent, Document
from ai_tools.providers import ProviderError
from ai_tools.results import CVAnalysis, StatementDraft, StatementReview
from ai_tools.tasks import run_ai_job
from talentvisa.testing import needs_postgres, run_concurrently

from .builders import cv_text, make_pdf
from .factories import SAMPLE_DRAFT, AIRunFactory, DocumentFactory, funded_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    return root


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _cv_upload(name="cv.pdf"):
    return SimpleUploadedFile(name, make_pdf(cv_text("strong_talent")), content_type="application/pdf")


def _start_cv(user, **kwargs):
    return services.cv_analysis_start(user=user, route="digital_technology", upload=_cv_upload(), **kwargs)


def _wallet(user):
    return Wallet.objects.get(pk=user.pk)


class FailingProvider:
    name = "failing"

    def __init__(self, exc):
        self.exc = exc
        self.calls = 0

    def analyse_cv(self, *args, **kwargs):
        self.calls += 1
        raise self.exc

    generate_statement = enhance_statement = analyse_cv


def test_free_use_is_spent_before_points(django_capture_on_commit_callbacks):
    user = funded_user(points=50, free_uses=1)
    with django_capture_on_commit_callbacks(execute=True):
        run = _start_cv(user)

    run.refresh_from_db()
    assert run.paid_with == AIRun.PaidWith.FREE_USE and run.points_charged == 0
    assert run.charge_entry.asset == LedgerEntry.Asset.FREE_AI_USES
    assert run.charge_entry.idempotency_key == f"ai-run-{run.pk}-charge"
    assert (_wallet(user).free_ai_uses, _wallet(user).points_balance) == (0, 50)


def test_points_are_charged_at_the_settings_price_when_no_free_use(site_config, django_capture_on_commit_callbacks):
    site_config(price_cv_analysis=7)
    user = funded_user(points=50)
    with django_capture_on_commit_callbacks(execute=True):
        run = _start_cv(user)

    run.refresh_from_db()
    assert run.paid_with == AIRun.PaidWith.POINTS and run.points_charged == 7
    assert run.charge_entry.amount == -7 and run.charge_entry.source_id == str(run.pk)
    assert _wallet(user).points_balance == 43


def test_insufficient_balance_creates_nothing(private_root, django_capture_on_commit_callbacks):
    user = funded_user(points=9)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(InsufficientBalance) as excinfo:
        _start_cv(user)

    assert isinstance(excinfo.value, services.NotEnoughCredit)
    assert "costs 10 points or 1 free AI use" in str(excinfo.value) and "You have 9 points" in str(excinfo.value)
    assert callbacks == []
    assert not AIRun.objects.exists() and not Document.objects.exists() and not AIRunEvent.objects.exists()
    assert _files(private_root) == []
    assert _wallet(user).points_balance == 9
    assert LedgerEntry.objects.filter(user=user).count() == 1


def test_success_path_stores_result_and_events(private_root, django_capture_on_commit_callbacks):
    user = funded_user(points=10)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = _start_cv(user, category_hint="talent")

    # One task queued; the others start new generations of the user's cached pages (core.fragments).
    assert len([cb for cb in callbacks if cb.__module__ != "core.fragments"]) == 1
    run.refresh_from_db()
    assert run.status == AIRun.Status.SUCCEEDED
    analysis = CVAnalysis.model_validate(run.result)
    assert analysis.overall_score > 50 and analysis.engine == "local"
    assert run.engine == "local" and run.headline == f"Readiness {analysis.overall_score}/100"
    assert run.started_at and run.finished_at and run.finished_at >= run.started_at
    assert run.input == {"route": "digital_technology", "category_hint": "talent"}
    assert list(run.events.values_list("from_status", "to_status")) == [
        ("", "queued"),
        ("queued", "running"),
        ("running", "succeeded"),
    ]
    document = run.document
    assert document.owner == user and document.kind == "pdf" and document.page_count >= 1
    assert document.original_filename == "cv.pdf" and "cv.pdf" not in document.storage_name
    assert _files(private_root) == [private_root / document.storage_name]


def test_failure_refunds_points_exactly_once_even_if_the_task_runs_twice(monkeypatch):
    provider = FailingProvider(ProviderError("The AI service is busy. Please try again.", retryable=True))
    monkeypatch.setattr(services, "get_provider", lambda: provider)
    user = funded_user(points=10)
    run = _start_cv(user)  # on_commit not run: the test calls the task itself, twice

    run_ai_job(run.pk)
    run_ai_job(run.pk)
    services.ai_run_fail(run_id=run.pk, message="again")

    run.refresh_from_db()
    assert provider.calls == 1
    assert run.status == AIRun.Status.FAILED and run.refunded
    assert run.error_message == "The AI service is busy. Please try again."
    assert run.refund_entry.idempotency_key == f"ai-run-{run.pk}-refund" and run.refund_entry.amount == 10
    assert LedgerEntry.objects.filter(user=user, reason=LedgerEntry.Reason.REFUND).count() == 1
    assert _wallet(user).points_balance == 10


def test_failure_refunds_the_free_use_it_was_paid_with(monkeypatch):
    monkeypatch.setattr(services, "get_provider", lambda: FailingProvider(ProviderError("Nope.")))
    user = funded_user(points=30, free_uses=1)
    run = _start_cv(user)
    run_ai_job(run.pk)
    run_ai_job(run.pk)

    run.refresh_from_db()
    assert run.refunded and run.refund_entry.asset == LedgerEntry.Asset.FREE_AI_USES
    assert (_wallet(user).free_ai_uses, _wallet(user).points_balance) == (1, 30)


def test_unexpected_exception_fails_with_a_safe_message_and_refunds(monkeypatch):
    monkeypatch.setattr(services, "get_provider", lambda: FailingProvider(RuntimeError("secret stack detail")))
    user = funded_user(points=10)
    run = _start_cv(user)
    run_ai_job(run.pk)

    run.refresh_from_db()
    assert run.status == AIRun.Status.FAILED and run.error_message == services.GENERIC_FAILURE
    assert "secret" not in run.error_message
    assert _wallet(user).points_balance == 10


def test_second_execution_of_a_finished_run_does_nothing(monkeypatch):
    user = funded_user(points=10)
    run = _start_cv(user)
    run_ai_job(run.pk)
    run.refresh_from_db()
    finished_at, result = run.finished_at, run.result

    provider = FailingProvider(ProviderError("should not be called"))
    monkeypatch.setattr(services, "get_provider", lambda: provider)
    run_ai_job(run.pk)
    services.ai_run_fail(run_id=run.pk, message="late failure")

    run.refresh_from_db()
    assert provider.calls == 0
    assert run.status == AIRun.Status.SUCCEEDED and run.finished_at == finished_at and run.result == result
    assert not run.refunded and run.events.count() == 3


def test_a_run_the_broker_refuses_is_failed_and_refunded(monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(run_id):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("ai_tools.tasks.run_ai_job.delay", broker_down)
    user = funded_user(points=10)
    with django_capture_on_commit_callbacks(execute=True):
        run = _start_cv(user)

    run.refresh_from_db()
    assert run.status == AIRun.Status.FAILED and run.refunded
    assert "could not start" in run.error_message
    assert _wallet(user).points_balance == 10


def test_transitions_map_refuses_a_bad_move():
    run = AIRunFactory(status=AIRun.Status.SUCCEEDED)
    with pytest.raises(services.InvalidTransition):
        services.ai_run_transition(run=run, to=AIRun.Status.RUNNING)


def test_unavailable_route_is_refused_before_charging():
    user = funded_user(points=10)
    with pytest.raises(services.RunRejected):
        services.cv_analysis_start(user=user, route="engineering", upload=_cv_upload())
    assert not AIRun.objects.exists() and _wallet(user).points_balance == 10


def test_someone_elses_document_is_refused():
    user = funded_user(points=10)
    with pytest.raises(services.RunRejected):
        services.cv_analysis_start(user=user, route="digital_technology", document=DocumentFactory())
    assert not AIRun.objects.exists()


def test_rejected_upload_raises_before_any_write(private_root):
    user = funded_user(points=10)
    exe = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(DocumentRejected) as excinfo:
        services.cv_analysis_start(user=user, route="digital_technology", upload=exe)
    assert "Windows program" in excinfo.value.message
    assert not Document.objects.exists() and _files(private_root) == []


def test_document_create_deletes_the_file_when_the_row_cannot_be_written(private_root, monkeypatch):
    user = UserFactory()

    def broken_create(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Document.objects, "create", broken_create)
    with pytest.raises(DatabaseError):
        services.document_create(owner=user, upload=_cv_upload())
    assert _files(private_root) == []


def test_document_create_stores_file_and_row(private_root):
    document = services.document_create(owner=UserFactory(), upload=_cv_upload("My CV (final).pdf"))
    stored = private_root / document.storage_name
    assert stored.read_bytes()[:5] == b"%PDF-"
    assert document.original_filename == "My CV (final).pdf" and document.size_bytes == stored.stat().st_size


def test_statement_generate_and_enhance_use_the_cv_analysis(django_capture_on_commit_callbacks):
    user = funded_user(points=30)
    analysis = AIRunFactory(user=user)
    facts = {
        "why_uk": "London has the strongest fintech ecosystem in Europe.",
        "planned_occupation": "Staff engineer",
        "where_in_uk": "London",
        "benefit_to_uk": "Mentoring and open source.",
        "target_criteria": ["OC2", "OC3"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        draft_run = services.statement_generate_start(user=user, facts=facts, based_on=analysis)
        review_run = services.statement_enhance_start(user=user, draft=SAMPLE_DRAFT, based_on=analysis)

    draft_run.refresh_from_db()
    review_run.refresh_from_db()
    assert draft_run.status == review_run.status == AIRun.Status.SUCCEEDED
    draft = StatementDraft.model_validate(draft_run.result)
    assert "London" in draft.text and draft_run.based_on == analysis
    review = StatementReview.model_validate(review_run.result)
    assert review.word_count > 50 and review.generic_phrases
    assert _wallet(user).points_balance == 0  # 20 + 10


def test_a_statement_cannot_use_someone_elses_analysis():
    user = funded_user(points=30)
    with pytest.raises(services.RunRejected):
        services.statement_enhance_start(user=user, draft=SAMPLE_DRAFT, based_on=AIRunFactory())
    assert _wallet(user).points_balance == 30


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_runs_against_a_balance_for_three(monkeypatch):
    needs_postgres()
    # The charge is what races; keep the task out of it.
    monkeypatch.setattr("ai_tools.tasks.run_ai_job.delay", lambda run_id: None)
    user = funded_user(points=30)
    document = DocumentFactory(owner=user)

    results = run_concurrently(
        [lambda: services.cv_analysis_start(user=user, route="digital_technology", document=document)] * 10
    )

    created = [r for r in results if isinstance(r, AIRun)]
    refused = [r for r in results if isinstance(r, services.NotEnoughCredit)]
    assert len(created) == 3 and len(refused) == 7, results
    assert AIRun.objects.filter(user=user).count() == 3
    assert _wallet(user).points_balance == 0
    assert LedgerEntry.objects.filter(user=user, reason=LedgerEntry.Reason.SPEND).count() == 3
