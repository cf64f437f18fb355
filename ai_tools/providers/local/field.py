"""The field check, done first: is this a digital technology profile, and is it eligible as written?

- No technology role at all, or none in the last 5 years with a non-technology job now: "not a digital
  technology profile" (a nurse who uses EPIC, a teacher who runs a coding club, an accountant who knows Excel).
- Every recent technology role is service delivery (consultancy, outsourcing, IT services, ERP): "likely
  ineligible as written", with the lines that show it.
"""

from dataclasses import dataclass, field

from ai_tools import rules
from ai_tools.results import FieldVerdict

from .dates import parse_month
from .profile import CVProfile
from .signals import compile_words
from .text import shorten

RECENT_YEARS = rules.MC_EVIDENCE_MAX_AGE_YEARS
_TECH_TEXT = compile_words(rules.TECH_ROLE_WORDS)
_NON_TECH_TEXT = compile_words(rules.NON_TECH_ROLE_WORDS)


@dataclass
class FieldCheck:
    verdict: FieldVerdict
    reasons: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.verdict == "digital_technology"


def _header_line(profile: CVProfile, line_no: int | None) -> str | None:
    lines = profile.text.split("\n")
    if line_no is None or not 0 <= line_no < len(lines):
        return None
    return lines[line_no].strip() or None


def _ends_recently(role, today) -> bool:
    if role.is_current or not role.start:
        return role.is_current
    end = parse_month(role.end) or parse_month(role.start)
    return end[0] >= today.year - RECENT_YEARS


def check_field(profile: CVProfile) -> FieldCheck:
    roles = profile.parsed.roles
    today = profile.today
    if not roles:
        # Nothing to go on but the words: a CV that names no technology work at all is not a tech profile.
        tech_words = len(_TECH_TEXT.findall(profile.text))
        non_tech = len(_NON_TECH_TEXT.findall(profile.text))
        if non_tech > tech_words:
            return FieldCheck(
                "not_digital_technology",
                ["No technology role found; the CV describes work outside digital technology."],
            )
        return FieldCheck("digital_technology")
    tech = [r for r in roles if r.is_tech]
    recent = [r for r in roles if _ends_recently(r, today)]
    recent_tech = [r for r in recent if r.is_tech]
    if tech and recent and all(r.org_kind == "services" for r in recent):
        # A delivery or project manager at an outsourcing firm works in IT services, not in another
        # profession: the refusal they risk is "service delivery", so say that rather than "not tech".
        return _services_check(profile, recent)
    if not tech or (recent and not recent_tech):
        latest = recent[0] if recent else roles[0]
        reason = (
            f"None of the {len(roles)} role(s) is a digital technology role"
            if not tech
            else f"No technology role in the last {RECENT_YEARS} years"
        )
        return FieldCheck(
            "not_digital_technology",
            [
                f"{reason} (latest: {latest.label}). Tech Nation endorses people working in digital technology; "
                "using software in another profession does not count. Another endorsing body may fit your field."
            ],
            [q for r in roles[:3] if (q := _header_line(profile, r.line_no))],
        )
    services = [r for r in recent_tech if r.org_kind == "services"]
    product = [r for r in recent_tech if r.org_kind == "product"]
    if services and not product and len(services) * 2 >= len(recent_tech):
        return _services_check(profile, services)
    return FieldCheck("digital_technology")


def _services_check(profile: CVProfile, services: list) -> FieldCheck:
    consultancy = [f.text for f in profile.with_signal("consultancy") if f.section not in ("certifications", "skills")]
    quotes = [q for r in services[:2] if (q := _header_line(profile, r.line_no))]
    quotes += [q for q in consultancy if q not in quotes][:2]
    return FieldCheck(
        "likely_ineligible",
        [
            f"Your recent work is service delivery ({', '.join(shorten(r.label, 60) for r in services[:3])}): "
            "consultancy, outsourcing, IT services or ERP. Tech Nation usually does not endorse it. As written "
            "this CV is likely ineligible: show hands-on work on a digital product, or business work in a "
            "product-led company."
        ],
        quotes[:4],
    )
