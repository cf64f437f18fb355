"""Accept or ignore each suggested edit (htmx and plain POST); downloads hold only the accepted ones."""

import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from ai_tools.models import AIRun

from .factories import SAMPLE_DRAFT, AIRunFactory, statement_run

pytestmark = pytest.mark.django_db

CLICHE = "I have always been passionate about technology."
CLAIM = "I am a world-class engineer who built many systems used by numerous customers."


@pytest.fixture
def review_run(client):
    user = UserFactory()
    client.force_login(user)
    run = statement_run(user=user, tool=AIRun.Tool.STATEMENT_ENHANCE)
    originals = [e["original"] for e in run.result["suggested_edits"]]
    assert originals == [CLICHE, CLAIM]  # the fixture the tests below rely on
    return run


def choose(client, run, index, choice, **headers):
    return client.post(reverse("ai_tools:statement_edit_choose", args=[run.pk, index]), {"choice": choice}, **headers)


def download_txt(client, run) -> str:
    return client.get(reverse("ai_tools:statement_download", args=[run.pk, "txt"])).content.decode()


def test_nothing_is_applied_until_accepted(client, review_run):
    assert download_txt(client, review_run).strip() == SAMPLE_DRAFT.strip()
    page = client.get(reverse("ai_tools:run_detail", args=[review_run.pk])).content.decode()
    assert page.count('data-testid="edit"') == 2 and "0 accepted · 0 ignored · 2 to decide" in page


def test_plain_post_records_the_choice_and_redirects_back_to_the_edit(client, review_run):
    response = choose(client, review_run, 1, "accept")
    assert response.status_code == 302
    assert response["Location"] == reverse("ai_tools:run_detail", args=[review_run.pk]) + "#edit-1"
    response = choose(client, review_run, 0, "ignore")
    review_run.refresh_from_db()
    assert review_run.edit_choices == {"1": "accepted", "0": "ignored"}
    text = download_txt(client, review_run)
    assert CLICHE in text  # ignored: kept as written
    assert CLAIM not in text and "[Rewrite in your own words: give the evidence for 'world-class'" in text
    document = docx.Document(
        io.BytesIO(client.get(reverse("ai_tools:statement_download", args=[review_run.pk, "docx"])).content)
    )
    body = "\n".join(p.text for p in document.paragraphs)
    assert CLICHE in body and CLAIM not in body
    choose(client, review_run, 1, "undo")
    review_run.refresh_from_db()
    assert review_run.edit_choices == {"0": "ignored"}
    assert download_txt(client, review_run).strip() == SAMPLE_DRAFT.strip()


def test_htmx_swaps_the_edit_and_the_accepted_text_in_few_queries(client, review_run):
    with CaptureQueriesContext(connection) as queries:
        response = choose(client, review_run, 0, "accept", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<li id="edit-0"') and 'data-choice="accepted"' in html
    assert 'id="accepted-text"' in html and 'hx-swap-oob="true"' in html
    assert "1 accepted · 0 ignored · 1 to decide" in html
    assert CLICHE not in html.split('id="accepted-text"')[1]  # the accepted deletion is in the preview
    assert len(queries) <= 6, [q["sql"] for q in queries.captured_queries]


def test_choices_are_refused_for_other_users_bad_indexes_and_other_runs(client, review_run):
    assert choose(client, review_run, 2, "accept").status_code == 404
    assert choose(client, review_run, 0, "delete-everything").status_code == 404
    assert client.get(reverse("ai_tools:statement_edit_choose", args=[review_run.pk, 0])).status_code == 405
    draft = statement_run(user=review_run.user)
    assert choose(client, draft, 0, "accept").status_code == 404
    cv = AIRunFactory(user=review_run.user)
    assert choose(client, cv, 0, "accept").status_code == 404
    client.force_login(UserFactory())
    assert choose(client, review_run, 0, "accept").status_code == 404
    review_run.refresh_from_db()
    assert review_run.edit_choices == {}


def test_review_page_shows_verdict_elements_criteria_and_edits(client, review_run):
    page = client.get(reverse("ai_tools:run_detail", args=[review_run.pk])).content.decode()
    assert 'data-testid="ai-verdict"' in page
    assert 'data-testid="element-why_uk" data-present="yes"' in page
    assert 'data-testid="criterion-MC"' in page
    assert 'data-testid="accept"' in page and 'data-testid="ignore"' in page
    assert "Downloads contain only the edits you accept" in page


def test_a_review_stored_before_the_text_field_still_downloads(client, review_run):
    result = dict(review_run.result)
    result.pop("text")
    review_run.result = result
    review_run.edit_choices = {"0": "accepted"}
    review_run.save()
    text = download_txt(client, review_run)
    assert CLICHE not in text and CLAIM in text


def test_a_review_stored_by_the_previous_version_still_renders(client, review_run):
    old = {
        key: value
        for key, value in review_run.result.items()
        if key not in {"text", "criteria", "ai_likeness", "repeated_sentences", "repeated_paragraphs", "length"}
    }
    old["suggested_edits"] = [{k: e[k] for k in ("original", "suggested", "reason")} for e in old["suggested_edits"]]
    old["diff"], old["unified_diff"] = [{"op": "equal", "text": SAMPLE_DRAFT}], ""
    review_run.result = old
    review_run.save()
    page = client.get(reverse("ai_tools:run_detail", args=[review_run.pk]))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="edit"') == 2
    choose(client, review_run, 0, "accept")
    assert CLICHE not in download_txt(client, review_run)
