"""The rubric: a 0-100 score per criterion (MC, OC1-OC4) with the CV sentences behind it.

Judged on evidence, not keywords: a sentence counts only when it is *specific* (something named, with
a date, a number or a link), and each sentence supports ONE criterion, the one it fits best - the
endorsing body counts one document for one criterion. Points are simple and additive so every score
can be explained from its evidence.
"""

import re
from dataclasses import dataclass, field

from ai_tools import rules
from ai_tools.results import CriterionAssessment, EvidenceQuote

from .profile import CVProfile, Fact
from .signals import compile_words, matches_any

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
MC_KINDS = ("award", "talk", "press", "judge", "patent", "open_source", "hackathon", "publication", "international")
OC1_KINDS = ("founder_exec", "innovation", "patent", "product_led")
OC2_KINDS = ("open_source", "talk", "mentor", "community", "judge", "hackathon")
OC3_KINDS = ("tech_leadership", "commercial", "product_led")
OC4_KINDS = ("publication",)
_VENUE = compile_words(rules.MAJOR_VENUES)
_QUOTED = re.compile(r"[\"\u201c\u201d]")
_TEACHING = re.compile(r"\b(?:lecturer|teaching assistant|taught|tutor|course|module)\b", re.IGNORECASE)
_PAPER_SHAPE = re.compile(
    r"[\"\u201c][^\"\u201d]{8,}[\"\u201d]|\bet al\b|\bdoi\b|arxiv|\b(?:conference|workshop|symposium|journal|"
    r"proceedings|transactions|press)\b",
    re.IGNORECASE,
)
# Talks that are headline recognition (MC) rather than community work (OC2).
_HEADLINE_TALK = re.compile(r"keynote|invited|plenary|main stage|headline", re.IGNORECASE)
# An explicit open-source claim: "github" alone in a job bullet ("SSO with GitHub") is not open source.
_OPEN_SOURCE_CLAIM = re.compile(r"open[- ]source|maintainer|core contributor|committer|contributor to", re.IGNORECASE)


@dataclass
class Tally:
    """Points and the reasons for them, for one criterion."""

    points: float = 0
    facts: list[Fact] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def add(self, points: float, facts: list[Fact]) -> None:
        self.points += points
        for fact in facts:
            if all(fact is not f for f in self.facts):
                self.facts.append(fact)


def _quote(fact: Fact, kinds: tuple[str, ...]) -> EvidenceQuote:
    signals = [f"{_LABELS.get(k, k)} ('{fact.hits[k]}')" for k in kinds if k in fact.hits]
    signals += [f"number ({n})" for n in fact.numbers[:2]]
    return EvidenceQuote(quote=fact.text, signals=signals, year=fact.year if fact.year_stated else None)


def _assessment(code: str, tally: Tally, kinds: tuple[str, ...], documents: float) -> CriterionAssessment:
    """The status follows the guidance's evidence rule: a criterion is met with at least 2 documents
    (here: specific, allocated pieces of evidence), partly with 1, not at all with none. The score shows
    the strength of that evidence, inside the status band."""
    points = max(0, min(100, round(tally.points)))
    if documents >= rules.DOCUMENTS_PER_CRITERION:
        status, score = "strong", max(points, rules.STRONG_AT)
    elif documents >= 1:
        status, score = "partial", min(max(points, rules.PARTIAL_AT), rules.STRONG_AT - 1)
    else:
        status, score = "missing", min(points, rules.PARTIAL_AT - 1)
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


def profile_kinds() -> tuple[str, ...]:
    return MC_KINDS


# --- which sentences may support which criterion -----------------------------------------------------


