"""Everything the rubric needs from a CV, computed once: sentences with their signals, roles, dates,
and whether each sentence is *specific* evidence (a named thing with a date, number or link)."""

import re
from dataclasses import dataclass, field
from datetime import date

from ai_tools import rules
from ai_tools.results import ParsedCV

from .dates import years_in
from .roles import Role, context_years, roles_from_parsed
from .sections import cv_sentences
from .signals import compile_words, find_signals, has_url, matches_any, quantities
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
# Capitalised words that name nothing checkable: generic technology, headings, sentence glue.
_NOT_NAMES = {
    *"i a an the in at on for and of to by with from my our we as is was it this that".split(),
    *"ai ml api apis saas paas cloud blockchain web3 crypto iot llm llms genai nlp devops mlops agile scrum".split(),
    *"award awards conference conferences summit summits keynote speaker speakers international global".split(),
    *"industry leading leader leaders expert experts innovation innovative technology technologies".split(),
    *"digital data software engineer engineering team teams company companies startup startups".split(),
    *"ceo cto cpo vp head senior lead principal staff chief officer founder co-founder".split(),
    *"uk us usa eu europe world worldwide".split(),
}
_CAPITALISED = re.compile(r"(?<![\w'-])([A-Z][\w&+.-]*[A-Za-z0-9])")
_QUOTED_TITLE = re.compile(r"[\"\u201c][^\"\u201d]{6,}[\"\u201d]")
_INTERNAL = compile_words(rules.INTERNAL_RECOGNITION_WORDS)
_NON_TECH_TOPIC = compile_words(rules.NON_TECH_TOPIC_WORDS)
_TECH_TOPIC = compile_words(rules.TECH_CONTEXT_WORDS + rules.TECH_ROLE_WORDS)
_GENERIC = compile_words(rules.GENERIC_CLAIM_WORDS)
_INJECTION = compile_words(rules.INJECTION_PATTERNS)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def named_things(text: str) -> list[str]:
    """Proper names in a sentence (PyCon UK, Monzo, TechCrunch), not the first word and not generic terms."""
    names = []
    for m in _CAPITALISED.finditer(text):
        word = m.group(1)
        if m.start() == 0 or word.lower().strip(".") in _NOT_NAMES:
            continue
        names.append(word)
    if _QUOTED_TITLE.search(text):
        names.append(_QUOTED_TITLE.search(text).group(0))
    return names


@dataclass(frozen=True)
class Fact:
    """One sentence of the CV and what it shows."""

    sentence: Sentence
    hits: dict[str, str]  # signal kind -> phrase as written
    numbers: list[str]
    year: int | None  # latest year in the sentence, else the year of the role it sits under
    year_stated: bool  # True when the sentence itself names the year
    has_link: bool
    names: tuple[str, ...] = ()  # named, checkable things in the sentence
    role: Role | None = None  # the role the sentence is listed under, if any
    generic_words: int = 0  # "cutting-edge", "world-class", "numerous"...
    injected: bool = False  # an instruction to an AI: treated as text, never as evidence

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

    @property
    def specific(self) -> bool:
        """Evidence an assessor can check: something named, plus a date, a number or a link, and not
        padded with generic claims. Keyword density without specifics earns nothing."""
        if self.injected or self.generic_words >= 2:
            return False
        # A job bullet is named by its role's organisation ("Built X ..." under "Engineer, Monzo").
        named = bool(self.names) or bool(self.role and self.role.organisation)
        return named and (self.year_stated or bool(self.numbers) or self.has_link)

    @property
    def in_services_role(self) -> bool:
        return self.role is not None and self.role.org_kind == "services"


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
        return [f for f in self.facts if f.has(*kinds) and not f.injected]

    @property
    def product_led(self) -> bool:
        if any(r.org_kind == "product" for r in self.roles):
            return True
        return any(f.has("product_led") and not f.in_services_role for f in self.facts if not f.injected)

    @property
    def unspecific_claims(self) -> list[Fact]:
        """Sentences that claim recognition or impact but name nothing checkable."""
        kinds = (*RECOGNITION_KINDS, "founder_exec", "innovation", "mentor", "community")
        headers = {r.line_no for r in self.parsed.roles}
        return [
            f
            for f in self.facts
            if not f.injected
            and f.section not in ("skills", "")  # "" is the contact block above the first heading
            and f.sentence.line_no not in headers
            and len(f.text.split()) >= 5
            and not f.specific
            and (f.has(*kinds) or f.generic_words >= 2)
        ]


def is_tech_topic(text: str) -> bool:
    """Recognition must be for digital technology: a nursing award is not tech recognition."""
    return bool(_TECH_TOPIC.search(text)) or not _NON_TECH_TOPIC.search(text)


def _recognition_kind(fact: Fact) -> str | None:
    """Which external recognition a sentence shows, if any. Weak, internal, unspecific or non-tech items
    never count."""
    if fact.injected or fact.has("weak") or _INTERNAL.search(fact.text) or not fact.specific:
        return None
    if _EMAIL.search(fact.text):
        return None  # the contact block, maybe glued to a heading by the PDF: not evidence
    if not is_tech_topic(fact.text):
        return None
    for kind in ("award", "press", "judge", "patent"):
        if fact.has(kind):
            return kind
    if fact.has("talk") and fact.section != "experience":
        return "talk"
    if fact.has("hackathon") and matches_any(
        fact.text, (r"won", r"winner", r"1st", r"first place", r"prize", r"award")
    ):
        return "hackathon"
    # Open source is recognition when others use it: stars, downloads, being a maintainer.
    adoption = fact.numbers and matches_any(fact.text, (r"stars", r"downloads", r"installs", r"dependen\w+", r"users"))
    if fact.has("open_source") and (adoption or matches_any(fact.text, (r"maintainer", r"core contributor"))):
        return "open_source"
    if fact.has("publication") and matches_any(fact.text, (r"cited", r"citations?")):
        return "publication"
    return None


def _role_by_line(roles: list[Role], line_count: int, lines: list[str]) -> dict[int, Role]:
    from .sections import heading_key

    by_line = {}
    placed = sorted((r for r in roles if r.line_no is not None), key=lambda r: r.line_no)
    for index, role in enumerate(placed):
        stop = placed[index + 1].line_no if index + 1 < len(placed) else line_count
        for line_no in range(role.line_no, stop):
            if line_no > role.line_no and heading_key(lines[line_no]):
                break
            by_line[line_no] = role
    return by_line


def build_profile(text: str, *, parsed: ParsedCV, today: date, page_count: int, pages_estimated: bool) -> CVProfile:
    lines = text.split("\n")
    sentences, found = cv_sentences(text)
    roles, undated = roles_from_parsed(parsed)
    role_years = context_years(lines, roles, today)
    role_at = _role_by_line(roles, len(lines), lines)
    injected_lines = {i for i, line in enumerate(lines) if _INJECTION.search(line)}
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
                names=tuple(named_things(sentence.text)),
                role=role_at.get(sentence.line_no),
                generic_words=len(_GENERIC.findall(sentence.text)),
                injected=sentence.line_no in injected_lines,
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
