"""Suggested edits: the grammar checker, edits that read well, clean word diffs, accepted-only application."""

import re

import pytest

from ai_tools.providers.local.diffing import apply_edits, diff_for_display, word_diff
from ai_tools.providers.local.statement_edits import sentence_problems
from ai_tools.results import SuggestedEdit

AI_TEXT = (
    "I am writing to express my deep passion for technology. I am a hard-working, highly motivated engineer. "
    "In today's fast-paced digital landscape, I have spearheaded a robust data platform at Jumia that integrated "
    "twelve sources. It is worth noting that my unwavering commitment led to an intricate migration at Jumia in "
    "2023. I am thrilled to embark on a journey to the UK, a vibrant tapestry of culture.\n\n"
    "I am a world-class engineer with a huge impact on the banking industry.\n\nI delved into the realm of cloud "
    "computing at Nubank. Moreover, I fostered collaboration across 4 teams at Nubank."
)


@pytest.mark.parametrize(
    "sentence",
    [
        "I am writing to express my deep [Add: an example of your work in] technology.",
        "I am a , highly motivated engineer.",
        "I built the platform for the .",
        "I led a  team of engineers.",
        "i built it.",
        "I built the the platform.",
        "I worked with an team at Monzo.",
        "I built a API for payments.",
        "I built it for [Add: number] teams.",
        "I contributed to.",
        "I built [Add: what",
    ],
)
def test_checker_rejects_broken_sentences(sentence):
    assert sentence_problems(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "",
        "I led the data platform at Jumia.",
        "I built a tool used by 40 teams. [Add: evidence for 'huge impact' - a number, a name or a date.]",
        "[Rewrite in your own words: what you did, where and when, with a number or a name.]",
        "I spent an hour on a user study at a European bank.",
    ],
)
def test_checker_accepts_clean_sentences(sentence):
    assert sentence_problems(sentence) == []


def test_every_edit_is_grammatical_keeps_the_facts_and_places_notes_whole(local):
    review = local.enhance_statement(AI_TEXT, None)
    edits = {e.original: e for e in review.suggested_edits}
    assert edits, "expected edits"
    for edit in review.suggested_edits:
        assert sentence_problems(edit.suggested) == [], edit.suggested
        assert edit.original in AI_TEXT
        assert not re.search(r"\w \[Add", edit.suggested)  # a note never sits inside a clause
    platform = edits[
        "In today's fast-paced digital landscape, I have spearheaded a robust data platform at Jumia that integrated "
        "twelve sources."
    ]
    assert platform.suggested == "I have led a data platform at Jumia that integrated twelve sources."
    assert edits["Moreover, I fostered collaboration across 4 teams at Nubank."].suggested == (
        "I built collaboration across 4 teams at Nubank."
    )
    assert edits["I am writing to express my deep passion for technology."].suggested == ""  # filler only
    claim = edits["I am a world-class engineer with a huge impact on the banking industry."]
    assert claim.suggested == (
        "[Rewrite in your own words: give the evidence for 'world-class' - a number, a name or a date.]"
    )
    # Facts are never lost: a sentence that cannot be saved becomes a note that names its facts.
    migration = edits[
        "It is worth noting that my unwavering commitment led to an intricate migration at Jumia in 2023."
    ]
    assert migration.suggested == "My commitment led to a migration at Jumia in 2023."


def test_word_diff_rebuilds_both_texts_and_never_glues_words():
    before = "I moved into the ever-evolving world of fintech in 2019."
    after = "I moved into fintech in 2019. [Add: the company you joined.]"
    segments = word_diff(before, after)
    assert "".join(s.text for s in segments if s.op != "insert") == before
    assert "".join(s.text for s in segments if s.op != "delete") == after
    shown = diff_for_display(segments)
    rendered = "".join(s.text for s in shown)
    assert "theever" not in rendered and "fintechfintech" not in rendered
    for left, right in zip(shown, shown[1:], strict=False):
        if {left.op, right.op} == {"delete", "insert"}:
            assert not (left.text[-1].isalnum() and right.text[0].isalnum())


def test_only_accepted_edits_are_applied_and_repeats_are_deleted():
    text = "First sentence here now. Second sentence is fine.\n\nCopy me please, every time.\n\nCopy me please, every time."
    first = SuggestedEdit(original="First sentence here now.", suggested="Opening sentence here now.", reason="x")
    second = SuggestedEdit(original="Second sentence is fine.", suggested="", reason="x")
    repeat = SuggestedEdit(original="Copy me please, every time.", suggested="", reason="x", every_repeat=True)
    assert apply_edits(text, [first]) == text.replace("First", "Opening")
    assert apply_edits(text, [second]) == (
        "First sentence here now.\n\nCopy me please, every time.\n\nCopy me please, every time."
    )
    assert (
        apply_edits(text, [repeat])
        == "First sentence here now. Second sentence is fine.\n\nCopy me please, every time."
    )
    assert apply_edits(text, []) == text


def test_a_sentence_replaced_by_a_note_is_one_deletion_and_one_insertion():
    before = "I am a world-class engineer who built many systems used by numerous customers."
    after = "[Rewrite in your own words: give the evidence for 'world-class' - a number, a name or a date.]"
    assert [(s.op, s.text) for s in word_diff(before, after)] == [("delete", before), ("insert", after)]
