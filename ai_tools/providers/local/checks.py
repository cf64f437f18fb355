"""Hard checks: facts about the CV that are simply right or wrong (page limit, dates, numbers, age)."""

from ai_tools import rules
from ai_tools.results import HardCheck

from .profile import CVProfile
from .signals import matches_any
from .text import shorten

MAX_DETAILS = 5
# Score points taken off the readiness score for each failed check (a refusal risk, not a criterion).
PENALTIES = {"page_count": 5, "role_dates": 3, "unquantified_claims": 3, "stale_evidence": 3, "undated_talks": 2}


def unquantified_achievements(profile: CVProfile):
    return [
        f
        for f in profile.facts
        if f.section in ("experience", "") and matches_any(f.text, rules.ACHIEVEMENT_VERBS) and not f.numbers
    ]


def run_checks(profile: CVProfile) -> list[HardCheck]:
    today = profile.today
    checks = []
    pages = f"{profile.page_count} page(s){' (estimated)' if profile.pages_estimated else ''}"
    checks.append(
        HardCheck(
            code="page_count",
            passed=profile.page_count <= rules.CV_MAX_PAGES,
            message=(
                f"The CV is {pages}; the limit is {rules.CV_MAX_PAGES}."
                if profile.page_count > rules.CV_MAX_PAGES
                else f"The CV is {pages}, within the {rules.CV_MAX_PAGES}-page limit."
            ),
            details=[],
        )
    )
    if not profile.roles:
        message, passed = "No dated roles found: give every role a start and end month and year.", False
    elif profile.undated_roles:
        message, passed = f"{len(profile.undated_roles)} role(s) have no dates.", False
    else:
        message, passed = f"All {len(profile.roles)} role(s) have dates.", True
    checks.append(
        HardCheck(code="role_dates", passed=passed, message=message, details=profile.undated_roles[:MAX_DETAILS])
    )

    claims = unquantified_achievements(profile)
    achievements = [f for f in profile.facts if matches_any(f.text, rules.ACHIEVEMENT_VERBS)]
    failing = len(claims) >= 3 or (achievements and len(claims) * 2 > len(achievements))
    checks.append(
        HardCheck(
            code="unquantified_claims",
            passed=not failing,
            message=f"{len(claims)} of {len(achievements)} achievement(s) have no number (users, %, revenue, team size).",
            details=[shorten(f.text) for f in claims[:MAX_DETAILS]],
        )
    )
    cutoff = today.year - rules.MC_EVIDENCE_MAX_AGE_YEARS
    stale = [f for f, _ in profile.recognition if f.year is not None and f.year < cutoff]
    checks.append(
        HardCheck(
            code="stale_evidence",
            passed=not stale,
            message=(
                f"{len(stale)} recognition item(s) are from before {cutoff}: weak for the mandatory criterion."
                if stale
                else f"No recognition older than {rules.MC_EVIDENCE_MAX_AGE_YEARS} years."
            ),
            details=[f"{f.year}: {shorten(f.text)}" for f in stale[:MAX_DETAILS]],
        )
    )
    talks = [f for f in profile.with_signal("talk") if not f.year_stated]
    checks.append(
        HardCheck(
            code="undated_talks",
            passed=not talks,
            message=f"{len(talks)} talk(s) have no date." if talks else "Every talk listed has a date.",
            details=[shorten(f.text) for f in talks[:MAX_DETAILS]],
        )
    )
    return checks


def penalty(checks: list[HardCheck]) -> int:
    return sum(PENALTIES.get(c.code, 0) for c in checks if not c.passed)
