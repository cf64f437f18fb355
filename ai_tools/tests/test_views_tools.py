"""The AI tools pages: uploads, forms, run page and htmx polling, history, downloads, permissions, queries."""

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import LedgerEntry, Wallet
from accounts.tests.factories import UserFactory
from ai_tools import rules
from ai_tools.models import AIRun, Document
from core import fragments

from .builders import cv_text, make_encrypted_pdf, make_pdf
from .factories import SAMPLE_DRAFT, AIRunFactory, DocumentFactory, funded_user, statement_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    return root


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _login(client, user):
    client.force_login(user)
    return user


def _post_cv(client, upload, **extra):
    data = {"route": "digital_technology", "category_hint": "", "upload": upload, **extra}
    return client.post(reverse("ai_tools:cv_analysis"), data)


# --- uploads -----------------------------------------------------------------------------------

BAD_UPLOADS = {
    "renamed_exe": (lambda: SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" + b"\x00" * 500), "Windows program"),
    "empty": (lambda: SimpleUploadedFile("cv.pdf", b""), "empty"),
    "twenty_mb": (lambda: SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)), "larger than 5 MB"),
    "encrypted_pdf": (
        lambda: SimpleUploadedFile("cv.pdf", make_encrypted_pdf(cv_text("strong_talent"))),
        "password-protected",
    ),
}


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_upload_shows_the_reason_and_charges_and_stores_nothing(client, private_root, case):
    build, message = BAD_UPLOADS[case]
    user = _login(client, funded_user(points=50))

    response = _post_cv(client, build())

    assert response.status_code == 200
    assertContains(response, message)
    assertContains(response, 'class="form-field has-error"')
    assert not Document.objects.exists() and not AIRun.objects.exists()
    assert _files(private_root) == []
    assert Wallet.objects.get(pk=user.pk).points_balance == 50


