"""The local CV analysis: profile -> criteria -> checks, risks, category, suggestions -> CVAnalysis."""

from datetime import date

from ai_tools import rules
from ai_tools.results import CVAnalysis, ParsedCV, RoleEntry

from .category import suggest_category
from .checks import penalty, run_checks
from .field import check_field
from .profile import build_profile
from .risks import find_risks, risk_penalty
from .scoring import assess_all, readiness_score
from .sections import split_glued_headings
from .suggestions import build_suggestions


def route_not_available(route: str, *, engine: str, today: date, page_count: int, pages_estimated: bool) -> CVAnalysis:
    known = rules.ROUTES.get(route)
    summary = (
        rules.ROUTE_COMING_LATER_MESSAGE.format(route=known.name, body=known.endorsing_body)
        if known
        else f"Unknown route '{route}'. Today the tools check CVs against the Digital technology criteria only."
    )
    return CVAnalysis(
        route=route,
        route_available=False,
        engine=engine,
        rules_reviewed_on=rules.RULES_REVIEWED_ON,
        analysed_on=today,
        summary=summary,
        overall_score=0,
        criteria=[],
        risks=[],
        checks=[],
        category=None,
        suggestions=[],
        sections_found=[],
        roles=[],
        page_count=page_count,
        pages_estimated=pages_estimated,
    )


# An ineligible profile is not "partly ready": the score says so too.
SCORE_CAP = {"not_digital_technology": 10, "likely_ineligible": 30}
FIELD_HEADLINES = {
    "not_digital_technology": "Not a digital technology profile.",
    "likely_ineligible": "Likely ineligible as written: the experience reads as services or consultancy.",
}


def _not_assessed(criterion, reason: str):
    return criterion.model_copy(
        update={
            "score": 0,
            "status": "missing",
            "evidence": [],
            "missing": [f"Not assessed against the digital technology criteria: {reason}"],
        }
    )


def _summary(score: int, criteria, category, risks, field) -> str:
    strong = [c.code for c in criteria if c.status == "strong"]
    mc = next(c for c in criteria if c.code == "MC")
    band = "well prepared" if score >= 70 else "partly ready" if score >= 40 else "not ready yet"
    parts = [FIELD_HEADLINES[field.verdict]] if field.verdict in FIELD_HEADLINES else []
    parts.append(f"Readiness {score}/100: {band}.")
    parts.append(f"Mandatory criterion: {mc.status}.")
    parts.append(f"Strong criteria: {', '.join(strong)}." if strong else "No criterion is strong yet.")
    if category:
        parts.append(f"Suggested category: {rules.CATEGORIES[category.category]} ({category.confidence} confidence).")
    high = [r for r in risks if r.severity == "high"]
    if high:
        parts.append(f"{len(high)} high eligibility risk(s) to address first.")
    return " ".join(parts)


def analyse(
    text: str,
    *,
    parsed: ParsedCV,
    route: str,
    category_hint: str | None,
    page_count: int,
    pages_estimated: bool,
    today: date,
):
    text = split_glued_headings(text)  # as parse_cv did, so role line numbers match
    profile = build_profile(text, parsed=parsed, today=today, page_count=page_count, pages_estimated=pages_estimated)
    field = check_field(profile)  # first: a nurse's CV is not scored against the tech criteria
    criteria = assess_all(profile)
    if field.verdict == "not_digital_technology":
        criteria = [_not_assessed(c, field.reasons[0]) for c in criteria]
    checks = run_checks(profile)
    risks = find_risks(profile, criteria, field)
    category = suggest_category(profile, criteria) if field.eligible else None
    if category is not None and category_hint in rules.CATEGORIES and category_hint != category.category:
        category.reasons.insert(
            0,
            f"You chose {rules.CATEGORIES[category_hint]}; on this CV {rules.CATEGORIES[category.category]} looks "
            "the better fit. Read the reasons below before you decide.",
        )
    score = readiness_score(criteria, penalty(checks) + risk_penalty(risks))
    score = min(score, SCORE_CAP.get(field.verdict, score))
    return CVAnalysis(
        route=route,
        route_available=True,
        engine="local",
        rules_reviewed_on=rules.RULES_REVIEWED_ON,
        analysed_on=today,
        summary=_summary(score, criteria, category, risks, field),
        overall_score=score,
        criteria=criteria,
        risks=risks,
        checks=checks,
        category=category,
        suggestions=build_suggestions(profile, criteria, checks, risks, category),
        sections_found=profile.sections_found,
        roles=[
            RoleEntry(
                label=r.label,
                start=f"{r.dates.start[0]}-{r.dates.start[1]:02d}",
                end=f"{r.dates.end[0]}-{r.dates.end[1]:02d}" if r.dates.end else None,
                is_current=r.dates.is_current,
                is_tech=r.is_tech,
                title=r.title,
                organisation=r.organisation,
                org_kind=r.org_kind,
                corrected=r.corrected,
            )
            for r in profile.roles
        ],
        page_count=page_count,
        pages_estimated=pages_estimated,
        field_verdict=field.verdict,
        field_reasons=field.reasons,
        warnings=list(parsed.warnings),
    )
