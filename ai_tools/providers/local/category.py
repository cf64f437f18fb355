"""Talent or Promise: years in technology, seniority and breadth of recognition."""

from ai_tools import rules
from ai_tools.results import CategorySuggestion

from .profile import CVProfile
from .roles import years_in_tech


def suggest_category(profile: CVProfile) -> CategorySuggestion:
    today = profile.today
    years = years_in_tech(profile.roles, today)
    senior = [r for r in profile.roles if r.is_senior]
    recent_kinds = sorted({kind for f, kind in profile.recognition if f.is_recent(today)})
    breadth = len(recent_kinds)
    limit = rules.PROMISE_TYPICAL_MAX_YEARS_IN_TECH
    reasons = []
    if years is None:
        reasons.append("No dated roles, so years in technology could not be worked out; add dates to every role.")
    else:
        tech = [r for r in profile.roles if r.is_tech] or profile.roles
        first = min(tech, key=lambda r: r.dates.start)
        reasons.append(
            f"About {years:g} years in technology from dated roles (earliest: {first.label}, {first.dates.start[0]})."
        )
        non_tech = [r for r in profile.roles if not r.is_tech]
        if non_tech and any(r.is_tech for r in profile.roles):
            reasons.append(
                f"Earlier career outside technology ({non_tech[0].label}) does not count towards those years; "
                "Promise allows a longer career elsewhere."
            )
    if senior:
        reasons.append(f"Senior role(s): {'; '.join(r.label for r in senior[:2])}.")
    reasons.append(
        f"Recognition in the last {rules.MC_EVIDENCE_MAX_AGE_YEARS} years from {breadth} kind(s)"
        + (f": {', '.join(k.replace('_', ' ') for k in recent_kinds)}." if recent_kinds else ".")
    )

    experienced = years is not None and years >= limit
    recognised = breadth >= 3 or (bool(senior) and breadth >= 2)
    if experienced and recognised:
        category = "talent"
        confidence = "high" if breadth >= 4 and years >= limit + 3 else "medium"
        reasons.append("Talent is for recognised leaders: the experience and recognition above fit it.")
    else:
        category = "promise"
        if years is not None and years < limit:
            confidence = "high" if breadth < 4 else "medium"
            reasons.append(f"Promise is for emerging leaders, typically under ~{limit} years in technology.")
        else:
            confidence = "low" if years is None else "medium"
            reasons.append(
                "Long experience but limited recognition: Promise may fit better unless you can show sustained "
                "recognition as a leader."
            )
    reasons.append("Assessors may judge you against the other category than the one you choose.")
    return CategorySuggestion(category=category, confidence=confidence, years_in_tech=years, reasons=reasons)
