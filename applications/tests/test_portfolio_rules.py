"""Each portfolio rule at its boundary (pure functions, no database)."""

from datetime import date

from applications import rules
from applications.portfolio import evaluate, months_before, next_actions, years_before

from .factories import TODAY, facts


def _rule(docs, code, optional=("OC2", "OC3"), today=TODAY):
    return next(r for r in evaluate(docs, optional_criteria=list(optional), today=today) if r.code == code)


def test_ten_documents_met_eleven_not():
    assert rules.EVIDENCE_MAX_DOCUMENTS == 10
    assert _rule([facts(n) for n in range(1, 11)], "count").status == "met"
    eleven = _rule([facts(n) for n in range(1, 12)], "count")
    assert eleven.status == "not_met"
    assert "remove 1" in eleven.why


def test_three_pages_met_four_not():
    assert _rule([facts(1, page_count=3)], "pages").status == "met"
    four = _rule([facts(1, page_count=3), facts(2, page_count=4)], "pages")
    assert four.status == "not_met"
    assert four.positions == (2,)
    assert "#2 has 4 pages" in four.why


def test_estimated_docx_pages_are_labelled():
    result = _rule([facts(1, page_count=5, pages_estimated=True)], "pages")
    assert "5 pages (estimated)" in result.why


def test_mc_evidence_4_years_364_days_counts_5_years_1_day_does_not():
    inside = TODAY.replace(year=TODAY.year - 5) + (date(2026, 6, 2) - date(2026, 6, 1))  # 4y 364d ago
    outside = TODAY.replace(year=TODAY.year - 5) - (date(2026, 6, 2) - date(2026, 6, 1))  # 5y 1d ago
    recent = facts(1, evidence_date=date(2025, 1, 1))
    assert _rule([recent, facts(2, evidence_date=inside)], "mc_recent").status == "met"
    result = _rule([recent, facts(2, evidence_date=outside)], "mc_recent")
    assert result.status == "not_met"
    assert result.positions == (2,)
    assert "older than 5 years" in result.why


def test_years_before_handles_29_february():
    assert years_before(date(2028, 2, 29), 5) == date(2023, 2, 28)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


def test_document_without_criterion_breaks_the_one_criterion_rule():
    assert _rule([facts(1)], "one_criterion").status == "met"
    result = _rule([facts(1), facts(2, criterion="")], "one_criterion")
    assert result.status == "not_met"
    assert result.positions == (2,)


def test_optional_criteria_need_two_documents_each_and_a_choice():
    docs = [facts(1, criterion="OC2"), facts(2, criterion="OC2"), facts(3, criterion="OC3")]
    assert _rule(docs, "optional").status == "not_met"
    assert "1 for OC3" in _rule(docs, "optional").why
    assert _rule([*docs, facts(4, criterion="OC3")], "optional").status == "met"
    assert _rule(docs, "optional", optional=("OC2", "")).status == "not_met"
    off_plan = _rule([*docs, facts(4, criterion="OC3"), facts(5, criterion="OC1")], "optional")
    assert off_plan.positions == (5,)


def test_web_printout_needs_a_url_that_shows_on_the_printout():
    assert _rule([facts(1, is_web_printout=True, source="Tech Nation")], "printout_url").status == "not_met"
    shown = facts(1, is_web_printout=True, source="https://www.pycon.example/2024/keynotes", text="pycon.example/2024")
    assert _rule([shown], "printout_url").status == "met"
    hidden = facts(1, is_web_printout=True, source="https://pycon.example/2024", text="Keynotes at PyCon")
    assert _rule([hidden], "printout_url").status == "not_met"
    image = facts(1, is_web_printout=True, source="https://pycon.example/2024", text="")  # an image: no text to read
    assert _rule([image], "printout_url").status == "met"


def test_weak_evidence_is_flagged_not_blocking():
    assert _rule([facts(1)], "weak").status == "met"
    linkedin = _rule([facts(1, source="https://www.linkedin.com/posts/abc")], "weak")
    assert linkedin.status == "flagged"
    assert "a LinkedIn page" in linkedin.why
    assert _rule([facts(1, title="Employee of the month award")], "weak").status == "flagged"
    assert _rule([facts(1, proves="Training certificate in Kubernetes")], "weak").status == "flagged"


def test_oc2_all_within_twelve_months_is_flagged():
    recent = [
        facts(1, criterion="OC2", evidence_date=date(2026, 1, 1)),
        facts(2, criterion="OC2", evidence_date=date(2025, 6, 1)),
    ]
    assert _rule(recent, "oc2_timing").status == "flagged"
    spread = [recent[0], facts(2, criterion="OC2", evidence_date=date(2025, 5, 31))]
    assert _rule(spread, "oc2_timing").status == "met"


def test_next_actions_quote_the_cv_analysis(analysis):
    docs = [facts(1, criterion="OC2"), facts(2, criterion="OC2"), facts(3, criterion="OC3"), facts(4, criterion="OC3")]
    results = evaluate(docs, optional_criteria=["OC2", "OC3"], today=TODAY)
    actions = next_actions(results, docs, optional_criteria=["OC2", "OC3"], analysis=analysis)
    mc_quotes = [e.quote for e in analysis.criterion("MC").evidence]
    assert mc_quotes, "the fixture CV has MC evidence"
    assert actions[0].startswith("Your CV says “")
    assert "as MC evidence" in actions[0]
    assert mc_quotes[0][:40] in actions[0]


def test_next_actions_without_an_analysis_ask_for_one():
    actions = next_actions(
        evaluate([], optional_criteria=["OC1", "OC3"], today=TODAY), [], optional_criteria=["OC1", "OC3"], analysis=None
    )
    assert any("Run a CV analysis" in a for a in actions)
