import io
from datetime import UTC, datetime

import docx
from pypdf import PdfReader

from ai_tools import rules
from ai_tools.reports import render_analysis_pdf, render_statement_docx, render_statement_txt


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_analysis_pdf_has_every_section(analyses):
    analysis = analyses["five_pages"]
    data = render_analysis_pdf(
        analysis, title="CV analysis - Mei Lin Chen", generated_at=datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    )
    assert data.startswith(b"%PDF-")
    text = " ".join(_pdf_text(data).split())
    for expected in (
        "CV analysis - Mei Lin Chen",
        f"Readiness score: {analysis.overall_score}/100",
        "Criteria",
        "OC4: academic contributions",
        "Checks",
        "The CV is 5 page(s); the limit is 3.",
        "What to do next",
        "not legal advice",
        f"Visa rules last reviewed {rules.RULES_REVIEWED_ON:%d %B %Y}",
    ):
        assert expected in text, expected
    assert "Cited 140 times" in text  # an evidence quote


def test_analysis_pdf_lists_risks_and_handles_non_latin_text(analyses):
    analysis = analyses["consultancy"].model_copy(update={"summary": "Résumé of Zoë – naïve “quotes” 王"})
    text = _pdf_text(render_analysis_pdf(analysis, title="Report", generated_at=datetime(2026, 6, 1, tzinfo=UTC)))
    assert "Eligibility risks" in text and "[HIGH]" in text
    assert "Résumé of Zoë" in text


def test_route_not_available_pdf(local):
    analysis = local.analyse_cv("x" * 100, "engineering", None, 1, False)
    text = _pdf_text(render_analysis_pdf(analysis, title="Report", generated_at=datetime(2026, 6, 1, tzinfo=UTC)))
    assert "coming later" in text


def test_statement_docx_and_txt():
    statement = "Why the UK.\nLine two of the first paragraph.\n\nMy planned occupation. Staff engineer in Leeds."
    document = docx.Document(io.BytesIO(render_statement_docx(statement, title="Personal Statement - draft")))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Personal Statement - draft"
    assert texts[1] == "Why the UK.\nLine two of the first paragraph."
    assert texts[2] == "My planned occupation. Staff engineer in Leeds."
    assert texts[-1] == rules.AI_CONTENT_WARNING
    assert render_statement_txt("Hello\r\nworld  \n\n") == b"Hello\nworld\n"
