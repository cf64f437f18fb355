"""The refusal engine: labelled corpus targets, verbatim quotes, classification, outcome, cross-check, outline."""

import pytest

from applications.refusals import rules
from applications.refusals.engine import (
    Pack,
    PackDocument,
    PackLetter,
    is_verbatim,
    read_letter,
    review_local,
    units_of,
)
from bench.eval import refusals as suite

EMPTY = Pack(documents=[], letters=[])


@pytest.mark.parametrize("folder", [suite.CORPUS, suite.CORPUS / "heldout"], ids=["main", "heldout"])
def test_the_labelled_letters_meet_the_targets(folder):
    corpus = suite.load(folder)
    result = suite.score({name: review_local(letter, EMPTY) for name, (letter, _l) in corpus.items()}, corpus)
    assert result["extraction"] >= suite.TARGETS["extraction"]
    assert result["classification"] >= suite.TARGETS["classification"]
    assert result["verbatim"] == 1.0


def test_the_metric_counts_a_missed_and_an_invented_finding():
    corpus = {k: v for k, v in suite.load().items() if k == "r08_review_oc2_oc3_not_considered"}
    (letter, _label) = corpus["r08_review_oc2_oc3_not_considered"]
    review = review_local(letter, EMPTY)
    review.findings = review.findings[:1] + [review.findings[0].model_copy(update={"criterion": "OC4"})]
    result = suite.score({"r08_review_oc2_oc3_not_considered": review}, corpus)
    assert result["extraction"] == pytest.approx(1 / 3)  # {OC2} of {OC2, OC3, OC4}


def test_units_are_slices_of_the_letter():
    letter = "Dear X,\n\nMC | Not met | No evidence was provided. It is thin.\nOC2: met. Fine work."
    for unit in units_of(letter):
        assert letter[unit.start : unit.end] == unit.text


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("OC3: not met. Document 4 could not be opened and was not considered.", "not_considered"),
        ("OC3: not met. The assessor found no evidence of the revenue the applicant generated.", "not_considered"),
        ("OC3: not met. Insufficient evidence of the applicant's individual contribution.", "insufficient"),
        ("OC3: not met. The role appears to be consultancy-led rather than product-led.", "eligibility"),
    ],
)
def test_classification(sentence, expected):
    findings, _met = read_letter(sentence)
    assert [(f.criterion, f.classification) for f in findings] == [("OC3", expected)]


def test_a_letter_with_every_criterion_met_has_no_findings():
    findings, met = read_letter("Mandatory criterion: met.\nOptional criterion 1: met.\nOptional criterion 2: met.")
    assert findings == [] and met == ["MC", "OC1", "OC2"]


def test_review_needs_two_optional_criteria_counting_the_missed_ones():
    missed_one = (
        "MC: met.\nOC1: met.\nOC3: not met. No evidence was provided of revenue.\nOC2: not met. Insufficient reach."
    )
    assert review_local(missed_one, EMPTY).recommendation == "request_review"
    missed_but_short = "MC: met.\nOC3: not met. No evidence was provided of revenue.\nOC2: not met. Insufficient reach."
    review = review_local(missed_but_short, EMPTY)
    assert review.recommendation == "reapply"
    assert "still fall short" in " ".join(review.reasons)
    mc_weak = "MC: not met. Insufficient recognition.\nOC1: met.\nOC3: not met. No evidence was provided of revenue."
    assert review_local(mc_weak, EMPTY).recommendation == "reapply"


def _pack():
    mc_text = (
        "Page one introduction about the conference and its audience of developers.\n"
        "The keynote was delivered to three thousand developers at PyCon UK in 2024 and reported by Wired UK."
    )
    oc3_text = "Our revenue grew to four million pounds after the payments platform the applicant led was launched."
    return Pack(
        documents=[
            PackDocument(1, "Keynote programme", "MC", mc_text, 2, False),
            PackDocument(2, "Revenue statement", "OC3", oc3_text, 1, False),
            PackDocument(3, "Talk recording", "OC2", "A talk.", 1, False),
        ],
        letters=[PackLetter(1, "Dr Lee", "The applicant led the payments platform and grew revenue to four million.")],
    )


