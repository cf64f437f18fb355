"""The statement evaluation (bench/eval/statements.py) meets the issue's targets on the labelled set."""

import pytest

from bench.eval import statements


@pytest.fixture(scope="module")
def metrics():
    return statements.evaluate()[0]


def test_targets_hold_on_the_labelled_set(metrics):
    assert metrics["statements"] >= 20
    assert metrics["element_agreement"] >= 0.90
    assert metrics["ai_right"] == metrics["ai_total"] >= 5  # every clearly AI-styled statement
    assert metrics["human_wrong"] == 0  # and none of the plain human ones
    assert metrics["over_right"] == metrics["repetition_right"] == metrics["statements"]
    assert metrics["plans_ok"] == metrics["plans"] >= 2
    assert metrics["false_flags"] == 0
    assert metrics["edits"] > 20 and metrics["ungrammatical_edits"] == 0 and metrics["invented_in_edits"] == 0
    assert metrics["draft_inventions"] == 0 and metrics["draft_leaks"] == 0


def test_openai_path_removes_the_scripted_inventions(metrics):
    assert metrics["openai_store_false_and_capped"]
    assert metrics["openai_draft_inventions_offered"] == 3 and metrics["openai_draft_inventions_left"] == 0
    assert metrics["openai_edit_inventions_left"] == 0 and metrics["openai_edits_ungrammatical"] == 0
    assert metrics["openai_model_edits_kept"] == 1  # the one clean, fact-free model edit


def test_report_is_a_markdown_table():
    lines = statements.run([])
    assert "| measure | result | target |" in lines
    assert any(line.startswith("| required elements agree with labels |") for line in lines)
