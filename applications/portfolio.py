"""The live portfolio rules: pure functions over a snapshot of the documents (no database, easy to test).

Each rule answers met / not met / flagged with why, in the words the guidance uses. Limits come from
applications.rules (which takes the visa limits from ai_tools.rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal
from urllib.parse import urlparse

from ai_tools.providers.local.signals import find_signals, matches_any
from ai_tools.providers.local.text import shorten

from . import rules

Status = Literal["met", "not_met", "flagged"]


@dataclass(frozen=True)
class DocFacts:
    position: int
    title: str
    proves: str
    source: str
    criterion: str  # "" when not decided
    evidence_date: date
    page_count: int
    pages_estimated: bool
    is_web_printout: bool
    text: str = ""

    @classmethod
    def of(cls, doc) -> DocFacts:
        return cls(
            position=doc.position,
            title=doc.title,
            proves=doc.proves,
            source=doc.source,
            criterion=doc.criterion,
            evidence_date=doc.evidence_date,
            page_count=doc.page_count,
            pages_estimated=doc.pages_estimated,
            is_web_printout=doc.is_web_printout,
            text=doc.text,
        )


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    status: Status
    why: str
    positions: tuple[int, ...] = ()

    @property
    def met(self) -> bool:
        return self.status == "met"


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _pages(doc: DocFacts) -> str:
    return f"{doc.page_count} page{'s' if doc.page_count != 1 else ''}{' (estimated)' if doc.pages_estimated else ''}"


def _numbers(docs) -> str:
    return ", ".join(f"#{d.position}" for d in docs)


def is_url(source: str) -> bool:
    return bool(re.match(r"(?:https?://|www\.)\S+\.\S+", source.strip(), re.I))


def _host(source: str) -> str:
    source = source.strip()
    parsed = urlparse(source if "://" in source else f"https://{source}")
    return (parsed.hostname or "").removeprefix("www.")


def weak_reason(doc: DocFacts) -> str | None:
    host = _host(doc.source) if is_url(doc.source) else ""
    for weak_host, name in rules.WEAK_SOURCE_HOSTS.items():
        if host == weak_host or host.endswith("." + weak_host):
            return f"a {name} page"
    phrase = matches_any(f"{doc.title}. {doc.proves}", rules.SIGNALS["weak"])
    if phrase is None and find_signals(f"{doc.title}. {doc.proves}", ("weak",)):
        phrase = "weak"
    return f"“{phrase}”" if phrase else None


def evaluate(docs: list[DocFacts], *, optional_criteria: list[str], today: date) -> list[RuleResult]:
    results = []
    limit = rules.EVIDENCE_MAX_DOCUMENTS
    results.append(
        RuleResult(
            "count",
            f"At most {limit} documents",
            "met" if len(docs) <= limit else "not_met",
            f"{len(docs)} of {limit}."
            if len(docs) <= limit
            else f"{len(docs)} documents: remove {len(docs) - limit}. Assessors read only {limit}.",
        )
    )
    max_pages = rules.EVIDENCE_DOCUMENT_MAX_PAGES
    long_docs = [d for d in docs if d.page_count > max_pages]
    results.append(
        RuleResult(
            "pages",
            f"Each document at most {max_pages} A4 pages",
            "met" if not long_docs else "not_met",
            "Every document fits."
            if not long_docs
            else "; ".join(f"#{d.position} has {_pages(d)}" for d in long_docs)
            + f". Cut it to the {max_pages} pages that prove the point.",
            tuple(d.position for d in long_docs),
        )
    )
    undecided = [d for d in docs if not d.criterion]
    results.append(
        RuleResult(
            "one_criterion",
            "Each document on exactly one criterion",
            "met" if not undecided else "not_met",
            "Every document supports one criterion (the same file cannot be added twice)."
            if not undecided
            else f"Choose the criterion for {_numbers(undecided)}.",
            tuple(d.position for d in undecided),
        )
    )
    needed = rules.DOCUMENTS_PER_CRITERION
    cutoff = years_before(today, rules.MC_EVIDENCE_MAX_AGE_YEARS)
    mc = [d for d in docs if d.criterion == "MC"]
    recent_mc = [d for d in mc if cutoff <= d.evidence_date <= today]
    old_mc = [d for d in mc if d.evidence_date < cutoff]
    why = f"{len(recent_mc)} MC document{'s' if len(recent_mc) != 1 else ''} dated since {cutoff:%-d %b %Y}"
    if old_mc:
        why += f"; {_numbers(old_mc)} older than {rules.MC_EVIDENCE_MAX_AGE_YEARS} years (weak for the MC)"
    results.append(
        RuleResult(
            "mc_recent",
            f"MC: at least {needed} documents from the last {rules.MC_EVIDENCE_MAX_AGE_YEARS} years",
            "met" if len(recent_mc) >= needed else "not_met",
            why + ("." if len(recent_mc) >= needed else f": add {needed - len(recent_mc)} more."),
            tuple(d.position for d in old_mc),
        )
    )
    chosen = [c for c in optional_criteria if c]
    if len(chosen) < rules.OPTIONAL_CRITERIA_TO_MEET:
        results.append(
            RuleResult(
                "optional",
                f"Two optional criteria with at least {needed} documents each",
                "not_met",
                "Choose the two optional criteria you will claim (on your plan).",
            )
        )
    else:
        counts = {c: sum(1 for d in docs if d.criterion == c) for c in chosen}
        short = {c: n for c, n in counts.items() if n < needed}
        elsewhere = [d for d in docs if d.criterion and d.criterion != "MC" and d.criterion not in chosen]
        why = "; ".join(f"{c}: {n}" for c, n in counts.items())
        if short:
            why += ". Add " + ", ".join(f"{needed - n} for {c}" for c, n in short.items())
        if elsewhere:
            why += f". {_numbers(elsewhere)} support{'s' if len(elsewhere) == 1 else ''} a criterion you do not claim"
        results.append(
            RuleResult(
                "optional",
                f"{' and '.join(chosen)}: at least {needed} documents each",
                "met" if not short else "not_met",
                why + ".",
                tuple(d.position for d in elsewhere),
            )
        )
    printouts = [d for d in docs if d.is_web_printout]
    no_url = [d for d in printouts if not is_url(d.source)]
    url_not_shown = [
        d for d in printouts if d not in no_url and d.text.strip() and _host(d.source) not in d.text.lower()
    ]
    bad = no_url + url_not_shown
    why_parts = []
    if no_url:
        why_parts.append(f"give the page's URL as the source of {_numbers(no_url)}")
    if url_not_shown:
        why_parts.append(f"print {_numbers(url_not_shown)} again with the browser's header and footer so the URL shows")
    results.append(
        RuleResult(
            "printout_url",
            "Web printouts show their URL",
            "met" if not bad else "not_met",
            (
                f"{len(printouts)} printout{'s' if len(printouts) != 1 else ''}, each with its URL."
                if printouts
                else "No web printouts."
            )
            if not bad
            else "; ".join(why_parts).capitalize() + ".",
            tuple(d.position for d in bad),
        )
    )
    weak = [(d, weak_reason(d)) for d in docs]
    weak = [(d, reason) for d, reason in weak if reason]
    results.append(
        RuleResult(
            "weak",
            "No weak evidence (internal awards, LinkedIn or Medium posts, training certificates)",
            "met" if not weak else "flagged",
            "Nothing weak found."
            if not weak
            else "; ".join(f"#{d.position} is {reason}" for d, reason in weak)
            + ". Keep it only if nothing stronger exists.",
            tuple(d.position for d, _ in weak),
        )
    )
    oc2 = [d for d in docs if d.criterion == "OC2"]
    recent_cutoff = months_before(today, rules.OC2_RECENT_ONLY_MONTHS)
    all_recent = bool(oc2) and all(d.evidence_date >= recent_cutoff for d in oc2)
    results.append(
        RuleResult(
            "oc2_timing",
            "OC2 work not all from the last 12 months",
            "flagged" if all_recent else "met",
            f"All OC2 evidence ({_numbers(oc2)}) dates from the last {rules.OC2_RECENT_ONLY_MONTHS} months: it may "
            "look timed for the application. Add earlier work outside your job if you have it."
            if all_recent
            else ("OC2 evidence spans more than a year." if oc2 else "No OC2 evidence."),
            tuple(d.position for d in oc2) if all_recent else (),
        )
    )
    return results


# --- next actions from gaps and the CV analysis --------------------------------------------------------


def next_actions(
    results: list[RuleResult], docs: list[DocFacts], *, optional_criteria: list[str], analysis
) -> list[str]:
    """Gaps as things to do, most important first; tied to what the latest CV analysis quoted, if any."""
    actions: list[str] = []
    by_code = {r.code: r for r in results}
    for code in ("count", "pages", "one_criterion"):
        if not by_code[code].met:
            actions.append(by_code[code].why)
    if len([c for c in optional_criteria if c]) < rules.OPTIONAL_CRITERIA_TO_MEET:
        actions.append("Choose the two optional criteria you will claim.")
    needed = rules.DOCUMENTS_PER_CRITERION
    for criterion in ["MC", *[c for c in optional_criteria if c]]:
        have = sum(
            1
            for d in docs
            if d.criterion == criterion and (criterion != "MC" or d.position not in by_code["mc_recent"].positions)
        )
        if have >= needed:
            continue
        actions.extend(_from_cv(criterion, analysis, missing=needed - have))
    if analysis is None and any(a.endswith(RUN_CV_HINT) for a in actions):
        # Say it once, on the first gap.
        first = next(i for i, a in enumerate(actions) if a.endswith(RUN_CV_HINT))
        actions = [a.removesuffix(RUN_CV_HINT) if i != first else a for i, a in enumerate(actions)]
    for code in ("printout_url", "weak", "oc2_timing"):
        if not by_code[code].met:
            actions.append(by_code[code].why)
    return actions


RUN_CV_HINT = " Run a CV analysis and we will point to evidence your CV already names."


def _from_cv(criterion: str, analysis, *, missing: int) -> list[str]:
    summary = rules.CRITERIA[criterion].summary
    generic = f"Add {missing} document{'s' if missing != 1 else ''} for {criterion}: {summary[0].lower()}{summary[1:]}"
    if analysis is None:
        return [generic + RUN_CV_HINT]
    assessment = analysis.criterion(criterion)
    quotes = assessment.evidence if assessment else []
    actions = []
    for quote in quotes[:missing]:
        hits = find_signals(quote.quote, rules.CRITERIA[criterion].signal_kinds)
        proof = (
            rules.EVIDENCE_FOR_SIGNAL.get(hits[0].kind, "a page that proves it") if hits else "a page that proves it"
        )
        year = f" ({quote.year})" if quote.year else ""
        actions.append(f"Your CV says “{shorten(quote.quote)}”{year} — add {proof} as {criterion} evidence.")
    if len(actions) < missing:
        actions.append(generic)
    return actions
