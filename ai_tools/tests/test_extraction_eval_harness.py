"""The CV evaluation harness (bench/eval/cv.py): it runs on corpus files, and its metrics are right on a
hand-made example whose answers are counted by hand below."""

from pathlib import Path
from types import SimpleNamespace as NS

from bench.eval import cv as harness
from bench.eval.cv_corpus import Case, LabelledRole, glued_words, load_cases, role_lines_found, sentences_intact

SOURCE = """# Ada Example
ada@example.com
## Experience
@ Staff Engineer | Lumen Pay, London | Sep. 2021 – Present
- Led the platform migration of the ledger to Go services, cutting settlement time by 80%.
@ Engineer | Interswitch, Lagos | Jan. 2015 – Aug. 2021
## Talks
QCon London 2024 – invited talk on ledgers.
"""
TEXT = """Ada Example
ada@example.com
EXPERIENCE
Staff Engineer Sep. 2021 – Present
Lumen Pay, London
Led the platform migration of the ledger to Go services, cutting settlement time by 80%.
Engineer Jan. 2015 – Aug. 2021
Interswitch, Lagos
TALKS
QCon London 2024 – invited talk on ledgers.
"""
LABEL = {
    "file": "ada.pdf",
    "field": "digital_technology",
    "eligible": "yes",
    "category": "talent",
    "criteria": {"MC": "met", "OC1": "not_met", "OC2": "not_met", "OC3": "met", "OC4": "not_met"},
    "facts": [["QCon London 2024", "MC"], ["cutting settlement time by 80%", "OC3"]],
    "adversarial": "prompt_injection",
    "expect": ["not_quoted:ignore all previous", "score_max:50", "not_category:talent"],
}


def _case() -> Case:
    roles = [
        LabelledRole("Staff Engineer", "Lumen Pay", "2021-09", "present"),
        LabelledRole("Engineer", "Interswitch", "2015-01", "2021-08"),
    ]
    return Case("ada", Path("ada.pdf"), LABEL, SOURCE, roles)


def _analysis(**overrides):
    def criterion(code, status, *quotes):
        return NS(code=code, status=status, evidence=[NS(quote=q) for q in quotes])

    values = {
        "summary": "Readiness 62/100.",
        "overall_score": 62,
        "risks": [],
        "category": NS(category="talent"),
        "criteria": [
            criterion("MC", "strong", "QCon London 2024 – invited talk on ledgers."),  # right criterion
            # the same quote again (reused), on a fact labelled for MC (wrong criterion)
            criterion("OC1", "partial", "QCon London 2024 – invited talk on ledgers."),
            criterion("OC2", "missing"),
            # verbatim, on its own fact; and one quote that is not in the text
            criterion("OC3", "strong", "cutting settlement time by 80%", "Grew revenue tenfold."),
            criterion("OC4", "missing"),
        ],
        "roles": [
            NS(label="Staff Engineer, Lumen Pay", start="2021-09", end=None),
            NS(label="Engineer, Interswitch", start="2015-01", end="2021-06"),  # end month wrong
        ],
    }
    values.update(overrides)
    return NS(**values)


def test_metrics_on_a_hand_made_example():
    result = harness.score_case(_case(), TEXT, harness.engine_outcome(_analysis()), 0.01)

    assert result.criteria_agree == {"MC": True, "OC1": False, "OC2": True, "OC3": True, "OC4": True}
    assert "OC1 not_met→partial" in result.misses
    assert result.category_agree and result.field_agree and result.eligible_agree
    assert (result.roles_labelled, result.roles_found, result.roles_dated) == (2, 2, 1)
    assert (result.quotes, result.verbatim) == (4, 3)
    assert (result.on_fact, result.on_right) == (3, 2)
    assert result.reused == 1
    assert (result.facts, result.facts_found) == (2, 2)
    assert result.glued == []
    assert result.adversarial_failed == ["score_max:50", "not_category:talent"]


def test_engine_vocabulary_is_mapped_in_one_place():
    services = NS(code="consultancy_role", severity="high", message="Your experience reads as consultancy.")
    outcome = harness.engine_outcome(_analysis(risks=[services]))
    assert (outcome.field, outcome.eligible, outcome.category) == (
        "digital_technology",
        "likely_ineligible:services",
        "none",
    )

    not_tech = NS(code="not_digital_technology", severity="high", message="Not a digital technology profile.")
    outcome = harness.engine_outcome(_analysis(risks=[not_tech], category=None))
    assert (outcome.field, outcome.eligible, outcome.category) == ("not_tech", "likely_ineligible:not_tech", "none")
    assert outcome.verdicts == {"MC": "met", "OC1": "partial", "OC2": "not_met", "OC3": "met", "OC4": "not_met"}


def test_text_metrics_count_glued_and_broken_text():
    vocabulary = _case().vocabulary
    assert glued_words("Ledtheplatform migration of the ledger", vocabulary) == ["ledtheplatform"]
    assert glued_words(TEXT, vocabulary) == []
    case = _case()
    assert role_lines_found(TEXT, case) == 1.0
    assert role_lines_found(TEXT.replace("Sep. 2021 – Present", ""), case) == 0.5
    assert sentences_intact(TEXT, case.source_sentences) == 1.0
    interleaved = TEXT.replace("ledger to Go services,", "ledger to Go TALKS services,")
    assert sentences_intact(interleaved, case.source_sentences) == 0.5


def test_harness_runs_on_corpus_files():
    names = ["chidi-eze", "peter-walsh-sysadmin"]
    lines = harness.run(names)
    report = "\n".join(lines)
    assert lines[0].startswith("2 CVs (2 TXT)")
    assert "| criterion verdict agreement (MC, OC1–OC4) |" in report
    for name in names:
        assert f"| {name} | txt |" in report
    assert "ERROR" not in report


def test_every_label_is_complete_and_its_facts_are_in_the_source():
    cases = load_cases()
    assert len(cases) >= 30
    for case in cases:
        assert case.path.exists(), case.ident
        assert set(case.label["criteria"]) == {"MC", "OC1", "OC2", "OC3", "OC4"}
        assert set(case.label["criteria"].values()) <= {"met", "partial", "not_met"}
        assert case.label["category"] in {"talent", "promise", "none"}
        assert case.roles, case.ident
        for fact, criterion in case.facts:
            assert fact in case.source, (case.ident, fact)
            assert criterion in {"MC", "OC1", "OC2", "OC3", "OC4"}
        for expectation in case.label.get("expect", []):
            harness.check_expectation(expectation, harness.engine_outcome(_analysis()))  # known kinds only


def test_year_only_labels_match_any_month_of_that_year():
    case = _case()
    case.roles = [LabelledRole("Staff Engineer", "Lumen Pay", "2021", "present")]
    found, dated, misses = harness.match_roles(case, [NS(label="Staff Engineer, Lumen Pay", start="2021-09", end=None)])
    assert (found, dated, misses) == (1, 1, [])
    found, dated, misses = harness.match_roles(case, [NS(label="Staff Engineer, Lumen Pay", start="2020-09", end=None)])
    assert (found, dated) == (0, 0) and misses == ["role Staff Engineer (2021) not found"]


def test_report_counts_disagreements_per_criterion():
    result = harness.score_case(_case(), TEXT, harness.engine_outcome(_analysis()), 0.01)
    report = harness.summarise([result], [_case()])
    assert "| OC1 | 0 | 0 | 0 | 0 | 0 | 1 |" in report  # not_met→partial, the last column
    assert "| MC | 0 | 0 | 0 | 0 | 0 | 0 |" in report
