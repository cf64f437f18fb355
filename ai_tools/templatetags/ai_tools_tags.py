"""Rendering helpers for AI results: highlighted quotes and placeholders, tones, dashboard cards."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from ai_tools import selectors
from ai_tools.models import AIRun
from ai_tools.ui import BAR_TONES, MARK_EVIDENCE, MARK_PLACEHOLDER, TONES

register = template.Library()

_PLACEHOLDER = re.compile(r"\[(?:Add|Rewrite in your own words):[^\]]*\]")
_SIGNAL_TERM = re.compile(r"'([^']+)'|\(([^()]+)\)")


@register.filter
def tone(key) -> str:
    return TONES.get(str(key), TONES["low"])


@register.filter
def bar_tone(score) -> str:
    score = int(score or 0)
    return BAR_TONES["good" if score >= 70 else "fair" if score >= 35 else "poor"]


def _mark_terms(text: str, terms: list[str]) -> str:
    """Escape ``text`` and wrap each case-insensitive occurrence of a term in <mark>."""
    terms = sorted({t.strip() for t in terms if len(t.strip()) >= 2}, key=len, reverse=True)
    if not terms:
        return conditional_escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(conditional_escape(text[last : match.start()]))
        out.append(format_html('<mark class="{}">{}</mark>', MARK_EVIDENCE, match.group(0)))
        last = match.end()
    out.append(conditional_escape(text[last:]))
    return "".join(str(part) for part in out)


@register.filter
def bar_named(name: str) -> str:
    return BAR_TONES.get(name, BAR_TONES["good"])


@register.filter
def subtract(value, other) -> int:
    try:
        return int(value) - int(other)
    except (TypeError, ValueError):
        return 0


@register.filter
def highlight(text: str, phrase: str) -> str:
    """``text`` escaped, with ``phrase`` marked wherever it occurs (case-insensitive)."""
    return mark_safe(_mark_terms(text, [phrase or ""]))  # noqa: S308 - escaped in _mark_terms


@register.filter
def highlight_signals(quote: str, signals) -> str:
    """A CV sentence with the words that made it count marked, e.g. signal "talk ('Keynote')" marks Keynote."""
    terms = []
    for signal in signals or []:
        for quoted, bracketed in _SIGNAL_TERM.findall(signal):
            terms.append((quoted or bracketed).strip("'\""))
    return mark_safe(_mark_terms(quote, terms))  # noqa: S308 - every piece is escaped in _mark_terms


@register.filter
def statement_html(text: str) -> str:
    """The statement as paragraphs, with every [Add: ...] placeholder highlighted for the applicant."""
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = []
    for paragraph in paragraphs:
        pieces, last = [], 0
        for match in _PLACEHOLDER.finditer(paragraph):
            pieces.append(conditional_escape(paragraph[last : match.start()]))
            pieces.append(format_html('<mark class="{}">{}</mark>', MARK_PLACEHOLDER, match.group(0)))
            last = match.end()
        pieces.append(conditional_escape(paragraph[last:]))
        body = "".join(str(p) for p in pieces).replace("\n", "<br>")
        html.append(f"<p>{body}</p>")
    return mark_safe("".join(html))  # noqa: S308 - built from escaped pieces only


@register.filter
def percent_of(value, total) -> int:
    try:
        return min(100, round(int(value) * 100 / int(total)))
    except (TypeError, ValueError, ZeroDivisionError):
        return 0


@register.inclusion_tag("ai_tools/components/dashboard_cards.html", takes_context=True)
def ai_tools_dashboard_cards(context):
    """The dashboard's two AI tools cards with the last run of each (one query)."""
    user = context["request"].user
    latest = selectors.latest_run_per_tool(user=user)
    statement_runs = [
        run for tool in (AIRun.Tool.STATEMENT_ENHANCE, AIRun.Tool.STATEMENT_GENERATE) if (run := latest.get(tool))
    ]
    return {
        "cv_run": latest.get(AIRun.Tool.CV_ANALYSIS),
        "statement_run": max(statement_runs, key=lambda r: (r.created_at, r.pk)) if statement_runs else None,
        "prices": selectors.tool_prices(),
    }
