"""The AI history and the dashboard's AI cards are cached per user (core.fragments): fresh
right after a run starts, finishes, fails or a file is deleted; cheaper on the second request;
never another user's; and the history is paginated (20 runs a page) with a bounded file list.

The freshness tests commit for real (transaction=True), so the generation bumps run exactly as in
production: after the commit of the write.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from ai_tools import services
from ai_tools.admin import DocumentAdmin
from ai_tools.models import AIRun, Document
from ai_tools.tasks import run_ai_job
from core import fragments

from .builders import cv_text, make_pdf
from .factories import SAMPLE_DRAFT, AIRunFactory, DocumentFactory, funded_user

HISTORY = "/tools/history/"
DASHBOARD = "/me/dashboard/"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def queue_only(monkeypatch):
    """Runs stay queued after their commit (no worker); the test runs the task itself."""
    monkeypatch.setattr(services, "_enqueue", lambda *, run_id: None)


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def _main(html: str) -> str:
    """The page's own content (the chrome around it carries a CSRF token masked afresh per response)."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _statement_card(html: str) -> str:
    return html.split('data-testid="dashboard-statement-card"', 1)[1].split("</a>", 1)[0]


def _balance(html: str) -> str:
    return html.split('data-testid="points-balance">', 1)[1].split("<", 1)[0]


@pytest.mark.django_db(transaction=True)
def test_a_run_finishing_changes_the_history_row_and_the_dashboard_card(client, queue_only):
    user = funded_user(points=20)
    client.force_login(user)
    _get(client, HISTORY)
    dashboard, _ = _get(client, DASHBOARD)
    assert "Not run yet" in _statement_card(dashboard) and _balance(dashboard) == "20"

    response = client.post(reverse("ai_tools:statement_enhance"), {"draft": SAMPLE_DRAFT})
    assert response.status_code == 302
    run = AIRun.objects.get(user=user)
    history, _ = _get(client, HISTORY)
    assert "Queued" in history and f"run {run.pk}" in history
    dashboard, _ = _get(client, DASHBOARD)
    assert "Personal Statement review" in _statement_card(dashboard) and _balance(dashboard) != "20"

    run_ai_job(run.pk)
    run.refresh_from_db()
    assert run.status == AIRun.Status.SUCCEEDED and run.headline
    history, _ = _get(client, HISTORY)
    assert "Finished" in history and "Queued" not in history and run.headline in history
    assert run.headline in _statement_card(_get(client, DASHBOARD)[0])


@pytest.mark.django_db(transaction=True)
def test_a_failed_run_shows_failed_and_refunded_at_once(client, queue_only):
    user = funded_user(points=20)
    client.force_login(user)
    client.post(reverse("ai_tools:statement_enhance"), {"draft": SAMPLE_DRAFT})
    run = AIRun.objects.get(user=user)
    history, _ = _get(client, HISTORY)
    assert "refunded" not in history
    charged = _balance(_get(client, DASHBOARD)[0])
    assert charged != "20"

    services.ai_run_fail(run_id=run.pk, message="The AI service is busy.")
    history, _ = _get(client, HISTORY)
    assert "Failed" in history and "refunded" in history
    assert _balance(_get(client, DASHBOARD)[0]) == "20"


