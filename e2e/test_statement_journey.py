"""The Personal Statement review in the browser: accept one edit, ignore another, download only what was accepted."""

import re

import pytest
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.tests.factories import UserFactory

from .test_ai_tools_journey import _log_in

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT = """In today's fast-paced digital landscape, I have spearheaded a data platform at Jumia that integrated twelve sources. I am a hard-working engineer. I want to move to the UK because London has the largest e-commerce market in Europe.

I plan to join Ocado Technology in Hatfield as a principal data engineer in May 2026. Moreover, I fostered collaboration across 4 teams at Jumia. In 2024 I spoke at PyData London about streaming pipelines for 30 million orders.

I am a leading expert in data pipelines.

In the UK I will contribute to the digital sector by teaching streaming data engineering at PyData meetups in London."""

ACCEPTED_ORIGINAL = (
    "In today's fast-paced digital landscape, I have spearheaded a data platform at Jumia that integrated twelve "
    "sources."
)
ACCEPTED_RESULT = "I have led a data platform at Jumia that integrated twelve sources."
IGNORED_ORIGINAL = "Moreover, I fostered collaboration across 4 teams at Jumia."


def _review(page, live_server, text: str):
    user = UserFactory()
    account_services.points_grant(user=user, amount=30, reason="adjustment")
    _log_in(page, live_server, user)
    page.goto(live_server.url + "/tools/personal-statement/review/")
    page.fill("textarea[name=draft]", text)
    page.get_by_role("button", name=re.compile("Review my statement")).click()
    expect(page.get_by_test_id("run-status").first).to_have_text("Finished", timeout=15_000)
    return user


def _edit(page, original_start: str):
    return page.get_by_test_id("edit").filter(has_text=original_start)


def test_accept_one_edit_ignore_another_and_download_only_the_accepted(page, live_server, shoot, browser):
    user = _review(page, live_server, DRAFT)
    run_url = page.url
    expect(page.get_by_test_id("element-where_in_uk")).to_have_attribute("data-present", "yes")
    expect(page.get_by_test_id("choice-counts")).to_contain_text("0 accepted")

    # htmx: the edit and the accepted text swap in place, no reload.
    accepted = _edit(page, "spearheaded")
    accepted.get_by_test_id("accept").click()
    expect(_edit(page, "spearheaded")).to_have_attribute("data-choice", "accepted")
    ignored = _edit(page, "Moreover")
    ignored.get_by_test_id("ignore").click()
    expect(_edit(page, "Moreover")).to_have_attribute("data-choice", "ignored")
    expect(page.get_by_test_id("choice-counts")).to_contain_text("1 accepted · 1 ignored")
    expect(page.get_by_test_id("accepted-text")).to_contain_text(ACCEPTED_RESULT)
    assert page.url == run_url
    page.get_by_test_id("edit").first.scroll_into_view_if_needed()
    shoot("ai-statement-review-edits")

    with page.expect_download() as download_info:
        page.get_by_test_id("download-txt").click()
    text = open(download_info.value.path(), encoding="utf-8").read()
    assert ACCEPTED_RESULT in text and ACCEPTED_ORIGINAL not in text
    assert IGNORED_ORIGINAL in text  # ignored: as written
    assert "I am a hard-working engineer." in text  # not decided: as written
    assert "I am a leading expert in data pipelines." in text

    # Without JavaScript the same buttons are plain forms: the choice is kept and the page comes back.
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    _log_in(plain, live_server, user)
    plain.goto(run_url)
    _edit(plain, "hard-working").get_by_test_id("accept").click()
    expect(plain).to_have_url(re.compile(r"#edit-\d+$"))
    expect(_edit(plain, "hard-working")).to_have_attribute("data-choice", "accepted")
    expect(_edit(plain, "spearheaded")).to_have_attribute("data-choice", "accepted")  # kept with the run
    expect(plain.get_by_test_id("accepted-text")).not_to_contain_text("hard-working")
    context.close()


def test_over_long_statement_gets_a_cut_plan(page, live_server, shoot):
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "bench/corpus/statements/08-repeated-paragraph.txt").read_text()
    _review(page, live_server, text)
    expect(page.get_by_test_id("cut-plan")).to_contain_text("Delete paragraphs 3, 4, 5")
    expect(page.get_by_test_id("length-help")).to_contain_text("This plan brings the statement to about")
    page.get_by_test_id("length-help").scroll_into_view_if_needed()
    shoot("ai-statement-review-over-limit")
