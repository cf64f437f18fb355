"""CV suite: extraction + the local engine on every labelled CV in ``bench/corpus/cv/``.

    .venv/bin/python bench/ai_eval.py cv                      # the whole corpus
    .venv/bin/python bench/ai_eval.py cv li-wei chidi-eze     # some CVs only

Each CV is read with ``extract_document`` (the upload path) and analysed with
``LocalProvider(today=TODAY).analyse_cv(...)`` on a fixed date, so results do not drift. The engine's
vocabulary is mapped to the labels' vocabulary in ``engine_outcome`` and nowhere else. Label format and
metric definitions: ``bench/corpus/cv/README.md`` and ``bench/eval/cv_corpus.py``.
"""

import statistics
import time
from dataclasses import dataclass, field
from datetime import date

from bench.eval.cv_corpus import CRITERIA, Case, fold, glued_words, load_cases

NAME = "cv"
TODAY = date(2026, 12, 1)
ROUTE = "digital_technology"

# --- the one place where the engine's vocabulary meets the labels' ----------------------------

STATUS_TO_VERDICT = {"strong": "met", "met": "met", "partial": "partial", "weak": "partial", "missing": "not_met"}
# Risk codes (current and announced) meaning "not a digital technology profile" / "services, likely ineligible".
NOT_TECH_RISKS = {"not_digital_technology", "not_tech", "not_tech_profile", "non_tech_profile", "field_not_tech"}
SERVICES_RISKS = {"consultancy_role", "services_profile", "services_role", "likely_ineligible"}
NOT_TECH_PHRASES = ("not a digital technology profile",)
SERVICES_PHRASES = ("likely ineligible",)


@dataclass
class Outcome:
    """What the engine said, in label vocabulary."""

    field: str  # digital_technology | not_tech
    eligible: str  # yes | likely_ineligible:services | likely_ineligible:not_tech
    category: str  # talent | promise | none
    verdicts: dict[str, str]  # MC..OC4 -> met | partial | not_met
    quotes: dict[str, list[str]]  # MC..OC4 -> evidence quotes
    score: int
    roles: list  # RoleEntry-like: label, start "YYYY-MM", end "YYYY-MM" | None


def engine_outcome(analysis) -> Outcome:
    risks = list(getattr(analysis, "risks", []) or [])
    words = " ".join([getattr(analysis, "summary", "")] + [r.message for r in risks]).lower()
    codes = {r.code for r in risks}
    not_tech = bool(codes & NOT_TECH_RISKS) or any(p in words for p in NOT_TECH_PHRASES)
    services = any(r.code in SERVICES_RISKS and r.severity == "high" for r in risks) or any(
        p in words for p in SERVICES_PHRASES
    )
    if not_tech:
        eligible = "likely_ineligible:not_tech"
    elif services:
        eligible = "likely_ineligible:services"
    else:
        eligible = "yes"
    category = getattr(getattr(analysis, "category", None), "category", None) or "none"
    if eligible != "yes":
        category = "none"  # "likely ineligible as written": no category is being recommended
    criteria = {c.code: c for c in getattr(analysis, "criteria", [])}
    return Outcome(
        field="not_tech" if not_tech else "digital_technology",
        eligible=eligible,
        category=category,
        verdicts={
            code: STATUS_TO_VERDICT.get(criteria[code].status, criteria[code].status) if code in criteria else "not_met"
            for code in CRITERIA
        },
        quotes={code: [e.quote for e in criteria[code].evidence] if code in criteria else [] for code in CRITERIA},
        score=getattr(analysis, "overall_score", 0),
        roles=list(getattr(analysis, "roles", []) or []),
    )


# --- scoring one CV -----------------------------------------------------------------------------


@dataclass
class CaseResult:
    ident: str
    kind: str
    seconds: float
    outcome: Outcome | None
    error: str = ""
    criteria_agree: dict[str, bool] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    category_agree: bool = False
    field_agree: bool = False
    eligible_agree: bool = False
    roles_labelled: int = 0
    roles_found: int = 0
    roles_dated: int = 0
    glued: list[str] = field(default_factory=list)
    quotes: int = 0
    verbatim: int = 0
    on_fact: int = 0
    on_right: int = 0
    reused: int = 0
    facts: int = 0
    facts_found: int = 0
    adversarial: str = ""
    adversarial_failed: list[str] = field(default_factory=list)
    quality: str = ""  # the extraction's verdict on its own text (good / repaired / unreadable)


def _month(value: str | None) -> str:
    return "present" if value in (None, "", "present") else value


def _date_matches(labelled: str, found: str | None) -> bool:
    found = _month(found)
    if labelled == "present" or found == "present":
        return labelled == found
    return found.startswith(labelled) if len(labelled) == 4 else found == labelled


