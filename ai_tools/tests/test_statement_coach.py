import re

from ai_tools import rules
from ai_tools.results import StatementFacts

DRAFT = """In today's fast-paced world, technology is changing everything. I have always been fascinated by computers and I am passionate about fintech.
I am a world-class engineer with a huge impact on the banking industry. At Nubank I built the card-freeze feature used by 2 million customers.
I want to move to the UK because London is the centre of European fintech. I plan to work as a backend engineer at a product company in London.
I won first place at the Open Finance Brasil Hackathon 2024 and mentor women moving into tech with Reprograma."""


def test_generated_draft_uses_only_given_facts_and_placeholders(local, analyses):
    facts = StatementFacts(
        name="Lucas Ferreira",
        why_uk="the UK has Europe's largest fintech ecosystem and open banking started here",
        planned_occupation="backend engineer at a London fintech",
        target_criteria=["OC2", "OC3"],
        cv_analysis=analyses["early_promise"],
    )
    draft = local.generate_statement(facts)
    assert draft.text.startswith(rules.DRAFT_HEADER)
    assert rules.AI_CONTENT_WARNING in draft.notice
    assert "The UK has Europe's largest fintech ecosystem and open banking started here." in draft.text
    assert "[Add: the city or region where you will live and work]" in draft.placeholders
    assert any("benefit the UK digital sector" in p for p in draft.placeholders)
    assert draft.word_count < rules.STATEMENT_MAX_WORDS
    # Every sentence that is not scaffolding comes from the facts or the CV: nothing is invented.
    cv = " ".join(e.quote for c in analyses["early_promise"].criteria for e in c.evidence)
    for quote in re.findall(r"From my CV: (.+?) \[Add:", draft.text):
        for sentence in re.split(r"(?<=[.\"])\s+(?=[A-Z])", quote):
            assert sentence.rstrip(".") in cv, sentence
    # One piece of evidence supports one criterion: no CV sentence appears twice.
    quoted = re.findall(r"From my CV: (.+?) \[Add:", draft.text)
    assert len(quoted) == len(set(quoted))


def test_draft_without_facts_is_all_placeholders(local):
    draft = local.generate_statement(StatementFacts())
    assert len(draft.placeholders) >= 6 and "[Add: Exceptional Talent or Exceptional Promise]" in draft.text
    assert "My name is" not in draft.text


def test_review_finds_elements_claims_cliches_and_builds_a_diff(local, analyses):
    review = local.enhance_statement(DRAFT, analyses["early_promise"])
    elements = {e.code: e for e in review.elements}
    assert elements["why_uk"].present and "London is the centre" in elements["why_uk"].sentence
    assert elements["occupation"].present and elements["where_in_uk"].present
    assert not elements["benefit"].present and elements["benefit"].advice
    assert {"MC", "OC2", "OC3"} <= set(review.criteria_covered)
    assert review.word_count < 1000 and not review.over_limit
    assert [c.phrase for c in review.unsupported_claims] == ["world-class"]
    phrases = {c.phrase.lower() for c in review.generic_phrases}
    assert {"in today's fast-paced world,", "i have always been fascinated by", "i am passionate about"} <= phrases
    edits = {e.original: e for e in review.suggested_edits}
    assert edits["In today's fast-paced world, technology is changing everything."].suggested == (
        "Technology is changing everything."
    )
    claim_edit = edits["I am a world-class engineer with a huge impact on the banking industry."]
    assert "[Add: evidence" in claim_edit.suggested
    for edit in review.suggested_edits:
        assert edit.original in DRAFT
    # The diff turns the draft into the revised text.
    before = "".join(s.text for s in review.diff if s.op != "insert")
    after = "".join(s.text for s in review.diff if s.op != "delete")
    assert before == DRAFT and after == review.revised_text
    assert review.unified_diff.startswith("--- your draft")
    assert review.notice == rules.AI_CONTENT_WARNING


def test_over_limit_statement_is_flagged(local):
    review = local.enhance_statement("I built the payments API used by 40 banks. " * 120, None)
    assert review.word_count == 1080 and review.over_limit


def test_clean_statement_gets_no_edits(local):
    text = (
        "I plan to work as a staff engineer at Monzo in London. The UK has the open banking standard I helped "
        "implement. I will benefit the UK digital sector by mentoring engineers at Code First Girls."
    )
    review = local.enhance_statement(text, None)
    assert review.suggested_edits == [] and review.revised_text == text
    assert [s.op for s in review.diff] == ["equal"]
