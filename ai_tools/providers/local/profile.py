"""Everything the rubric needs from a CV, computed once: sentences with their signals, roles, dates."""

from dataclasses import dataclass, field
from datetime import date

from ai_tools import rules
from ai_tools.results import ParsedCV

from .dates import years_in
from .roles import Role, context_years, roles_from_parsed
from .sections import cv_sentences
from .signals import find_signals, has_url, matches_any, quantities
from .text import Sentence

# Recognition that counts for the mandatory criterion, when the sentence qualifies (see _recognition_kind).
RECOGNITION_KINDS = ("award", "talk", "press", "judge", "patent", "open_source", "hackathon", "publication")
# A line under a "Talks" heading is a talk even when it only says "PyCon UK 2023 - Scaling Django".
SECTION_IMPLIES = {
    "talks": "talk",
    "awards": "award",
    "press": "press",
    "publications": "publication",
    "open_source": "open_source",
    "patents": "patent",
    "community": "community",
}


@dataclass(frozen=True)
class Fact:
    """One sentence of the CV and what it shows."""

    sentence: Sentence
    hits: dict[str, str]  # signal kind -> phrase as written
    numbers: list[str]
    year: int | None  # latest year in the sentence, else the year of the role it sits under
    year_stated: bool  # True when the sentence itself names the year
    has_link: bool

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def section(self) -> str:
        return self.sentence.section

    def has(self, *kinds: str) -> bool:
        return any(k in self.hits for k in kinds)

    def is_recent(self, today: date) -> bool:
        return self.year is not None and self.year >= today.year - rules.MC_EVIDENCE_MAX_AGE_YEARS


@dataclass
class CVProfile:
    text: str
    today: date
    facts: list[Fact]
    sections_found: list[str]
    roles: list[Role]
    undated_roles: list[str]
    page_count: int
    pages_estimated: bool
    parsed: ParsedCV
    recognition: list[tuple[Fact, str]] = field(default_factory=list)  # (fact, recognition kind)

    def with_signal(self, *kinds: str) -> list[Fact]:
        return [f for f in self.facts if f.has(*kinds)]

    @property
    def product_led(self) -> bool:
        return any(f.has("product_led") for f in self.facts)


def _recognition_kind(fact: Fact) -> str | None:
    """Which external recognition a sentence shows, if any. Weak evidence (internal awards...) never counts."""
    if fact.has("weak"):
        return None
    for kind in ("award", "press", "judge", "patent", "talk"):
        if fact.has(kind):
            return kind
    if fact.has("hackathon") and matches_any(
        fact.text, (r"won", r"winner", r"1st", r"first place", r"prize", r"award")
    ):
        return "hackathon"
    # Open source is recognition when others use it: stars, downloads, being a maintainer.
    adoption = fact.numbers and matches_any(fact.text, (r"stars", r"downloads", r"installs", r"dependen\w+", r"users"))
    if fact.has("open_source") and (adoption or matches_any(fact.text, (r"maintainer", r"core contributor"))):
        return "open_source"
    if fact.has("publication") and (
        fact.section == "publications" or matches_any(fact.text, (r"cited", r"citations?"))
    ):
        return "publication"
    return None


def build_profile(text: str, *, parsed: ParsedCV, today: date, page_count: int, pages_estimated: bool) -> CVProfile:
    lines = text.split("\n")
    sentences, found = cv_sentences(text)
    roles, undated = roles_from_parsed(parsed)
    role_years = context_years(lines, roles, today)
    facts = []
    for sentence in sentences:
        # "Proceedings of ACM RecSys, 2019. Cited 140 times.": the second sentence is from 2019 too.
        stated = years_in(sentence.text, today) or years_in(lines[sentence.line_no], today)
        hits = {h.kind: h.phrase for h in find_signals(sentence.text)}
        implied = SECTION_IMPLIES.get(sentence.section)
        if implied and not any(k in hits for k in (*RECOGNITION_KINDS, "weak", "mentor", "community")):
            hits[implied] = f"listed under {sentence.section.replace('_', ' ')}"
        facts.append(
            Fact(
                sentence=sentence,
                hits=hits,
                numbers=quantities(sentence.text),
                year=max(stated) if stated else role_years.get(sentence.line_no),
                year_stated=bool(stated),
                has_link=has_url(sentence.text),
            )
        )
    profile = CVProfile(
        text=text,
        today=today,
        facts=facts,
        sections_found=found,
        roles=roles,
        undated_roles=undated,
        page_count=page_count,
        pages_estimated=pages_estimated,
        parsed=parsed,
    )
    # The summary restates what the sections list: counting it too would double the recognition.
    profile.recognition = [(f, kind) for f in facts if f.section != "summary" and (kind := _recognition_kind(f))]
    return profile