def match_roles(case: Case, roles: list) -> tuple[int, int, list[str]]:
    """(found, found with both dates right, misses). A role is found when an engine role names its title
    or organisation and starts in the labelled year."""
    found = dated = 0
    misses = []
    for role in case.roles:
        title, org = role.title.lower(), role.organisation.lower()
        candidates = [r for r in roles if title in r.label.lower() or org in r.label.lower()]
        same_year = [r for r in candidates if r.start[:4] == role.start[:4]]
        if not same_year:
            misses.append(f"role {role.title} ({role.start}) not found")
            continue
        found += 1
        if any(_date_matches(role.start, r.start) and _date_matches(role.end, r.end) for r in same_year):
            dated += 1
        else:
            got = same_year[0]
            misses.append(f"role {role.title}: {role.start}–{role.end} read as {got.start}–{_month(got.end)}")
    return found, dated, misses


def _overlaps(quote: str, fact: str) -> bool:
    q, f = fold(quote).lower().rstrip(".…"), fold(fact).lower()
    return f in q or (len(q) >= 20 and q in f)


def check_expectation(expect: str, outcome: Outcome) -> bool:
    kind, _, value = expect.partition(":")
    if kind == "score_max":
        return outcome.score <= int(value)
    if kind == "mc":
        return outcome.verdicts["MC"] == value
    if kind == "category":
        return outcome.category == value
    if kind == "not_category":
        return outcome.category != value
    if kind == "flag":
        return {"not_tech": outcome.field == "not_tech", "services": outcome.eligible == "likely_ineligible:services"}[
            value
        ]
    if kind == "not_quoted":
        return not any(value.lower() in q.lower() for qs in outcome.quotes.values() for q in qs)
    raise ValueError(f"unknown expectation {expect!r}")


def score_case(case: Case, text: str, outcome: Outcome, seconds: float) -> CaseResult:
    label = case.label
    result = CaseResult(case.ident, case.kind, seconds, outcome)
    for code in CRITERIA:
        want, got = label["criteria"][code], outcome.verdicts[code]
        result.criteria_agree[code] = want == got
        if want != got:
            result.misses.append(f"{code} {want}→{got}")
    result.category_agree = label["category"] == outcome.category
    if not result.category_agree:
        result.misses.append(f"category {label['category']}→{outcome.category}")
    result.field_agree = label["field"] == outcome.field
    result.eligible_agree = label["eligible"] == outcome.eligible
    if not result.eligible_agree:
        result.misses.append(f"eligible {label['eligible']}→{outcome.eligible}")
    result.roles_labelled = len(case.roles)
    result.roles_found, result.roles_dated, role_misses = match_roles(case, outcome.roles)
    result.misses += role_misses
    if case.kind == "pdf":
        result.glued = glued_words(text, case.vocabulary)
    haystack = fold(text)
    seen: dict[str, set[str]] = {}
    facts = case.facts
    for code, quotes in outcome.quotes.items():
        for quote in quotes:
            result.quotes += 1
            body = fold(quote).removesuffix("...").removesuffix("…").strip()
            if body in haystack:
                result.verbatim += 1
            else:
                result.misses.append(f"{code} quote not verbatim: {quote[:60]}")
            seen.setdefault(fold(quote), set()).add(code)
            criteria = {c for f, c in facts if _overlaps(quote, f)}
            if criteria:
                result.on_fact += 1
                if code in criteria:
                    result.on_right += 1
                else:
                    result.misses.append(f"{code} quotes a {'/'.join(sorted(criteria))} fact: {quote[:50]}")
    result.reused = sum(1 for codes in seen.values() if len(codes) > 1)
    result.facts = len(facts)
    result.facts_found = sum(1 for f, c in facts if any(_overlaps(q, f) for q in outcome.quotes.get(c, [])))
    if label.get("adversarial"):
        result.adversarial = label["adversarial"]
        result.adversarial_failed = [e for e in label.get("expect", []) if not check_expectation(e, outcome)]
    return result


def evaluate(case: Case, provider) -> CaseResult:
    from ai_tools.documents import UploadLimits, extract_document

    start = time.perf_counter()
    try:
        document = extract_document(case.path.read_bytes(), limits=UploadLimits())
        analysis = provider.analyse_cv(
            document.text, ROUTE, None, document.page_count, document.pages_estimated, today=TODAY
        )
    except Exception as exc:  # one broken CV must not hide the others' results
        return CaseResult(
            case.ident, case.kind, time.perf_counter() - start, None, error=f"{type(exc).__name__}: {exc}"
        )
    seconds = time.perf_counter() - start
    result = score_case(case, document.text, engine_outcome(analysis), seconds)
    result.quality = getattr(document, "quality", "")
    return result


# --- the report -------------------------------------------------------------------------------------


def _pct(part: int | float, whole: int | float) -> str:
    return f"{100 * part / whole:.0f} % ({part}/{whole})" if whole else "n/a"