def _run_from_reading(client, response):
    """Step 2: the "What we read" page, then "Run the analysis" with the roles as shown."""
    page = client.get(response.url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {"action": "run", "route": "digital_technology", "category_hint": ""}
    data.update({f"roles-{k}": v for k, v in formset.management_form.initial.items()})
    for form in formset.forms[:-1]:
        for name, value in form.initial.items():
            if value not in (None, False):
                data[f"{form.prefix}-{name}"] = "on" if value is True else value
    return client.post(response.url.split("?")[0], data)


def test_upload_shows_what_we_read_then_runs_the_analysis(client, private_root, django_capture_on_commit_callbacks):
    user = _login(client, funded_user(points=10))
    response = _post_cv(client, SimpleUploadedFile("Ada CV.pdf", make_pdf(cv_text("strong_talent"))))

    document = Document.objects.get(owner=user)
    assert response.status_code == 302
    assert response.url.startswith(reverse("ai_tools:cv_reading", args=[document.pk]))
    assert not AIRun.objects.exists() and Wallet.objects.get(pk=user.pk).points_balance == 10  # nothing charged yet
    page = client.get(response.url)
    assertContains(page, "What we read from your CV")
    assertContains(page, 'value="Ledgerly"')
    assertContains(page, 'value="2019-01"')
    with django_capture_on_commit_callbacks(execute=True):
        response = _run_from_reading(client, response)

    run = AIRun.objects.get(user=user)
    assert response.status_code == 302 and response.url == reverse("ai_tools:run_detail", args=[run.pk])
    assert Wallet.objects.get(pk=user.pk).points_balance == 0
    page = client.get(response.url)
    assertContains(page, 'data-testid="overall-score"')
    assertContains(page, 'data-testid="criterion-MC"')
    assertContains(page, "<mark")
    assertContains(page, rules.LEGAL_DISCLAIMER)
    assertContains(page, "reviewed on 24 November 2026")
    assertContains(page, reverse("ai_tools:report_pdf", args=[run.pk]))
    assertContains(page, reverse("ai_tools:document_download", args=[run.document.pk]))
    assert len(_files(private_root)) == 1


def test_existing_document_can_be_analysed_again(client, django_capture_on_commit_callbacks):
    user = _login(client, funded_user(points=10))
    document = DocumentFactory(owner=user)
    response = client.post(reverse("ai_tools:cv_analysis"), {"route": "digital_technology", "document": document.pk})
    assert response.status_code == 302 and not AIRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        _run_from_reading(client, response)
    assert AIRun.objects.get(user=user).document == document


def test_someone_elses_document_is_not_a_choice(client):
    _login(client, funded_user(points=10))
    response = client.post(
        reverse("ai_tools:cv_analysis"), {"route": "digital_technology", "document": DocumentFactory().pk}
    )
    assertContains(response, "Select a valid choice")
    assert not AIRun.objects.exists()


def test_not_enough_points_shows_buy_link_and_charges_nothing(client, private_root):
    user = _login(client, funded_user(points=3))
    response = _post_cv(client, SimpleUploadedFile("cv.pdf", make_pdf(cv_text("strong_talent"))))
    response = _run_from_reading(client, response)

    assertContains(response, 'data-testid="not-enough"')
    assertContains(response, "You have 3 points and no free AI uses")
    assertContains(response, reverse("payments:buy_points"))
    assert not AIRun.objects.exists()
    assert Wallet.objects.get(pk=user.pk).points_balance == 3


def test_unavailable_routes_are_collapsed_and_refused(client):
    _login(client, funded_user(points=10))
    page = client.get(reverse("ai_tools:cv_analysis"))
    doc = lxml.html.fromstring(page.content.decode())
    # Only routes one can choose are radios; the rest sit under one closed "Coming later" line
    # (five disabled cards pushed the submit button far down on a phone).
    radios = doc.xpath("//input[@name='route']")
    assert [r.get("value") for r in radios] == [k for k, r in rules.ROUTES.items() if r.available]
    assert not doc.xpath("//input[@disabled]")
    soon = doc.xpath("//details[@data-testid='routes-coming-later']")
    assert len(soon) == 1 and soon[0].get("open") is None
    names = [r.name for r in rules.ROUTES.values() if not r.available]
    assert len(names) == 5 and "5 more routes" in soon[0].xpath("./summary")[0].text_content()
    assert all(name in soon[0].text_content() for name in names)

    response = _post_cv(client, SimpleUploadedFile("cv.pdf", make_pdf(cv_text("strong_talent"))), route="engineering")
    assertContains(response, "coming later")
    assert not AIRun.objects.exists()


def test_pages_need_login(client):
    for name in ("index", "cv_analysis", "statement_generate", "statement_enhance", "history"):
        response = client.get(reverse(f"ai_tools:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_index_shows_prices_balance_and_recent_runs(client, site_config):
    site_config(price_statement_generate=25)
    user = _login(client, funded_user(points=42, free_uses=2))
    AIRunFactory(user=user, headline="Readiness 61/100")
    page = client.get(reverse("ai_tools:index"))
    assertContains(page, "10 points or 1 free use")
    assertContains(page, "25 points or 1 free use")
    assertContains(page, 'data-testid="points-balance">42<')
    assertContains(page, "Readiness 61/100")


# --- statement tools -----------------------------------------------------------------------------


def test_statement_forms_show_the_ai_content_warning(client):
    _login(client, funded_user(points=10))
    for name in ("statement_generate", "statement_enhance"):
        assertContains(client.get(reverse(f"ai_tools:{name}")), rules.AI_CONTENT_WARNING)


def test_generate_needs_exactly_two_criteria_or_none(client):
    _login(client, funded_user(points=50))
    data = {
        "why_uk": "Ecosystem.",
        "planned_occupation": "Engineer",
        "where_in_uk": "Leeds",
        "benefit_to_uk": "Mentoring.",
        "target_criteria": ["OC1"],
    }
    response = client.post(reverse("ai_tools:statement_generate"), data)
    assertContains(response, "Choose exactly two optional criteria, or none.")
    assert not AIRun.objects.exists()


def test_generate_and_enhance_through_the_views(client, django_capture_on_commit_callbacks):
    user = _login(client, funded_user(points=30))
    data = {
        "why_uk": "London has the strongest fintech ecosystem in Europe.",
        "planned_occupation": "Staff engineer at a payments start-up",
        "where_in_uk": "London",
        "benefit_to_uk": "I will mentor engineers.",
        "target_criteria": ["OC2", "OC3"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        generated = client.post(reverse("ai_tools:statement_generate"), data)
        enhanced = client.post(reverse("ai_tools:statement_enhance"), {"draft": SAMPLE_DRAFT})

    draft_page = client.get(generated.url)
    assertContains(draft_page, "Draft — rewrite in your own words")
    assertContains(draft_page, rules.AI_CONTENT_WARNING)
    assertContains(draft_page, "[Add:")
    assertContains(draft_page, '<mark class="rounded bg-amber-100 box-decoration-clone px-1')
    review_page = client.get(enhanced.url)
    assertContains(review_page, rules.AI_CONTENT_WARNING)
    assertContains(review_page, "<del")
    assertContains(review_page, "<ins")
    assertContains(review_page, "Required elements")
    assert Wallet.objects.get(pk=user.pk).points_balance == 0


# --- run page and htmx polling ----------------------------------------------------------------------


def test_htmx_poll_renders_only_the_status_partial_while_active(client):
    user = _login(client, UserFactory())
    run = AIRunFactory(user=user, status=AIRun.Status.QUEUED, result=None)
    url = reverse("ai_tools:run_detail", args=[run.pk])

    full = client.get(url)
    assertContains(full, 'hx-trigger="every 2s"')
    assertContains(full, "<html")
    # The page polls with the status it shows; unchanged, nothing is swapped (focus stays put).
    assertContains(full, f'hx-get="{url}?seen=queued"')
    same = client.get(url + "?seen=queued", headers={"HX-Request": "true"})
    assert same.status_code == 204 and same.content == b""
    AIRun.objects.filter(pk=run.pk).update(status=AIRun.Status.RUNNING)
    partial = client.get(url + "?seen=queued", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="run-status"') and "<html" not in body
    assert f'hx-get="{url}?seen=running"' in body and 'hx-trigger="every 2s"' in body
    assert 'id="run-refresh"' in body and "Refresh" in body  # the no-JS way to see progress
    # The change is announced out of band into the page's live region, not from inside the swap.
    assert "aria-live" not in body and 'role="status"' not in body
    assert '<div id="announcer" hx-swap-oob="innerHTML">CV analysis: working on it.</div>' in body


def test_htmx_poll_stops_and_announces_once_finished(client):
    user = _login(client, UserFactory())
    run = AIRunFactory(user=user)
    response = client.get(
        reverse("ai_tools:run_detail", args=[run.pk]) + "?seen=running", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 286 and "HX-Refresh" not in response
    assert "hx-trigger" not in body and 'id="run-refresh"' in body and "Show the result" in body
    assert '<div id="announcer" hx-swap-oob="innerHTML">CV analysis: your result is ready.</div>' in body
    assert '<span id="run-badge" hx-swap-oob="true">' in body and "Finished" in body
    page = client.get(reverse("ai_tools:run_detail", args=[run.pk]))
    assertNotContains(page, "hx-trigger")


def test_failed_run_shows_message_and_refund(client):
    user = _login(client, UserFactory())
    run = AIRunFactory(
        user=user, status=AIRun.Status.FAILED, result=None, refunded=True, error_message="The AI service is busy."
    )
    page = client.get(reverse("ai_tools:run_detail", args=[run.pk]))
    assertContains(page, "The AI service is busy.")
    assertContains(page, "Your 10 points were refunded.")
    free = AIRunFactory(
        user=user,
        status=AIRun.Status.FAILED,
        result=None,
        refunded=True,
        paid_with=AIRun.PaidWith.FREE_USE,
        points_charged=0,
    )
    assertContains(client.get(reverse("ai_tools:run_detail", args=[free.pk])), "Your free use was refunded.")


# --- permissions: every URL 404s for someone else's ids --------------------------------------------


def _urls_for(run, document, statement):
    return [
        reverse("ai_tools:run_detail", args=[run.pk]),
        reverse("ai_tools:report_pdf", args=[run.pk]),
        reverse("ai_tools:statement_download", args=[statement.pk, "docx"]),
        reverse("ai_tools:statement_download", args=[statement.pk, "txt"]),
        reverse("ai_tools:document_download", args=[document.pk]),
        reverse("ai_tools:cv_reading", args=[document.pk]),
    ]


def test_another_users_ids_are_404_on_every_url(client, private_root):
    owner = UserFactory()
    run = AIRunFactory(user=owner)
    document = run.document
    (private_root / "cv").mkdir(parents=True)
    (private_root / document.storage_name).write_text("secret cv")
    statement = statement_run(user=owner)

    _login(client, UserFactory())
    for url in _urls_for(run, document, statement):
        assert client.get(url).status_code == 404, url
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404, url

    client.force_login(owner)
    for url in _urls_for(run, document, statement):
        assert client.get(url).status_code == 200, url


def test_downloads_of_unfinished_or_wrong_tool_runs_are_404(client):
    user = _login(client, UserFactory())
    running = AIRunFactory(user=user, status=AIRun.Status.RUNNING, result=None)
    statement = statement_run(user=user)
    finished_cv = AIRunFactory(user=user)
    for url in (
        reverse("ai_tools:report_pdf", args=[running.pk]),
        reverse("ai_tools:report_pdf", args=[statement.pk]),
        reverse("ai_tools:statement_download", args=[finished_cv.pk, "txt"]),
        reverse("ai_tools:statement_download", args=[statement.pk, "exe"]),
    ):
        assert client.get(url).status_code == 404, url


# --- downloads ----------------------------------------------------------------------------------------


def _assert_attachment(response, content_type, ext):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{ext}"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_download_headers_and_content_types(client, private_root):
    user = _login(client, UserFactory())
    run = AIRunFactory(user=user, document__kind="pdf", document__original_filename='"evil"/../name.PDF')
    (private_root / "cv").mkdir(parents=True)
    (private_root / run.document.storage_name).write_bytes(b"%PDF-1.4 stored bytes")

    original = client.get(reverse("ai_tools:document_download", args=[run.document.pk]))
    _assert_attachment(original, "application/pdf", "pdf")
    assert original.content == b"%PDF-1.4 stored bytes"
    assert '"evil"' not in original["Content-Disposition"] and ".." not in original["Content-Disposition"]

    report = client.get(reverse("ai_tools:report_pdf", args=[run.pk]))
    _assert_attachment(report, "application/pdf", "pdf")
    assert report.content.startswith(b"%PDF-")

    statement = statement_run(user=user)
    docx = client.get(reverse("ai_tools:statement_download", args=[statement.pk, "docx"]))
    _assert_attachment(docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
    assert docx.content.startswith(b"PK")
    txt = client.get(reverse("ai_tools:statement_download", args=[statement.pk, "txt"]))
    _assert_attachment(txt, "text/plain; charset=utf-8", "txt")
    assert "DRAFT" in txt.content.decode()

    review = statement_run(user=user, tool=AIRun.Tool.STATEMENT_ENHANCE)
    revised = client.get(reverse("ai_tools:statement_download", args=[review.pk, "txt"]))
    _assert_attachment(revised, "text/plain; charset=utf-8", "txt")


def test_missing_private_file_is_404(client):
    user = _login(client, UserFactory())
    document = DocumentFactory(owner=user)
    assert client.get(reverse("ai_tools:document_download", args=[document.pk])).status_code == 404


# --- history and query counts ------------------------------------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_history_lists_runs_and_documents_with_a_constant_number_of_queries(client, django_capture_on_commit_callbacks):
    user = _login(client, UserFactory(timezone="America/New_York"))
    AIRunFactory(user=user)
    url = reverse("ai_tools:history")
    few = _count_queries(client, url)

    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached lists are renewed
        for _ in range(4):
            AIRunFactory(user=user)
        statement_run(user=user)
        AIRunFactory(user=user, status=AIRun.Status.FAILED, result=None, refunded=True)
        fragments.bump(fragments.user_scope(user))  # factory rows skip the services that bump
    many = _count_queries(client, url)

    assert few == many
    page = client.get(url)
    assertContains(page, "Personal Statement draft")
    assertContains(page, "refunded")
    for document in Document.objects.filter(owner=user):
        assertContains(page, reverse("ai_tools:document_download", args=[document.pk]))


def test_history_shows_times_in_the_users_timezone(client):
    from datetime import UTC, datetime

    user = _login(client, UserFactory(timezone="Asia/Tokyo"))
    AIRunFactory(user=user, created_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    assertContains(client.get(reverse("ai_tools:history")), "2 Mar 2026, 08:30")


def test_run_page_query_count_does_not_grow_with_the_result(client):
    user = _login(client, UserFactory())
    small = AIRunFactory(user=user, status=AIRun.Status.FAILED, result=None, refunded=True)
    big = AIRunFactory(user=user)
    statement = statement_run(user=user, tool=AIRun.Tool.STATEMENT_ENHANCE)
    counts = {_count_queries(client, reverse("ai_tools:run_detail", args=[run.pk])) for run in (small, big, statement)}
    assert len(counts) == 1 and counts.pop() <= 6


def test_dashboard_cards_link_to_the_tools_with_the_last_run(client, django_capture_on_commit_callbacks):
    user = _login(client, funded_user(points=20))
    url = reverse("accounts:dashboard")
    before = _count_queries(client, url)
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached cards are renewed
        AIRunFactory(user=user, headline="Readiness 77/100")
        statement_run(user=user, tool=AIRun.Tool.STATEMENT_ENHANCE)
        AIRunFactory(user=user, headline="Readiness 80/100")
        fragments.bump(fragments.user_scope(user))  # factory rows skip the services that bump
    after = _count_queries(client, url)

    page = client.get(url)
    assert before == after
    assertContains(page, reverse("ai_tools:cv_analysis"))
    assertContains(page, "Readiness 80/100")
    assertContains(page, "Personal Statement review")
    assertContains(page, 'data-testid="dashboard-cv-card"')
    assertContains(page, 'data-testid="dashboard-statement-card"')


def test_nav_links_to_the_ai_tools(client):
    _login(client, UserFactory())
    page = client.get(reverse("ai_tools:index"))
    assertContains(page, f'href="{reverse("ai_tools:index")}"')
    assertContains(page, 'aria-current="page">AI tools</a>')


def test_ledger_descriptions_name_the_run(client, django_capture_on_commit_callbacks):
    user = _login(client, funded_user(points=10))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ai_tools:statement_enhance"), {"draft": SAMPLE_DRAFT})
    entry = LedgerEntry.objects.get(user=user, reason=LedgerEntry.Reason.SPEND)
    assert entry.description.startswith("Personal Statement review (run #") and entry.source_type == "ai_run"
