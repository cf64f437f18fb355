"""The public lexicon API (reused for recommendation letters): verdicts, phrases, repetition."""

from ai_tools.providers.local.lexicon import (
    LEXICON_REVIEWED_ON,
    ai_likeness,
    find_phrases,
    repeated_paragraphs,
    repeated_sentences,
)

TEMPLATED = (
    "I am writing to express my strong support for this candidate. She is a seasoned professional with a proven "
    "track record. Her unwavering commitment to excellence is a testament to her character. Moreover, she has "
    "spearheaded numerous initiatives that seamlessly foster collaboration. In conclusion, I am confident that she "
    "will make a lasting impact."
)
PLAIN = (
    "I have worked with Amara for three years at Ledgerly, where I am the head of data. In 2023 she rebuilt our "
    "reconciliation engine; month-end closing went from four days to six hours. She also runs the Lagos Python "
    "meetup, which I have attended twice."
)


def test_templated_letter_reads_as_ai_and_plain_letter_does_not():
    templated = ai_likeness(TEMPLATED)
    assert templated.verdict == "reads_as_ai" and templated.score >= 60
    assert templated.message.startswith("Reads as AI-written / templated")
    plain = ai_likeness(PLAIN)
    assert plain.verdict == "reads_human" and plain.hits == [] and plain.reasons == []


def test_overlapping_entries_are_reported_once_with_the_sentence():
    hits = find_phrases("I plan to leverage my synergies here.")
    assert [(h.label, h.kind) for h in hits] == [("leverage my synergies", "ai_phrase")]
    assert hits[0].sentence == "I plan to leverage my synergies here."


def test_repetition_is_found_across_paragraphs_ignoring_case_and_spacing():
    text = "We shipped the new ledger in March 2024.\n\nIt went well. We shipped  the new LEDGER in March 2024.\n\nShort. Short."
    assert repeated_sentences(text) == ["We shipped the new ledger in March 2024."]
    paragraph = "Amara rebuilt the reconciliation engine and cut month-end closing to six hours."
    assert repeated_paragraphs(f"{paragraph}\n\nOther text here.\n\n{paragraph}") == [paragraph]
    assert ai_likeness(f"{paragraph}\n\n{paragraph}").repeated_paragraphs == [paragraph]


def test_the_lexicon_says_when_it_was_reviewed():
    assert LEXICON_REVIEWED_ON.year >= 2026


def test_structural_signals_without_any_listed_phrase():
    # Eight sentences of the same length and nothing specific in them, closing on a stock line.
    uniform = (
        " ".join(
            f"The work I do every day matters to the people around me {word}."
            for word in ("now", "here", "still", "today", "often", "always", "again", "too")
        )
        + "\n\nUltimately, the work I do every day will matter to people in the future too."
    )
    result = ai_likeness(uniform)
    assert any("same length" in r for r in result.reasons)
    assert any("closes with a stock line" in r for r in result.reasons)
    assert any("name anything specific" in r for r in result.reasons)
    assert result.verdict != "reads_human"