def summarise(results: list[CaseResult], cases: list[Case]) -> list[str]:
    ok = [r for r in results if r.outcome is not None]
    agree = sum(sum(r.criteria_agree.values()) for r in ok)
    pdfs = [r for r in ok if r.kind == "pdf"]
    quotes = sum(r.quotes for r in ok)
    times = sorted(r.seconds * 1000 for r in results)
    lines = [
        f"{len(cases)} CVs ({', '.join(f'{n} {k.upper()}' for k, n in sorted(_kinds(cases).items()))}), "
        f"local engine, today={TODAY.isoformat()}."
        + (f" {len(results) - len(ok)} failed to run." if len(ok) < len(results) else ""),
        "",
        "| metric | result |",
        "|---|---|",
        f"| criterion verdict agreement (MC, OC1–OC4) | {_pct(agree, 5 * len(ok))} |",
    ]
    for code in CRITERIA:
        lines.append(f"| — {code} | {_pct(sum(r.criteria_agree[code] for r in ok), len(ok))} |")
    lines += [
        f"| category agreement (talent / promise / none) | {_pct(sum(r.category_agree for r in ok), len(ok))} |",
        f"| field agreement (digital technology or not) | {_pct(sum(r.field_agree for r in ok), len(ok))} |",
        f"| eligibility agreement | {_pct(sum(r.eligible_agree for r in ok), len(ok))} |",
        f"| labelled roles found | {_pct(sum(r.roles_found for r in ok), sum(r.roles_labelled for r in ok))} |",
        f"| labelled roles with start and end right | {_pct(sum(r.roles_dated for r in ok), sum(r.roles_labelled for r in ok))} |",
        f"| glued words in extracted PDF text | {sum(len(r.glued) for r in pdfs)} in {sum(bool(r.glued) for r in pdfs)}/{len(pdfs)} PDFs |",
        "| extraction quality (good / repaired / unreadable) | "
        + " / ".join(str(sum(r.quality == q for r in ok)) for q in ("good", "repaired", "unreadable"))
        + " |",
        f"| quotes verbatim | {_pct(sum(r.verbatim for r in ok), quotes)} |",
        f"| quotes on the right criterion (of quotes on a labelled fact) | {_pct(sum(r.on_right for r in ok), sum(r.on_fact for r in ok))} |",
        f"| quotes reused across criteria | {sum(r.reused for r in ok)} of {quotes} quotes |",
        f"| key facts quoted under their criterion | {_pct(sum(r.facts_found for r in ok), sum(r.facts for r in ok))} |",
        f"| adversarial CVs with the expected outcome | {_pct(sum(not r.adversarial_failed for r in ok if r.adversarial), sum(1 for r in ok if r.adversarial))} |",
        f"| time per CV, extract + analyse (median / max) | {statistics.median(times):.0f} ms / {times[-1]:.0f} ms |",
    ]
    pairs = [(a, b) for a in ("met", "partial", "not_met") for b in ("met", "partial", "not_met") if a != b]
    labels = {c.ident: c.label for c in cases}
    lines += [
        "",
        "Criterion disagreements (label→engine, number of CVs):",
        "",
        "| criterion | " + " | ".join(f"{a}→{b}" for a, b in pairs) + " |",
        "|---|" + "---|" * len(pairs),
    ]
    for code in CRITERIA:
        got = [(labels[r.ident]["criteria"][code], r.outcome.verdicts[code]) for r in ok]
        lines.append(f"| {code} | " + " | ".join(str(got.count(pair)) for pair in pairs) + " |")
    lines += [
        "",
        "Adversarial CVs:",
        "",
        "| CV | kind | score | category | expected | result |",
        "|---|---|---|---|---|---|",
    ]
    for r in ok:
        if r.adversarial:
            label = next(c.label for c in cases if c.ident == r.ident)
            verdict = "as expected" if not r.adversarial_failed else "MISSED: " + ", ".join(r.adversarial_failed)
            lines.append(
                f"| {r.ident} | {r.adversarial} | {r.outcome.score} | {r.outcome.category} | {', '.join(label['expect'])} | {verdict} |"
            )
    lines += [
        "",
        "Per CV (misses: label→engine):",
        "",
        "| CV | file | ms | score | criteria agree | roles found / dated | glued | quotes right / on a fact | misses |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.outcome is None:
            lines.append(f"| {r.ident} | {r.kind} | {r.seconds * 1000:.0f} | – | – | – | – | – | ERROR {r.error} |")
            continue
        glued = f"{len(r.glued)}" + (f" ({', '.join(r.glued[:3])})" if r.glued else "") if r.kind == "pdf" else "–"
        lines.append(
            f"| {r.ident} | {r.kind} | {r.seconds * 1000:.0f} | {r.outcome.score} | {sum(r.criteria_agree.values())}/5 | "
            f"{r.roles_found}/{r.roles_dated} of {r.roles_labelled} | {glued} | {r.on_right}/{r.on_fact} | "
            f"{'; '.join(m.replace('|', '/') for m in r.misses) or '–'} |"
        )
    return lines


def _kinds(cases: list[Case]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for case in cases:
        kinds[case.kind] = kinds.get(case.kind, 0) + 1
    return kinds


def run(args: list[str]) -> list[str]:
    from ai_tools.providers.local import LocalProvider

    names = [a for a in args if not a.startswith("-")]
    cases = load_cases(names or None)
    if not cases:
        return [f"no CV in the corpus matches {names}"]
    provider = LocalProvider(today=TODAY)
    evaluate(cases[0], provider)  # warm-up: imports and regex compilation are not per-CV time
    results = [evaluate(case, provider) for case in cases]
    return summarise(results, cases)