def is_paper(fact: Fact) -> bool:
    """A publication an expert reviewed: a titled paper at a venue, not a date line under "Research"."""
    if fact.injected or fact.section in ("education", "skills") or not fact.has("publication"):
        return False
    if fact.has("judge") or fact.section == "summary" or _TEACHING.search(fact.text) or _EMAIL.search(fact.text):
        return False  # reviewing or chairing, a summary's restatement, a course taught: not a publication
    award, title = re.search(r"award|prize", fact.text, re.I), _QUOTED.search(fact.text)
    if award and (not title or award.start() < title.start()):
        return False  # "Best Paper Award, CHI 2023, for "Sonified Dashboards"": the award, not the paper
    return bool(_PAPER_SHAPE.search(fact.text) or _VENUE.search(fact.text)) and len(fact.text.split()) >= 5


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def _usable(fact: Fact) -> bool:
    # A line with an email address is the contact block (maybe glued to a heading by the PDF), not evidence.
    return (
        not fact.injected
        and not fact.has("weak")
        and fact.section not in ("skills", "certifications")
        and not _EMAIL.search(fact.text)
    )


def _oc2_fact(fact: Fact) -> bool:
    """Work beyond the day job: listed outside the job descriptions, specific, and really open source/talks/
    mentoring (an SSO bullet that mentions GitHub is not open source)."""
    if not _usable(fact) or not fact.specific or not fact.has(*OC2_KINDS):
        return False
    if fact.section == "experience":
        return False
    if set(fact.hits) & set(OC2_KINDS) == {"open_source"} and not (
        _OPEN_SOURCE_CLAIM.search(fact.text) or fact.section == "open_source"
    ):
        return False  # a profile link to GitHub, or "SSO with GitHub", is not open-source work
    return True


def _work_fact(fact: Fact) -> bool:
    return (
        _usable(fact)
        and fact.section in ("experience", "", "summary")
        and not fact.in_services_role
        and fact.specific
        and bool(fact.numbers)
        and fact.has(*OC3_KINDS)
    )


def _founder_role(fact: Fact) -> bool:
    return fact.role is not None and bool(matches_any(fact.role.title, rules.SIGNALS["founder_exec"]))


def _oc1_fact(fact: Fact, profile: CVProfile) -> bool:
    if not _usable(fact) or fact.in_services_role or not fact.specific:
        return False
    if _founder_role(fact) and fact.has("commercial") and fact.numbers:
        return True
    if fact.has("patent"):
        return True
    if fact.has("founder_exec"):
        role = fact.role
        if role is not None:  # the founder line of a role: recent while the role is (or ended lately)
            return role.dates.end_or_today(profile.today)[0] >= profile.today.year - rules.MC_EVIDENCE_MAX_AGE_YEARS
        return fact.is_recent(profile.today) or fact.year is None
    return fact.has("innovation")


def allocate(profile: CVProfile) -> dict[int, str]:
    """id(fact) -> the ONE criterion it supports: the strongest fit among the criteria that may use it."""
    mc_kind = {id(f): kind for f, kind in profile.recognition}
    claims = {
        "MC": {id(f) for f, _ in profile.recognition},
        "OC1": {id(f) for f in profile.facts if _oc1_fact(f, profile)},
        "OC2": {id(f) for f in profile.facts if _oc2_fact(f)},
        "OC3": {id(f) for f in profile.facts if _work_fact(f)},
        "OC4": {id(f) for f in profile.facts if is_paper(f)},
    }
    owner: dict[int, str] = {}

    def give(fact: Fact, order: tuple[str, ...]) -> None:
        for code in order:
            if id(fact) in claims[code]:
                owner[id(fact)] = code
                return

    flexible = []
    for fact in profile.facts:
        key = id(fact)
        kind = mc_kind.get(key)
        headline_talk = kind == "talk" and bool(_HEADLINE_TALK.search(fact.text))
        if key in claims["OC4"]:
            # A paper line is the paper (OC4), even when it mentions the award it won; the award has its own line.
            give(fact, ("OC4", "MC", "OC2"))
        elif kind in ("award", "press") or headline_talk:
            give(fact, ("MC", "OC4", "OC1", "OC2"))
        elif fact.has("patent"):
            give(fact, ("OC1", "MC"))
        elif kind is not None:
            flexible.append(fact)  # a talk, judging, adopted open source or a hackathon win: MC or OC2
        elif fact.has("open_source", "mentor", "community", "talk", "judge"):
            give(fact, ("OC2", "MC", "OC1", "OC3"))
        elif fact.has("founder_exec", "innovation") or (_founder_role(fact) and fact.has("commercial")):
            # A founder's company outcomes (the round raised, the product's reach) show OC1's innovation.
            give(fact, ("OC1", "OC3", "MC", "OC2"))
        else:
            give(fact, ("OC3", "OC1", "OC2", "MC"))
    # The mandatory criterion needs 2 documents first; further recognition is work beyond the day job (OC2).
    for fact in flexible:
        mc_documents = sum(_mc_documents(mc_kind.get(k), f) for f in profile.facts if owner.get(k := id(f)) == "MC")
        give(fact, ("MC", "OC2") if mc_documents < rules.DOCUMENTS_PER_CRITERION else ("OC2", "MC"))
    return owner


