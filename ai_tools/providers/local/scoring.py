"""The rubric: a 0-100 score per criterion (MC, OC1-OC4) with the CV sentences behind it.

Points are deliberately simple and additive so every score can be explained from its evidence.
"""

from dataclasses import dataclass, field

from ai_tools import rules
from ai_tools.results import CriterionAssessment, EvidenceQuote

from .profile import CVProfile, Fact
from .signals import matches_any

MAX_QUOTES = 4
MAX_READINESS = 95
_LABELS = {
    "award": "award",
    "talk": "talk",
    "press": "press coverage",
    "judge": "judging or reviewing",
    "patent": "patent",
    "open_source": "open source",
    "hackathon": "hackathon win",
    "publication": "publication",
    "mentor": "mentoring",
    "community": "community work",
    "founder_exec": "founder or executive role",
    "innovation": "new product or technique",
    "product_led": "product-led company",
    "commercial": "commercial outcome",
    "tech_leadership": "technical leadership",
    "international": "international reach",
}


@dataclass
class Tally:
    """Points and the reasons for them, for one criterion."""

    points: float = 0
    facts: list[Fact] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def add(self, points: float, facts: list[Fact]) -> None:
        self.points += points
        for fact in facts:
            if fact not in self.facts:
                self.facts.append(fact)


def _quote(fact: Fact, kinds: tuple[str, ...]) -> EvidenceQuote:
    signals = [f"{_LABELS.get(k, k)} ('{fact.hits[k]}')" for k in kinds if k in fact.hits]
    signals += [f"number ({n})" for n in fact.numbers[:2]]
    return EvidenceQuote(quote=fact.text, signals=signals, year=fact.year if fact.year_stated else None)


def _assessment(code: str, tally: Tally, kinds: tuple[str, ...]) -> CriterionAssessment:
    score = max(0, min(100, round(tally.points)))
    status = "strong" if score >= rules.STRONG_AT else "partial" if score >= rules.PARTIAL_AT else "missing"
    # Strongest evidence first: more signals and numbers, then the most recent, then CV order.
    ranked = sorted(
        tally.facts,
        key=lambda f: (-(sum(k in f.hits for k in kinds) + len(f.numbers[:2])), -(f.year or 0), f.sentence.line_no),
    )
    return CriterionAssessment(
        code=code,
        name=rules.CRITERIA[code].name,
        score=score,
        status=status,
        evidence=[_quote(f, kinds) for f in ranked[:MAX_QUOTES]],
        missing=tally.missing,
    )


def _kinds_text(kinds) -> str:
    return ", ".join(_LABELS.get(k, k) for k in sorted(kinds))


def assess_mc(profile: CVProfile) -> CriterionAssessment:
    today, tally = profile.today, Tally()
    recent_kinds, old_kinds = set(), set()
    for fact, kind in profile.recognition:
        minor = kind == "talk" and matches_any(fact.text, rules.MINOR_TALK_WORDS)
        if fact.is_recent(today):
            # A meetup talk is a start, not "sector-leading" recognition: half the points of a keynote.
            tally.add(0 if kind in recent_kinds else (10 if minor else 22), [fact])
            recent_kinds.add(kind)
        else:
            tally.add(0 if kind in old_kinds | recent_kinds else 8, [fact])
            old_kinds.add(kind)
    facts = [f for f, _ in profile.recognition]
    tally.points += min(12, 3 * max(0, len(facts) - len(recent_kinds | old_kinds)))  # sustained, not one-off
    if any(f.has("international") for f in facts):
        tally.points += 10
    if any(f.numbers for f in facts):
        tally.points += 8
    if not facts:
        tally.missing.append(
            "No external recognition found: press coverage, awards, invited talks, judging, or open source that "
            "others use. This is the most common reason for refusal."
        )
        return _assessment("MC", tally, profile_kinds())
    if len(recent_kinds) < 3:
        tally.missing.append(
            f"Recognition in the last {rules.MC_EVIDENCE_MAX_AGE_YEARS} years comes from "
            f"{len(recent_kinds) or 'no'} kind(s) ({_kinds_text(recent_kinds) or 'none'}). Assessors look for "
            "sustained recognition from several independent sources."
        )
    old = [f for f in facts if f.year is not None and not f.is_recent(today)]
    if old:
        tally.missing.append(
            f"{len(old)} item(s) are older than {rules.MC_EVIDENCE_MAX_AGE_YEARS} years, which is weak for the "
            "mandatory criterion."
        )
    undated = [f for f in facts if f.year is None]
    if undated:
        tally.missing.append(f"{len(undated)} recognition item(s) have no date, so their age cannot be judged.")
    if not any(f.has("international") for f in facts):
        tally.missing.append("Nothing shows recognition beyond one country (international events, press or users).")
    weak = profile.with_signal("weak")
    if weak:
        tally.missing.append(
            "Internal awards, LinkedIn or Medium posts and training certificates are weak evidence and were not counted."
        )
    return _assessment("MC", tally, profile_kinds())


def profile_kinds() -> tuple[str, ...]:
    return ("award", "talk", "press", "judge", "patent", "open_source", "hackathon", "publication", "international")


