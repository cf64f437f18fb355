"""The local (offline, deterministic) side of the pack's AI tools: criterion suggestions and letter checks."""

from __future__ import annotations

import itertools
import re
from datetime import date
from functools import cache

from ai_tools import rules as visa_rules
from ai_tools.providers.local.lexicon import ai_likeness
from ai_tools.providers.local.signals import compile_words, find_signals, quantities
from ai_tools.providers.local.text import split_sentences, word_count

from .. import rules
from ..similarity import compare, prepare
from .base import LetterInput, PackProvider
from .results import (
    CriterionSuggestion,
    LetterFinding,
    LetterPair,
    LetterReport,
    LettersReport,
    SetFinding,
    TextSegment,
)

# --- criterion suggestion -------------------------------------------------------------------------


@cache
def _kind_weights() -> dict[str, dict[str, int]]:
    """criterion -> {signal kind: weight}: a kind only one criterion uses weighs 2, a shared kind 1."""
    users: dict[str, int] = {}
    for criterion in rules.CRITERIA.values():
        for kind in criterion.signal_kinds:
            users[kind] = users.get(kind, 0) + 1
    return {
        code: {kind: 2 if users[kind] == 1 else 1 for kind in criterion.signal_kinds}
        for code, criterion in rules.CRITERIA.items()
    }


def sentences_of(text: str) -> list[str]:
    return [s for line in text.split("\n") if line.strip() for s in split_sentences(line)]


def _score(sentence: str) -> dict[str, int]:
    kinds = {hit.kind for hit in find_signals(sentence)}
    scores = {code: sum(w for kind, w in weights.items() if kind in kinds) for code, weights in _kind_weights().items()}
    for code, cues in rules.CRITERION_CUES.items():
        if compile_words(cues).search(sentence):
            scores[code] += 2
    return scores


def suggest_criterion_local(*, title: str, proves: str, text: str, engine: str = "local") -> CriterionSuggestion:
    totals = dict.fromkeys(rules.CRITERIA, 0)
    best_sentence: dict[str, tuple[int, str]] = {}
    # What the applicant says the document proves counts double: it is their own summary of it.
    for weight, source, quotable in ((2, f"{title}. {proves}", False), (1, text, True)):
        for sentence in sentences_of(source):
            for code, score in _score(sentence).items():
                totals[code] += weight * score
                if quotable and score and score > best_sentence.get(code, (0, ""))[0]:
                    best_sentence[code] = (score, sentence)
    ranked = sorted(totals.items(), key=lambda item: (-item[1], list(rules.CRITERIA).index(item[0])))
    (code, top), (runner_up, second) = ranked[0], ranked[1]
    if top == 0:
        return CriterionSuggestion(
            criterion=None,
            confidence="low",
            quote="",
            reasons=["Nothing in the text points to one criterion: choose it yourself from what the document proves."],
            engine=engine,
        )
    confidence = "high" if top >= 3 and top >= 2 * second else "medium" if top > second else "low"
    reasons = [f"{rules.CRITERIA[code].name}: {rules.CRITERIA[code].summary}"]
    if second:
        reasons.append(f"It could also read as {runner_up}; a document may support only one criterion.")
    return CriterionSuggestion(
        criterion=code,
        confidence=confidence,
        quote=best_sentence.get(code, (0, ""))[1],
        reasons=reasons,
        engine=engine,
    )


# --- letters --------------------------------------------------------------------------------------

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTH_ABBR = {m[:3]: i for i, m in enumerate(_MONTHS.split("|"), start=1)}
_DATE_PATTERNS = (
    re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS}|{'|'.join(_MONTH_ABBR)})\.?,?\s+((?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b({_MONTHS}|{'|'.join(_MONTH_ABBR)})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.I),
    re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"),
    re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b"),
)


def letter_dates(text: str) -> list[date]:
    """Full dates written in the letter (day, month and year), in the common British and ISO forms."""
    found = []
    for index, pattern in enumerate(_DATE_PATTERNS):
        for m in pattern.finditer(text):
            try:
                if index == 0:
                    found.append(date(int(m[3]), _MONTH_ABBR[m[2][:3].lower()], int(m[1])))
                elif index == 1:
                    found.append(date(int(m[3]), _MONTH_ABBR[m[1][:3].lower()], int(m[2])))
                elif index == 2:
                    found.append(date(int(m[1]), int(m[2]), int(m[3])))
                else:
                    found.append(date(int(m[3]), int(m[2]), int(m[1])))
            except ValueError:
                continue
    return found