def _mc_documents(kind: str | None, fact: Fact) -> float:
    """Evidence documents one recognition item gives the MC: an award or press coverage brings two (the
    organiser's or outlet's own page and independent coverage of it); a meetup talk half of one."""
    if kind in ("award", "press"):
        return 2
    if kind == "talk" and matches_any(fact.text, rules.MINOR_TALK_WORDS):
        return 0.5
    return 1


_STEWARD = re.compile(r"maintainer|committer|approver|core contributor|creator|author of|pmc member", re.IGNORECASE)


def _adopted_open_source(fact: Fact) -> bool:
    return fact.has("open_source") and bool(_STEWARD.search(fact.text)) and bool(fact.numbers or fact.has_link)


def _owned(profile: CVProfile, owner: dict[int, str], code: str) -> list[Fact]:
    return [f for f in profile.facts if owner.get(id(f)) == code]


# --- the criteria --------------------------------------------------------------------------------------


def assess_mc(profile: CVProfile, owner: dict[int, str]) -> CriterionAssessment:
    today, tally = profile.today, Tally()
    mine = {id(f) for f in _owned(profile, owner, "MC")}
    recognition = [(f, kind) for f, kind in profile.recognition if id(f) in mine]
    recent_kinds, old_kinds, repeats = set(), set(), 0
    for fact, kind in recognition:
        minor = kind == "talk" and matches_any(fact.text, rules.MINOR_TALK_WORDS)
        if fact.is_recent(today):
            if kind in recent_kinds:
                repeats += 1  # sustained, not one-off: a little for each further item of a kind
            else:
                # One specific, dated, external item is real evidence (partial); several kinds make it strong.
                # A meetup talk is a start, not "sector-leading" recognition: half the points of a keynote.
                base = 30 if not recent_kinds else 22
                tally.add(base / 2 if minor else base, [fact])
                recent_kinds.add(kind)
                continue
            tally.add(0, [fact])
        else:
            tally.add(0 if kind in old_kinds | recent_kinds else 8, [fact])
            old_kinds.add(kind)
    tally.points += min(12, 4 * repeats)
    facts = [f for f, _ in recognition]
    if any(f.has("international") for f in facts):
        tally.points += 10
    if any(f.numbers for f in facts):
        tally.points += 8
    if not facts:
        tally.missing.append(
            "No specific external recognition found: press coverage, awards, invited talks, judging, or open "
            "source that others use - each named and dated. This is the most common reason for refusal."
        )
        if profile.unspecific_claims:
            tally.missing.append(
                "Claims such as awards or talks without a name, a date or a link were not counted: assessors "
                "can only check what is named."
            )
        return _assessment("MC", tally, MC_KINDS, 0)
    documents = sum(_mc_documents(kind, f) for f, kind in recognition if f.is_recent(today))
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
    if not any(f.has("international") for f in facts):
        tally.missing.append("Nothing shows recognition beyond one country (international events, press or users).")
    if profile.with_signal("weak"):
        tally.missing.append(
            "Internal awards, LinkedIn or Medium posts and training certificates are weak evidence and were not counted."
        )
    return _assessment("MC", tally, MC_KINDS, documents)