def assess_oc1(profile: CVProfile) -> CriterionAssessment:
    tally = Tally()
    kinds = ("founder_exec", "innovation", "patent", "product_led")
    founders = [f for f in profile.with_signal("founder_exec") if f.is_recent(profile.today) or f.year is None]
    if founders:
        tally.add(35, founders[:2])
    else:
        tally.missing.append("No founder or senior executive role in a product-led company found.")
    if profile.product_led:
        tally.add(15, [])
    innovation = profile.with_signal("innovation")
    if innovation:
        tally.add(20 + min(10, 5 * (len(innovation) - 1)), innovation)
    else:
        tally.missing.append("No new product, technique or field described (launched, built from scratch, invented).")
    patents = profile.with_signal("patent")
    if patents:
        tally.add(15, patents)
    outcomes = [f for f in innovation + founders if f.numbers]
    if outcomes:
        tally.add(15, outcomes)
    elif innovation or founders:
        tally.missing.append("The innovation has no numbers: add users, revenue, funding or adoption.")
    return _assessment("OC1", tally, kinds)


def assess_oc2(profile: CVProfile) -> CriterionAssessment:
    tally = Tally()
    kinds = ("open_source", "talk", "mentor", "community", "judge", "hackathon")
    points = {"open_source": 25, "talk": 25, "mentor": 15, "community": 12, "judge": 15, "hackathon": 10}
    found = set()
    for kind in kinds:
        facts = [f for f in profile.with_signal(kind) if f.section != "skills"]
        if kind in ("mentor", "community"):
            # OC2 is work outside the day job: mentoring juniors in a listed role is part of that role.
            facts = [f for f in facts if f.section != "experience"]
        if not facts:
            continue
        found.add(kind)
        minor = kind == "talk" and all(matches_any(f.text, rules.MINOR_TALK_WORDS) for f in facts)
        tally.add(points[kind] / (2 if minor else 1), facts)
        if kind == "open_source" and any(f.numbers or matches_any(f.text, (r"maintainer",)) for f in facts):
            tally.add(10, [])
    if not found:
        tally.missing.append("No work outside the day job found: open source, talks, mentoring or community.")
    if "open_source" in found and not any(f.has_link for f in profile.with_signal("open_source")):
        tally.missing.append("Open-source work has no links; assessors need to see the repositories.")
    if "open_source" in found and not any(f.numbers for f in profile.with_signal("open_source")):
        tally.missing.append("Open-source work has no adoption numbers (stars, downloads, dependants).")
    dated = [f.year for f in tally.facts if f.year_stated]
    if dated and min(dated) >= profile.today.year - 1:
        tally.missing.append(
            "All of this activity is from the last year; contributions made only to time the application do not count."
        )
    return _assessment("OC2", tally, kinds)


def assess_oc3(profile: CVProfile) -> CriterionAssessment:
    tally = Tally()
    kinds = ("tech_leadership", "commercial", "product_led")
    work = [f for f in profile.facts if f.section in ("experience", "", "summary")]
    quantified = [f for f in work if f.numbers and f.has("tech_leadership", "commercial", "product_led")]
    tally.add(min(60, 15 * len(quantified)), quantified)
    leadership = [
        f for f in work if f.has("tech_leadership") and matches_any(f.text, (r"led", r"architected", r"grew"))
    ]
    if leadership:
        tally.add(15, leadership[:2])
    commercial = [f for f in work if f.has("commercial")]
    if commercial:
        tally.add(15, commercial[:2])
    else:
        tally.missing.append("No commercial outcome stated (revenue, funding, growth, cost saved).")
    if profile.product_led:
        tally.add(10, [])
    else:
        tally.missing.append("No product-led digital company found: OC3 needs contributions in one.")
    unquantified = [f for f in work if matches_any(f.text, rules.ACHIEVEMENT_VERBS) and not f.numbers]
    if unquantified:
        tally.missing.append(f"{len(unquantified)} achievement(s) have no number to show their size.")
    if profile.with_signal("consultancy") and not profile.product_led:
        # Delivery work for clients is the wrong discipline for OC3, however well it is described.
        tally.points = min(tally.points, 30)
        tally.missing.append("Contributions are in consultancy or client delivery, which usually does not count.")
    return _assessment("OC3", tally, kinds)


def assess_oc4(profile: CVProfile) -> CriterionAssessment:
    tally = Tally()
    kinds = ("publication",)
    papers = [f for f in profile.with_signal("publication") if f.section not in ("education", "skills")]
    tally.add(min(60, 25 * len(papers)), papers)
    if any(matches_any(f.text, (r"cited", r"citations?")) for f in papers):
        tally.points += 20
    venues = (r"proceedings", r"journal", r"neurips", r"icml", r"iclr", r"cvpr", r"acl", r"kdd", r"ieee", r"acm")
    if any(matches_any(f.text, venues) for f in papers):
        tally.points += 15
    if not papers:
        tally.missing.append("No published research found (papers, journals, conference proceedings).")
    elif not any(matches_any(f.text, (r"cited", r"citations?")) for f in papers):
        tally.missing.append("Add citation counts or how the research is used.")
    return _assessment("OC4", tally, kinds)


def assess_all(profile: CVProfile) -> list[CriterionAssessment]:
    return [assess_mc(profile), assess_oc1(profile), assess_oc2(profile), assess_oc3(profile), assess_oc4(profile)]


def readiness_score(criteria: list[CriterionAssessment], penalty: int) -> int:
    """MC carries 40%; the two best optional criteria 30% each (2 of 4 are needed); minus check penalties."""
    mc = next(c.score for c in criteria if c.code == "MC")
    best = sorted((c.score for c in criteria if c.code != "MC"), reverse=True)[: rules.OPTIONAL_CRITERIA_TO_MEET]
    raw = rules.SCORE_WEIGHT_MC * mc + rules.SCORE_WEIGHT_EACH_TOP_OC * sum(best)
    # A rubric reads claims, it cannot verify them: never tell anyone they are certain to succeed.
    return max(0, min(MAX_READINESS, round(raw) - penalty))
