"""Talent or Promise: years in technology (technology roles only) and the strength of recognition.

Talent is for recognised leaders: about 5+ years in technology AND a strong mandatory criterion (sustained,
specific, recent recognition). Everything else is Promise; the reason is always shown.
"""

from ai_tools import rules
from ai_tools.results import CategorySuggestion, CriterionAssessment

from .profile import CVProfile
from .roles import years_in_tech


def suggest_category(profile: CVProfile, criteria: list[CriterionAssessment] | None = None) -> CategorySuggestion:
    today = profile.today
    years = years_in_tech(profile.roles, today)
    senior = [r for r in profile.roles if r.is_senior]
    recent_kinds = sorted({kind for f, kind in profile.recognition if f.is_recent(today)})
    breadth = len(recent_kinds)
    mc = next((c for c in criteria or [] if c.code == "MC"), None)
    mc_score = mc.score if mc else 0
    limit = rules.PROMISE_TYPICAL_MAX_YEARS_IN_TECH
    reasons = []
    tech = [r for r in profile.roles if r.is_tech]
    if years is None:
        reasons.append("No dated roles, so years in technology could not be worked out; add dates to every role.")
    elif not tech:
        reasons.append("None of the dated roles is a technology role, so no years in technology count.")
    else:
        first = min(tech, key=lambda r: r.dates.start)
        reasons.append(
            f"About {years:g} years in technology from dated technology roles (earliest: {first.label}, "
            f"{first.dates.start[0]})."
        )
        non_tech = [r for r in profile.roles if not r.is_tech]
        if non_tech:
            reasons.append(
                f"Work outside technology ({non_tech[0].label}) does not count towards those years; "
                "Promise allows a longer career elsewhere."
            )
    if senior:
        reasons.append(f"Senior technology role(s): {'; '.join(r.label for r in senior[:2])}.")
    reasons.append(
        f"Specific recognition in the last {rules.MC_EVIDENCE_MAX_AGE_YEARS} years from {breadth} kind(s)"
        + (f": {', '.join(k.replace('_', ' ') for k in recent_kinds)}" if recent_kinds else "")
        + f"; mandatory criterion {mc_score}/100."
    )

    # Around the ~5-year line it takes more to read as an established leader: a senior technology role AND
    # recognition from at least 3 independent items; from ~7 years, a strong mandatory criterion is enough.
    recent_items = sum(1 for f, _ in profile.recognition if f.is_recent(today))
    experienced = years is not None and (years >= limit + 2 or (years >= limit and bool(senior) and recent_items >= 3))
    recognised = mc_score >= rules.STRONG_AT or (breadth >= 3 and mc_score >= rules.PARTIAL_AT)
    if experienced and recognised:
        category = "talent"
        confidence = "high" if mc_score >= 85 and years >= limit + 3 else "medium"
        reasons.append(
            "Talent: you have the years in technology and sustained recognition as a leader that Talent asks for."
        )
    else:
        category = "promise"
        if years is not None and years < limit:
            confidence = "high" if breadth < 4 else "medium"
            reasons.append(
                f"Promise: about {years:g} years in technology, under the ~{limit} years typical of Talent; "
                "Promise is for emerging leaders."
            )
        else:
            confidence = "low" if years is None else "medium"
            reasons.append(
                "Promise: long experience, but the recognition in this CV is not yet the sustained recognition of "
                "a leader that Talent needs."
            )
    reasons.append("Assessors may judge you against the other category than the one you choose.")
    return CategorySuggestion(category=category, confidence=confidence, years_in_tech=years, reasons=reasons)