def assess_oc1(profile: CVProfile, owner: dict[int, str]) -> CriterionAssessment:
    tally = Tally()
    mine = _owned(profile, owner, "OC1")
    founders = [f for f in mine if f.has("founder_exec")]
    innovation = [f for f in mine if not f.has("founder_exec") and not f.has("patent")]
    patents = [f for f in mine if f.has("patent")]
    if founders:
        tally.add(35, founders[:2])
    else:
        tally.missing.append("No founder or senior executive role in a product-led company found.")
    if (founders or innovation) and profile.product_led:
        tally.add(15, [])
    if innovation:
        tally.add(20 + min(10, 5 * (len(innovation) - 1)), innovation)
    else:
        tally.missing.append("No new product, technique or field described (launched, built from scratch, invented).")
    if patents:
        tally.add(15, patents)
    outcomes = [f for f in innovation + founders if f.numbers]
    if outcomes:
        tally.add(15, outcomes)
    elif innovation or founders:
        tally.missing.append("The innovation has no numbers: add users, revenue, funding or adoption.")
    return _assessment("OC1", tally, OC1_KINDS, len(founders[:1]) + len(innovation) + len(patents))


def assess_oc2(profile: CVProfile, owner: dict[int, str]) -> CriterionAssessment:
    tally = Tally()
    points = {"open_source": 25, "talk": 25, "mentor": 15, "community": 12, "judge": 15, "hackathon": 10}
    mine = _owned(profile, owner, "OC2")
    found = set()
    for kind in OC2_KINDS:
        facts = [f for f in mine if f.has(kind) and all(f is not g for g in tally.facts)]
        if not facts:
            continue
        found.add(kind)
        minor = kind == "talk" and all(matches_any(f.text, rules.MINOR_TALK_WORDS) for f in facts)
        tally.add(points[kind] / (2 if minor else 1) + min(10, 5 * (len(facts) - 1)), facts)
        if kind == "open_source" and any(f.numbers or matches_any(f.text, (r"maintainer",)) for f in facts):
            tally.add(10, [])
    if not found:
        tally.missing.append(
            "No specific work outside the day job found: open source (with links), talks, mentoring or community "
            "work, each named and dated."
        )
    oss = [f for f in mine if f.has("open_source")]
    if oss and not any(f.has_link for f in oss):
        tally.missing.append("Open-source work has no links; assessors need to see the repositories.")
    if oss and not any(f.numbers for f in oss):
        tally.missing.append("Open-source work has no adoption numbers (stars, downloads, dependants).")
    dated = [f.year for f in tally.facts if f.year_stated]
    if dated and min(dated) >= profile.today.year - 1:
        tally.missing.append(
            "All of this activity is from the last year; contributions made only to time the application do not count."
        )
    # Open source that others adopt brings two documents: the repository and the record of its adoption.
    documents = sum(2 if _adopted_open_source(f) else 1 for f in tally.facts)
    return _assessment("OC2", tally, OC2_KINDS, documents)


def assess_oc3(profile: CVProfile, owner: dict[int, str]) -> CriterionAssessment:
    tally = Tally()
    quantified = _owned(profile, owner, "OC3")
    tally.add(min(60, 15 * len(quantified)), quantified)
    if any(matches_any(f.text, (r"led", r"architected", r"grew", r"owned", r"scaled")) for f in quantified):
        tally.add(15, [])
    if any(f.has("commercial") for f in quantified):
        tally.add(15, [])
    else:
        tally.missing.append("No commercial outcome stated (revenue, funding, growth, cost saved).")
    if profile.product_led:
        tally.add(10, [])
    else:
        tally.missing.append("No product-led digital company found: OC3 needs contributions in one.")
    work = [f for f in profile.facts if f.section in ("experience", "", "summary") and not f.injected]
    unquantified = [f for f in work if matches_any(f.text, rules.ACHIEVEMENT_VERBS) and not f.numbers]
    if unquantified:
        tally.missing.append(f"{len(unquantified)} achievement(s) have no number to show their size.")
    if any(r.org_kind == "services" for r in profile.roles) and not profile.product_led:
        # Delivery work for clients is the wrong discipline for OC3, however well it is described.
        tally.points = min(tally.points, 30)
        tally.missing.append("Contributions are in consultancy or client delivery, which usually does not count.")
    return _assessment("OC3", tally, OC3_KINDS, len(quantified))


