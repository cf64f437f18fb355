"""The CV analysis as a readable multi-section PDF (reportlab platypus)."""

import io
import unicodedata
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ai_tools import rules
from ai_tools.results import CVAnalysis

STATUS_COLOURS = {
    "strong": colors.HexColor("#15803d"),
    "partial": colors.HexColor("#b45309"),
    "missing": colors.HexColor("#b91c1c"),
}


def _safe(text: str) -> str:
    """Escape for reportlab markup and keep to what the built-in fonts can draw (Windows-1252)."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            ascii_form = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(ascii_form or "?")
    return escape("".join(out))


def _styles():
    base = getSampleStyleSheet()
    return {
        "title": base["Title"],
        "h2": ParagraphStyle("h2", parent=base["Heading2"], spaceBefore=10, spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], spaceBefore=6, spaceAfter=2),
        "body": ParagraphStyle("body", parent=base["BodyText"], alignment=TA_LEFT, leading=13),
        "quote": ParagraphStyle(
            "quote",
            parent=base["BodyText"],
            leftIndent=10 * mm,
            fontName="Helvetica-Oblique",
            textColor=colors.HexColor("#374151"),
        ),
        "small": ParagraphStyle(
            "small", parent=base["BodyText"], fontSize=8, leading=10, textColor=colors.HexColor("#4b5563")
        ),
        "score": ParagraphStyle("score", parent=base["Title"], fontSize=28, leading=32),
    }


def _bullets(items: list[str], style) -> ListFlowable:
    return ListFlowable(
        [ListItem(Paragraph(_safe(i), style), leftIndent=12) for i in items], bulletType="bullet", start="-"
    )


def _criteria_table(analysis: CVAnalysis, s) -> Table:
    rows = [["Criterion", "Score", "Status"]]
    for c in analysis.criteria:
        rows.append([Paragraph(_safe(c.name), s["body"]), f"{c.score}/100", c.status])
    table = Table(rows, colWidths=[110 * mm, 25 * mm, 30 * mm])
    style = [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f4f6")]),
    ]
    for i, c in enumerate(analysis.criteria, start=1):
        style.append(("TEXTCOLOR", (2, i), (2, i), STATUS_COLOURS[c.status]))
    table.setStyle(TableStyle(style))
    return table


def render_analysis_pdf(analysis: CVAnalysis, *, title: str, generated_at: datetime) -> bytes:
    s = _styles()
    story = [Paragraph(_safe(title), s["title"])]
    route = rules.ROUTES.get(analysis.route)
    story.append(
        Paragraph(
            _safe(
                f"Route: {route.name if route else analysis.route} | Generated {generated_at:%d %B %Y %H:%M %Z}".strip()
                + f" | Engine: {analysis.engine}"
            ),
            s["small"],
        )
    )
    story.append(Spacer(1, 4 * mm))
    if not analysis.route_available:
        story.append(Paragraph(_safe(analysis.summary), s["body"]))
    else:
        story += [Paragraph(f"Readiness score: {analysis.overall_score}/100", s["score"]), Spacer(1, 2 * mm)]
        story.append(Paragraph(_safe(analysis.summary), s["body"]))
        pages = f"{analysis.page_count}{' (estimated)' if analysis.pages_estimated else ''}"
        story.append(Paragraph(_safe(f"CV length: {pages} page(s); limit {rules.CV_MAX_PAGES}."), s["small"]))
        if analysis.category:
            cat = analysis.category
            story.append(
                Paragraph(
                    _safe(f"Suggested category: {rules.CATEGORIES[cat.category]} ({cat.confidence} confidence)"),
                    s["h2"],
                )
            )
            story.append(_bullets(cat.reasons, s["body"]))
        story += [Paragraph("Criteria", s["h2"]), _criteria_table(analysis, s)]
        for c in analysis.criteria:
            story.append(Paragraph(_safe(f"{c.name}: {c.score}/100, {c.status}"), s["h3"]))
            for e in c.evidence:
                story.append(Paragraph(_safe(f'"{e.quote}"'), s["quote"]))
                if e.signals:
                    story.append(Paragraph(_safe("Counts because: " + "; ".join(e.signals)), s["small"]))
            if c.missing:
                story.append(_bullets(c.missing, s["body"]))
        if analysis.risks:
            story.append(Paragraph("Eligibility risks", s["h2"]))
            for r in analysis.risks:
                story.append(Paragraph(_safe(f"[{r.severity.upper()}] {r.message}"), s["body"]))
                for q in r.quotes:
                    story.append(Paragraph(_safe(f'"{q}"'), s["quote"]))
        story.append(Paragraph("Checks", s["h2"]))
        for check in analysis.checks:
            mark = "PASS" if check.passed else "FIX"
            story.append(Paragraph(_safe(f"{mark}: {check.message}"), s["body"]))
            if check.details:
                story.append(_bullets(check.details, s["small"]))
        if analysis.suggestions:
            story.append(Paragraph("What to do next", s["h2"]))
            for sug in analysis.suggestions:
                tag = f" ({sug.criterion})" if sug.criterion else ""
                story.append(Paragraph(_safe(f"{sug.priority}.{tag} {sug.text}"), s["body"]))
    story += [Spacer(1, 6 * mm), Paragraph(_safe(rules.LEGAL_DISCLAIMER), s["small"])]
    footer = f"Not legal advice. Visa rules last reviewed {rules.RULES_REVIEWED_ON:%d %B %Y}."

    def draw_footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="TalentVisa",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
