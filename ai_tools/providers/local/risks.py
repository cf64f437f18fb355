"""Eligibility risks: the refusal reasons in visa-rules.md that a CV can show on its face.

Risks never contradict the criteria: a risk about recognition reads the MC assessment (not the raw
keywords), and a sentence quoted as evidence for a criterion is never quoted as a risk's example.
"""

from ai_tools import rules
from ai_tools.results import CriterionAssessment, Risk

from .field import FieldCheck
from .profile import CVProfile

MAX_QUOTES = 3
RISK_PENALTIES = {"high": 10, "medium": 4, "low": 0}


def find_risks(profile: CVProfile, criteria: list[CriterionAssessment], field: FieldCheck | None = None) -> list[Risk]:
    risks = []
    cited = {e.quote for c in criteria for e in c.evidence}
    if field is not None and field.verdict == "not_digital_technology":
        risks.append(
            Risk(
                code="not_digital_technology",
                severity="high",
                message="Not a digital technology profile. " + " ".join(field.reasons),
                quotes=field.quotes[:MAX_QUOTES],
            )
        )
    cutoff = profile.today.year - rules.MC_EVIDENCE_MAX_AGE_YEARS
    # Service work that ended long ago (an outsourcing job before a product career) is history, not a risk.
    services_roles = [
        r for r in profile.roles if r.org_kind == "services" and r.dates.end_or_today(profile.today)[0] >= cutoff
    ]
    consultancy = [
        f
        for f in profile.with_signal("consultancy")
        if f.section not in ("certifications", "skills", "education")
        and f.text not in cited
        and (f.role is None or f.role.dates.end_or_today(profile.today)[0] >= cutoff)
    ]
    latest = max(profile.roles, key=lambda r: r.dates.end_or_today(profile.today), default=None)
    if field is not None and field.verdict == "likely_ineligible":
        risks.append(
            Risk(
                code="consultancy_role",
                severity="high",
                message="Likely ineligible as written. " + " ".join(field.reasons),
                quotes=[q for q in field.quotes if q not in cited][:MAX_QUOTES],
            )
        )
    elif consultancy or services_roles:
        current = latest is not None and latest.org_kind == "services"
        severity = "high" if current or not profile.product_led else "medium"
        firms = sorted(
            {f.hits["consultancy"] for f in consultancy} | {r.organisation for r in services_roles if r.organisation}
        )
        risks.append(
            Risk(
                code="consultancy_role",
                severity=severity,
                message=(
                    f"Part of your experience reads as consultancy, outsourcing, ERP or systems administration "
                    f"({', '.join(firms[:5])}). Tech Nation usually does not endorse service or process delivery "
                    "roles: show hands-on work on a digital product, or business work in a product-led company."
                ),
                quotes=[f.text for f in consultancy[:MAX_QUOTES]],
            )
        )
    if not profile.product_led and (field is None or field.eligible):
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
    if not mc.evidence:
        risks.append(
            Risk(
                code="no_external_recognition",
                severity="high",
                message=(
                    "No specific external recognition found (press, awards, invited talks, judging, widely used "
                    "open source, each named and dated). The mandatory criterion is not met without it."
                ),
                quotes=[],
            )
        )
    elif mc.status == "missing":
        risks.append(
            Risk(
                code="limited_recognition",
                severity="medium",
                message=(
                    "The recognition quoted under the mandatory criterion is a start but not yet enough: "
                    "assessors look for sustained recognition from several independent sources."
                ),
                quotes=[],
            )
        )
    unspecific = [f for f in profile.unspecific_claims if f.text not in cited]
    claims = [f for f in profile.facts if not f.injected and (f.hits or f.generic_words)]
    if len(unspecific) >= 3 and len(unspecific) * 3 >= len(claims):
        risks.append(
            Risk(
                code="claims_without_specifics",
                severity="high",
                message=(
                    f"{len(unspecific)} claims name no outlet, event, award, product or organisation, and give no "
                    "date, number or link. Keyword-rich claims without specifics earn nothing with assessors: "
                    "name the event, the outlet, the product and the year, or leave the claim out."
                ),
                quotes=[f.text for f in unspecific[:MAX_QUOTES]],
            )
        )
    if profile.parsed.injection_lines:
        risks.append(
            Risk(
                code="prompt_injection",
                severity="medium",
                message=(
                    "Some lines read like instructions to an AI reader. We treated them as text and ignored what "
                    "they ask; an assessor will see them too and may doubt the whole CV. Remove them."
                ),
                quotes=profile.parsed.injection_lines[:MAX_QUOTES],
            )
        )
    weak = [f for f in profile.with_signal("weak") if f.text not in cited]
    if weak:
        risks.append(
            Risk(
                code="weak_evidence",
                severity="low",
                message=(
                    "Some items are weak evidence (internal awards, LinkedIn or Medium posts, training certificates). "
                    "Keep them off your 10 evidence documents."
                ),
                quotes=[f.text for f in weak[:MAX_QUOTES]],
            )
        )
    recognition_years = [f.year for f, _ in profile.recognition if f.year is not None]
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