def ai_phrasing_hits(text: str) -> list[str]:
    """Phrases of AI-written or templated text found in ``text`` (as written), from the statement coach's lexicon."""
    return [hit.phrase for hit in ai_likeness(text).hits]


def _ai_phrasing_finding(text: str) -> LetterFinding:
    """The statement coach's AI-likeness verdict, worded for a letter someone else wrote."""
    likeness = ai_likeness(text)
    phrases = list(dict.fromkeys(hit.phrase for hit in likeness.hits))
    shown = ", ".join(f"“{p}”" for p in phrases[:6])
    if likeness.verdict == "reads_as_ai":
        message = (
            f"Reads as AI-written or templated ({'; '.join(likeness.reasons[:2])}) Assessors screen for this: ask "
            "the writer to say in their own words what they saw you do."
        )
    elif phrases:
        message = f"A few stock phrases ({shown}); otherwise reads as the writer's own words."
    else:
        message = "No AI-style or stock phrasing found."
    return _finding("ai_phrasing", likeness.verdict != "reads_as_ai", message, phrases)


_SPECIFIC_KINDS = (
    "tech_leadership",
    "innovation",
    "open_source",
    "talk",
    "publication",
    "award",
    "commercial",
    "patent",
    "founder_exec",
    "mentor",
    "judge",
)


def _is_specific(sentence: str) -> bool:
    """A sentence that names work and what came of it: a number, a recognised kind of work, or an achievement verb."""
    return bool(
        quantities(sentence)
        or find_signals(sentence, _SPECIFIC_KINDS)
        or compile_words(visa_rules.ACHIEVEMENT_VERBS + rules.LETTER_WORK_VERBS).search(sentence)
    )


def _finding(code: str, passed: bool, message: str, quotes: list[str] | None = None) -> LetterFinding:
    return LetterFinding(code=code, passed=passed, message=message, quotes=quotes or [])


def check_letter(letter: LetterInput, *, today: date) -> LetterReport:
    text = letter.text
    sentences = sentences_of(text)
    words = word_count(text)
    findings = []
    months_ok = letter.months_known >= rules.RECOMMENDER_MIN_MONTHS_KNOWN
    findings.append(
        _finding(
            "months_known",
            months_ok,
            f"Has known your work for {letter.months_known} months"
            + ("." if months_ok else f": the guidance asks for at least {rules.RECOMMENDER_MIN_MONTHS_KNOWN}."),
        )
    )
    missing = [label for label, value in (("email", letter.email), ("phone", letter.phone)) if not value.strip()]
    findings.append(
        _finding(
            "contacts",
            not missing,
            "Email and phone are given." if not missing else f"Add the writer's {' and '.join(missing)}.",
        )
    )
    specific = [s for s in sentences if _is_specific(s)]
    findings.append(
        _finding(
            "specific_work",
            len(specific) >= 2,
            f"Names specific work with its results ({len(specific)} sentences)."
            if len(specific) >= 2
            else "Name at least two pieces of your work and what they achieved (with numbers): generic praise "
            "is what refusals call a letter that does not evidence the criteria.",
            specific[:3],
        )
    )
    how = [s for s in sentences if compile_words(rules.LETTER_HOW_KNOWN_WORDS).search(s)]
    findings.append(
        _finding(
            "how_known",
            bool(how),
            "Says how the writer knows your work." if how else "Say how and since when the writer knows your work.",
            how[:1],
        )
    )
    addressed = [s for s in sentences if compile_words(rules.LETTER_ADDRESSEE_WORDS).search(s)]
    findings.append(
        _finding(
            "addressed",
            bool(addressed),
            "Written for this application (names the endorsement)."
            if addressed
            else "Address it to Tech Nation / the Global Talent endorsement, so it reads as written for this application.",
            addressed[:1],
        )
    )
    dates = [d for d in letter_dates(text) if d <= today]
    latest = max(dates, default=None)
    recent = latest is not None and (today - latest).days <= rules.LETTER_MAX_AGE_DAYS
    findings.append(
        _finding(
            "dated",
            recent,
            f"Dated {latest:%-d %B %Y}."
            if recent
            else (
                f"Dated {latest:%-d %B %Y}: ask for a letter dated within the last six months."
                if latest
                else "No date found: a letter written for this application carries its date."
            ),
        )
    )
    length_ok = rules.LETTER_MIN_WORDS <= words <= rules.LETTER_MAX_WORDS
    findings.append(
        _finding(
            "length",
            length_ok,
            f"{words} words."
            if length_ok
            else f"{words} words: aim for {rules.LETTER_MIN_WORDS}–{rules.LETTER_MAX_WORDS} (about one to two pages).",
        )
    )
    findings.append(_ai_phrasing_finding(text))
    return LetterReport(position=letter.position, recommender=letter.name, word_count=words, findings=findings)


