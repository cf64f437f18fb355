"""Eligibility risks: the refusal reasons in visa-rules.md that a CV can show on its face."""

from ai_tools import rules
from ai_tools.results import CriterionAssessment, Risk

from .profile import CVProfile
from .text import shorten

MAX_QUOTES = 3
RISK_PENALTIES = {"high": 10, "medium": 4, "low": 0}


def find_risks(profile: CVProfile, criteria: list[CriterionAssessment]) -> list[Risk]:
    risks = []
    consultancy = [f for f in profile.with_signal("consultancy") if f.section not in ("certifications", "skills")]
    consultancy_roles = [r for r in profile.roles if any(f.sentence.line_no == r.line_no for f in consultancy)]
    latest = max(profile.roles, key=lambda r: r.dates.end_or_today(profile.today), default=None)
    if consultancy:
        current = latest is not None and latest in consultancy_roles
        severity = "high" if current or not profile.product_led else "medium"
        firms = sorted({f.hits["consultancy"] for f in consultancy})
        risks.append(
            Risk(
                code="consultancy_role",
                severity=severity,
                message=(
                    f"Your experience reads as consultancy, outsourcing, ERP or systems administration "
                    f"({', '.join(firms[:5])}). Tech Nation usually does not endorse service or process delivery "
                    "roles: show hands-on work on a digital product, or business work in a product-led company."
                ),
                quotes=[shorten(f.text, 140) for f in consultancy[:MAX_QUOTES]],
            )
        )
    if not profile.product_led:
        risks.append(
            Risk(
                code="no_product_company",
                severity="high" if consultancy else "medium",
                message=(
                    "No product-led digital company found (a company whose product is software: SaaS, app, "
                    "platform). Say what the product is and who uses it."
                ),
                quotes=[],
            )
        )
    mc = next(c for c in criteria if c.code == "MC")
    if mc.status == "missing":
        risks.append(
            Risk(
                code="no_external_recognition",
                severity="high",
                message=(
                    "No external recognition found (press, awards, invited talks, widely used open source). The "
                    "mandatory criterion is not met without it."
                ),
                quotes=[],
            )
        )
    weak = profile.with_signal("weak")
    if weak:
        risks.append(
            Risk(
                code="weak_evidence",
                severity="low",
                message=(
                    "Some items are weak evidence (internal awards, LinkedIn or Medium posts, training certificates). "
                    "Keep them off your 10 evidence documents."
                ),
                quotes=[shorten(f.text, 140) for f in weak[:MAX_QUOTES]],
            )
        )
    recognition_years = [f.year for f, _ in profile.recognition if f.year is not None]
    cutoff = profile.today.year - rules.MC_EVIDENCE_MAX_AGE_YEARS
    if recognition_years and max(recognition_years) < cutoff:
        risks.append(
            Risk(
                code="stale_recognition",
                severity="medium",
                message=f"All dated recognition is from before {cutoff}; the mandatory criterion needs the last 5 years.",
                quotes=[],
            )
        )
    return risks


def risk_penalty(risks: list[Risk]) -> int:
    # no_external_recognition is already priced into the MC score; do not count it twice.
    return sum(RISK_PENALTIES[r.severity] for r in risks if r.code != "no_external_recognition")