def test_cross_check_points_at_the_passage_and_page_on_the_same_criterion():
    letter = (
        "MC: met.\nOC1: met.\n"
        "OC3: not met. The assessor found no evidence of the revenue growth of the payments platform the applicant led."
    )
    review = review_local(letter, _pack())
    (finding,) = review.findings
    assert finding.documents == ["Document 2: Revenue statement"]  # only the OC3 document
    (passage,) = finding.passages
    assert (passage.number, passage.page, passage.source) == (2, 1, "document")
    assert passage.text in _pack().documents[1].text
    assert {"revenue", "payments", "platform"} <= set(passage.overlap)
    (item,) = review.outline
    assert item.evidence[0].startswith("Document 2 “Revenue statement”, page 1: ")
    assert review.recommendation == "request_review" and review.pack_checked


def test_outline_is_facts_and_placeholders_only():
    """No generated prose: every line is the assessor's quote, a reference to the pack, or the fixed placeholder."""
    letter = "MC: met.\nOC1: met.\nOC3: not met. The assessor found no evidence of the revenue the applicant led."
    review = review_local(letter, _pack())
    for item in review.outline:
        assert is_verbatim(item.quote, letter)
        assert item.placeholder.startswith("[") and item.placeholder.endswith("]")
        for ref in item.evidence:
            quoted = ref.split(": “", 1)[1].rstrip("”")
            assert any(quoted == p.text for f in review.findings for p in f.passages)


def test_documents_finding_names_the_documents_it_quotes():
    letter = "MC: met.\nSupporting documents: Document 1 could not be opened and was not considered."
    (finding,) = review_local(letter, _pack()).findings
    assert finding.criterion == "DOCUMENTS" and finding.documents == ["Document 1: Keynote programme"]


def test_letters_finding_is_matched_with_the_pack_letters():
    letter = "MC: met.\nLetters of recommendation: not met. The letter about the payments platform revenue was not taken into account."
    (finding,) = review_local(letter, _pack()).findings
    assert finding.passages[0].source == "letter" and finding.passages[0].title == "Dr Lee"


def test_reapplication_plan_lists_every_gap_with_fixed_actions():
    letter = (
        "MC: not met. Insufficient recognition.\nOC2: not met. The evidence relates to the occupation; limited reach."
    )
    review = review_local(letter, EMPTY)
    assert [(g.criterion, g.action) for g in review.reapplication] == [
        ("MC", rules.GAP_ACTIONS["MC"]),
        ("OC2", rules.GAP_ACTIONS["OC2"]),
    ]
    assert review.outline == [] and not review.pack_checked


def test_cv_sentences_on_the_criterion_answer_too():
    pack = Pack(
        documents=[],
        letters=[],
        cv={"OC2": ["Maintainer of an open source parser used by 4,000 projects outside my paid role since 2019."]},
    )
    letter = "MC: met.\nOC1: met.\nOC2: not met. The assessor found no evidence of open source contributions outside the paid role."
    review = review_local(letter, pack)
    (passage,) = review.findings[0].passages
    assert (passage.source, passage.number) == ("cv", 0)
    assert review.outline[0].evidence == [f"CV: “{passage.text}”"] and review.pack_checked


def test_wording_variants_number_words_and_satisfied():
    letter = (
        "Mandatory criterion: satisfied.\n"
        "Optional criterion two: not satisfied. Insufficient evidence of work outside the occupation.\n"
        "Optional criterion No. 3: fulfilled."
    )
    findings, met = read_letter(letter)
    assert [(f.criterion, f.classification) for f in findings] == [("OC2", "insufficient")]
    assert met == ["MC", "OC3"]