def templating_pairs(texts: list[str], *, positions: list[int] | None = None) -> list[LetterPair]:
    positions = positions or list(range(1, len(texts) + 1))
    prepared = [prepare(text) for text in texts]  # tokenise each letter once, not once per pair
    pairs = []
    for (i, a), (j, b) in itertools.combinations(list(enumerate(prepared)), 2):
        similarity = compare(a, b)
        pairs.append(
            LetterPair(
                first=positions[i],
                second=positions[j],
                score=similarity.score,
                templated=similarity.score >= rules.LETTERS_TEMPLATING_THRESHOLD,
                passages=similarity.passages,
                segments_first=[TextSegment(text=s.text, shared=s.shared) for s in similarity.segments_a],
                segments_second=[TextSegment(text=s.text, shared=s.shared) for s in similarity.segments_b],
            )
        )
    return pairs


def _organisation_key(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", name.lower())
    return " ".join(w for w in words if w not in {"ltd", "limited", "plc", "inc", "llc", "gmbh", "sas", "the", "uk"})


def check_letter_set(letters: list[LetterInput], *, today: date, engine: str = "local") -> LettersReport:
    required = rules.RECOMMENDATION_LETTERS_REQUIRED
    pairs = templating_pairs([letter.text for letter in letters], positions=[letter.position for letter in letters])
    organisations = {_organisation_key(letter.organisation) for letter in letters}
    all_managers = len(letters) > 1 and all(letter.relationship == "line_manager" for letter in letters)
    templated = [p for p in pairs if p.templated]
    set_findings = [
        SetFinding(
            code="count",
            passed=len(letters) == required,
            message=f"{len(letters)} of {required} letters."
            + ("" if len(letters) == required else f" The guidance asks for exactly {required}."),
        ),
        SetFinding(
            code="not_all_line_managers",
            passed=not all_managers,
            message="Not all from line managers."
            if not all_managers
            else "All letters are from line managers: refusals cite this. Replace one with a peer, client, "
            "investor, academic or community figure who knows your work.",
        ),
        SetFinding(
            code="not_one_organisation",
            passed=len(letters) < 2 or len(organisations) > 1,
            message="From more than one organisation."
            if len(letters) < 2 or len(organisations) > 1
            else "All letters come from one organisation: ask someone outside it.",
        ),
        SetFinding(
            code="templating",
            passed=not templated,
            message="No pair of letters shares passages."
            if not templated
            else "Templating is evident: "
            + "; ".join(
                f"letters {p.first} and {p.second} share {round(p.score * 100)}% of their wording" for p in templated
            )
            + ". Ask each writer to write in their own words about what they saw.",
        ),
    ]
    return LettersReport(
        letters=[check_letter(letter, today=today) for letter in letters],
        set_findings=set_findings,
        pairs=pairs,
        threshold=rules.LETTERS_TEMPLATING_THRESHOLD,
        templated=bool(templated),
        engine=engine,
    )


class LocalPackProvider(PackProvider):
    name = "local"

    def suggest_criterion(self, *, title: str, proves: str, text: str) -> CriterionSuggestion:
        return suggest_criterion_local(title=title, proves=proves, text=text)

    def check_letters(self, letters: list[LetterInput], *, applicant: str, today: date) -> LettersReport:
        return check_letter_set(letters, today=today)
