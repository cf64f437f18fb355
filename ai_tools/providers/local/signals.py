"""Signals in CV and statement sentences: keyword groups from rules.SIGNALS, numbers, negation.

Matching is sentence-level and "negation-light": a keyword preceded within a few words by
"no", "not", "never"... ("no awards yet") does not count.
"""

import re
from dataclasses import dataclass
from functools import cache

from ai_tools import rules

# Numbers that make a claim checkable: %, money, multipliers, counts of users/customers/stars...
QUANTITY = re.compile(
    r"(?:[£$€]\s?\d[\d,.]*\s?(?:million|billion|thousand|bn|k|m)?\b"
    r"|\b\d[\d,.]*\s?%"
    r"|\b\d+(?:\.\d+)?\s?x\b|\bx\s?\d+\b"
    r"|\b\d[\d,.]*\s?(?:ms|milliseconds|seconds|minutes|hours|days|weeks)\b"
    r"|\b\d[\d,.]*\s?(?:million|billion|thousand|bn|k|m)\b\+?(?:\s+[a-z]+)?"
    r"|\b\d[\d,]*\+?\s+(?:[a-z-]+\s){0,2}(?:users|customers|clients|downloads|installs|stars|developers|engineers|people"
    r"|requests|transactions|merchants|members|attendees|companies|countries|teams|contributors|citations|"
    r"subscribers|students|mentees|repositories|projects|services|markets|cities|hospitals|banks|employees|"
    r"forks|followers|papers|talks|patents|reports|million|startups|businesses|pull requests|prs|sites|stores|"
    r"orders|predictions|payments|apps|products|devices|patients|tickets|jobs|pipelines|models|messages|events|"
    r"queries|sessions|visits|visitors|copies|players|games|drivers|riders|partners|countries|repos|packages|"
    r"researchers|scientists|designers|analysts|staff|reports|direct reports|squads)"
    # A grouped figure (180,000) or a data volume (2 PB) is a number an assessor can check.
    r"|\b\d{1,3}(?:,\d{3})+\b|\b\d[\d.]*\s?(?:tb|pb|gb)\b"
    r"|\b\d[\d,.]*\s+(?:[a-z-]+\s){0,2}(?:a|per)\s(?:second|minute|hour|day|week|month|year)\b)",
    re.IGNORECASE,
)
URL = re.compile(r"(?:https?://|www\.|github\.com/|gitlab\.com/|\b[a-z0-9-]+\.(?:io|dev|com|org|co\.uk|ai)/)\S*", re.I)


@dataclass(frozen=True)
class SignalHit:
    kind: str
    phrase: str  # the text that matched, as written


@cache
def _pattern(kind: str) -> re.Pattern:
    return compile_words(rules.SIGNALS[kind])


@cache
def compile_words(words: tuple[str, ...]) -> re.Pattern:
    # A hyphen joins words here: "product-led" must not match "led", nor "non-profit" match "profit".
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)


def is_negated(text: str, start: int) -> bool:
    before = re.findall(r"[a-z']+", text[:start].lower())[-rules.NEGATION_WINDOW_WORDS :]
    return any(word in rules.NEGATION_WORDS for word in before)


def find_signals(text: str, kinds: tuple[str, ...] | None = None) -> list[SignalHit]:
    """Every non-negated signal in the sentence, at most one hit per kind (the first)."""
    hits = []
    for kind in kinds or tuple(rules.SIGNALS):
        for m in _pattern(kind).finditer(text):
            if not is_negated(text, m.start()):
                hits.append(SignalHit(kind, m.group(0)))
                break
    return hits


def quantities(text: str) -> list[str]:
    """Numbers with their unit; years and dates are not quantities."""
    return [
        m.group(0).strip() for m in QUANTITY.finditer(text) if not re.fullmatch(r"(?:19|20)\d\d", m.group(0).strip())
    ]


def has_url(text: str) -> bool:
    return bool(URL.search(text))


def matches_any(text: str, words: tuple[str, ...]) -> str | None:
    m = compile_words(words).search(text)
    return m.group(0) if m else None