def _first_author(fact: Fact, surname: str | None, lines: list[str]) -> bool:
    """The applicant's name comes first in the author list ("S. Iyer, N. Aletras. ..."), or the CV says so."""
    line = lines[fact.sentence.line_no] if fact.sentence.line_no < len(lines) else fact.text
    if matches_any(line, (r"first author", r"lead author")):
        return True
    first = re.split(r",|\band\b|\.\s+[\"\u201c\u201d]", line.lstrip("-*\u2022 "), maxsplit=1)[0]
    return bool(surname) and surname.lower() in first.lower()


def applicant_surname(profile: CVProfile) -> str | None:
    """The CV's first line is usually the applicant's name."""
    first = next((line.strip() for line in profile.text.split("\n") if line.strip()), "")
    words = first.split()
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not any(c.isdigit() for c in first):
        return words[-1]
    return None


def assess_oc4(profile: CVProfile, owner: dict[int, str]) -> CriterionAssessment:
    tally = Tally()
    papers = _owned(profile, owner, "OC4")
    major = [f for f in papers if _VENUE.search(f.text)]
    other = [f for f in papers if not _VENUE.search(f.text)]
    if major:
        tally.add(45 + min(30, 15 * (len(major) - 1)), major)
    if other:
        tally.add(min(30, 15 * len(other)), other)
    cited = [f for f in papers if matches_any(f.text, (r"cited", r"citations?"))]
    if cited:
        tally.points += 15
    surname = applicant_surname(profile)
    lines = profile.text.split("\n")
    if any(_first_author(f, surname, lines) for f in major):
        tally.points += 10
    if not papers:
        tally.missing.append("No published research found (papers in journals or conference proceedings).")
        listed = [f for f in profile.facts if f.section == "publications" and not f.injected]
        if listed:
            tally.missing.append(
                "Lines under your research heading name no paper or venue (a title, the journal or conference), "
                "so they do not count as publications."
            )
    elif not cited:
        tally.missing.append("Add citation counts or how the research is used.")
    endorsed = any(_first_author(f, surname, lines) or matches_any(f.text, (r"cited", r"citations?")) for f in major)
    return _assessment("OC4", tally, OC4_KINDS, len(papers) + (1 if endorsed else 0))


def assess_all(profile: CVProfile) -> list[CriterionAssessment]:
    owner = allocate(profile)
    return [
        assess_mc(profile, owner),
        assess_oc1(profile, owner),
        assess_oc2(profile, owner),
        assess_oc3(profile, owner),
        assess_oc4(profile, owner),
    ]


def readiness_score(criteria: list[CriterionAssessment], penalty: int) -> int:
    """MC carries 40%; the two best optional criteria 30% each (2 of 4 are needed); minus check penalties."""
    mc = next(c.score for c in criteria if c.code == "MC")
    best = sorted((c.score for c in criteria if c.code != "MC"), reverse=True)[: rules.OPTIONAL_CRITERIA_TO_MEET]
    raw = rules.SCORE_WEIGHT_MC * mc + rules.SCORE_WEIGHT_EACH_TOP_OC * sum(best)
    # A rubric reads claims, it cannot verify them: never tell anyone they are certain to succeed.
    return max(0, min(MAX_READINESS, round(raw) - penalty))