@pytest.mark.django_db(transaction=True)
def test_a_new_or_deleted_file_shows_at_once(client, queue_only, rf):
    """Through the upload service, and the admin's delete (the only way a document is deleted)."""
    user = funded_user(points=20)
    client.force_login(user)
    assert "No files yet." in _get(client, HISTORY)[0]
    upload = SimpleUploadedFile("first-cv.pdf", make_pdf(cv_text("strong_talent")), content_type="application/pdf")
    run = services.cv_analysis_start(user=user, route="digital_technology", upload=upload)
    document = run.document
    history, _ = _get(client, HISTORY)
    assert "first-cv.pdf" in history and reverse("ai_tools:document_download", args=[document.pk]) in history

    request = rf.post("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    with transaction.atomic():  # as the admin's delete view runs it
        DocumentAdmin(Document, admin.site).delete_model(request, document)
    history, _ = _get(client, HISTORY)
    assert "first-cv.pdf" not in history and f"run {run.pk}" in history and "No files yet." in history


@pytest.mark.django_db
def test_the_second_request_is_cached_and_cheaper(client):
    user = _login(client)
    AIRunFactory(user=user)
    for url in (HISTORY, f"{HISTORY}?page=2"):
        first_html, first = _get(client, url)
        second_html, second = _get(client, url)
        assert second < first, url
        assert _main(second_html) == _main(first_html)


def _login(client, **kwargs):
    user = UserFactory(**kwargs)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_another_user_gets_their_own_history(client):
    alice, bob = UserFactory(), UserFactory()
    AIRunFactory(user=alice, headline="Readiness 11/100", document__original_filename="alice-cv.pdf")
    AIRunFactory(user=bob, headline="Readiness 88/100", document__original_filename="bob-cv.pdf")

    client.force_login(alice)
    alice_page, _ = _get(client, HISTORY)
    client.force_login(bob)
    bob_page, _ = _get(client, HISTORY)

    assert "Readiness 11/100" in alice_page and "alice-cv.pdf" in alice_page
    assert "Readiness 88/100" not in alice_page and "bob-cv.pdf" not in alice_page
    assert "Readiness 88/100" in bob_page and "bob-cv.pdf" in bob_page
    assert "Readiness 11/100" not in bob_page and "alice-cv.pdf" not in bob_page


@pytest.mark.django_db
def test_history_pager_shows_20_runs_a_page_newest_first(client):
    user = _login(client)
    document = DocumentFactory(owner=user)
    start = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    runs = [
        AIRunFactory(
            user=user, document=document, headline=f"Run number {i:02d}", created_at=start + dt.timedelta(hours=i)
        )
        for i in range(45)
    ]

    first, _ = _get(client, HISTORY)
    assert "Runs <span" in first and "(45)" in first
    assert "Page 1 of 3" in first and 'href="?page=2"' in first and "Newer" not in first
    assert "Run number 44" in first and "Run number 25" in first and "Run number 24" not in first

    second, _ = _get(client, f"{HISTORY}?page=2")
    assert "Page 2 of 3" in second and 'href="?page=1"' in second and 'href="?page=3"' in second
    assert "Run number 24" in second and "Run number 05" in second
    assert "Run number 25" not in second and "Run number 04" not in second

    last, _ = _get(client, f"{HISTORY}?page=3")
    assert "Page 3 of 3" in last and "More" not in last
    assert all(f"Run number {i:02d}" in last for i in range(5))
    assert f"run {runs[0].pk}" in last

    assert "Page 3 of 3" in _get(client, f"{HISTORY}?page=99")[0]  # past the end: the last page
    assert "Page 1 of 3" in _get(client, f"{HISTORY}?page=abc")[0]


@pytest.mark.django_db
def test_history_file_list_is_bounded(client):
    user = _login(client)
    for i in range(25):
        DocumentFactory(owner=user, original_filename=f"cv-{i:02d}.pdf")
    page, _ = _get(client, HISTORY)
    assert page.count('data-testid="document-row"') == 20
    assert "cv-24.pdf" in page and "cv-05.pdf" in page and "cv-04.pdf" not in page
    assert "Your 20 most recent files." in page


@pytest.mark.django_db
def test_history_query_count_is_the_same_for_few_and_many(client, django_capture_on_commit_callbacks):
    user = _login(client)
    AIRunFactory(user=user)
    few = _get(client, HISTORY)[1]
    with django_capture_on_commit_callbacks(execute=True):  # committed: a new generation, rendered afresh
        for _ in range(30):
            AIRunFactory(user=user)
        fragments.bump(fragments.user_scope(user))  # factory rows skip the services that bump
    many = _get(client, HISTORY)[1]
    assert few == many
    assert Document.objects.filter(owner=user).count() == 31
