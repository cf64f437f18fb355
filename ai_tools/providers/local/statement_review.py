"""Coach a pasted Personal Statement: limits, required elements, criteria, claims, clichés, edits + diff.

The suggested edits only remove filler or ask for a fact ("[Add: ...]"); they never write content
the applicant has not given, because the submitted statement must be their own words.
"""

import re

from ai_tools import rules
from ai_tools.results import CVAnalysis, ElementCheck, FlaggedSentence, StatementReview, SuggestedEdit

from .diffing import apply_edits, unified_sentence_diff, word_diff
from .signals import compile_words, find_signals, has_url, quantities
from .text import split_sentences, word_count

_ADVICE = {
    "why_uk": "Say why the UK specifically: its market, ecosystem, partners or people you will work with.",
    "occupation": "Say what you plan to do in the UK: the role, the company you will join or the one you will start.",
    "where_in_uk": "Say where in the UK you plan to live and work (city or region).",
    "benefit": "Say how your work will benefit the UK digital technology sector, with specifics (jobs, products, "
    "skills, communities).",
    "criteria": "Show how you meet the mandatory criterion and two optional criteria, and point to the evidence.",
}
# Criterion detection in prose: these signal kinds, in a sentence, show the criterion is being argued.
_CRITERION_SIGNALS = {
    "MC": ("award", "press", "judge", "talk"),
    "OC1": ("founder_exec", "innovation", "patent"),
    "OC2": ("open_source", "mentor", "community", "hackathon"),
    "OC3": ("commercial", "tech_leadership"),
    "OC4": ("publication",),
}
_EXPLICIT = {
    "MC": r"mandatory criterion|\bmc\b",
    "OC1": r"\boc ?1\b|optional criterion (?:1|one)|innovation criterion",
    "OC2": r"\boc ?2\b|optional criterion (?:2|two)|beyond (?:my )?occupation",
    "OC3": r"\boc ?3\b|optional criterion (?:3|three)|significant (?:technical |commercial )?contributions?",
    "OC4": r"\boc ?4\b|optional criterion (?:4|four)|academic contributions?",
}
EVIDENCE_PLACEHOLDER = "[Add: evidence for '{phrase}' - a number, a named award or a link]"


def statement_sentences(text: str) -> list[str]:
    return [s for line in text.split("\n") for s in split_sentences(line)]


def _elements(sentences: list[str], covered: list[str], analysis: CVAnalysis | None) -> list[ElementCheck]:
    checks = []
    for code, (label, patterns) in rules.STATEMENT_ELEMENTS.items():
        pattern = re.compile("|".join(patterns), re.IGNORECASE)
        sentence = next((s for s in sentences if pattern.search(s)), None)
        present = bool(sentence)
        advice = None if sentence else _ADVICE[code]
        if code == "criteria" and not sentence and covered:
            present = True  # argued without naming them
            advice = f"The statement argues {', '.join(covered)} without naming them; name each criterion."
        if code == "criteria":
            optional = [c for c in covered if c != "MC"]
            if present and (len(optional) < rules.OPTIONAL_CRITERIA_TO_MEET or "MC" not in covered):
                advice = (
                    advice + " " if advice else ""
                ) + f"The statement covers {', '.join(covered) or 'no criterion'}; it needs MC and two of OC1-OC4."
            if analysis and analysis.criteria:
                best = sorted((c for c in analysis.criteria if c.code != "MC"), key=lambda c: -c.score)[:2]
                missed = [c.code for c in best if c.code not in covered and c.status != "missing"]
                if missed:
                    advice = (advice + " " if advice else "") + (
                        f"Your CV analysis is strongest on {' and '.join(c.code for c in best)}; the statement does "
                        f"not argue {', '.join(missed)} yet."
                    )
        checks.append(ElementCheck(code=code, label=label, present=present, sentence=sentence, advice=advice))
    return checks


def _criteria_covered(sentences: list[str]) -> list[str]:
    covered = []
    for code, kinds in _CRITERION_SIGNALS.items():
        explicit = re.compile(_EXPLICIT[code], re.IGNORECASE)
        for sentence in sentences:
            hits = {h.kind for h in find_signals(sentence, kinds)}
            # OC3 is about the size of a contribution: leadership words alone are not an argument.
            by_signal = bool(hits) and (code != "OC3" or bool(quantities(sentence)))
            if explicit.search(sentence) or by_signal:
                covered.append(code)
                break
    return covered


def _claims(sentences: list[str]) -> list[FlaggedSentence]:
    pattern = compile_words(rules.UNSUPPORTED_CLAIM_WORDS)
    flagged = []
    for sentence in sentences:
        m = pattern.search(sentence)
        if m and not quantities(sentence) and not has_url(sentence):
            flagged.append(
                FlaggedSentence(
                    sentence=sentence,
                    phrase=m.group(0),
                    reason=f"'{m.group(0)}' is a claim without a number, a named award or a link to support it.",
                )
            )
    return flagged


def _cliches(sentences: list[str]) -> list[FlaggedSentence]:
    flagged = []
    for sentence in sentences:
        for phrase, _replacement, why in rules.CLICHES:
            m = re.search(phrase, sentence, re.IGNORECASE)
            if m:
                flagged.append(FlaggedSentence(sentence=sentence, phrase=m.group(0), reason=why))
    return flagged


def _rewrite(sentence: str, claim_phrase: str | None) -> str:
    """The sentence with clichés replaced (or removed) and an evidence request after a bare claim."""
    new = sentence
    for phrase, replacement, _why in rules.CLICHES:
        new = re.sub(phrase, replacement, new, flags=re.IGNORECASE)
    new = re.sub(r"\s{2,}", " ", new).strip(" ,")
    if len(re.findall(r"\w+", new)) < 4:
        return ""  # nothing left but filler: suggest deleting the sentence
    new = new[0].upper() + new[1:]
    if claim_phrase and claim_phrase.lower() in new.lower() and "[Add:" not in new:
        end = len(new.rstrip(".!?"))
        new = new[:end] + " " + EVIDENCE_PLACEHOLDER.format(phrase=claim_phrase) + new[end:]
    return new


def _edits(sentences: list[str], claims: list[FlaggedSentence], cliches: list[FlaggedSentence]) -> list[SuggestedEdit]:
    claim_by_sentence = {c.sentence: c for c in claims}
    cliche_by_sentence: dict[str, list[FlaggedSentence]] = {}
    for c in cliches:
        cliche_by_sentence.setdefault(c.sentence, []).append(c)
    edits = []
    for sentence in dict.fromkeys(sentences):  # each distinct sentence once, in order
        claim, found = claim_by_sentence.get(sentence), cliche_by_sentence.get(sentence, [])
        if not claim and not found:
            continue
        suggested = _rewrite(sentence, claim.phrase if claim else None)
        if suggested == sentence:
            continue
        reasons = [c.reason for c in found] + ([claim.reason] if claim else [])
        edits.append(SuggestedEdit(original=sentence, suggested=suggested, reason=" ".join(dict.fromkeys(reasons))))
    return edits


def review(draft: str, cv_analysis: CVAnalysis | None) -> StatementReview:
    text = draft.replace("\r\n", "\n").strip()
    sentences = statement_sentences(text)
    count = word_count(text)
    covered = _criteria_covered(sentences)
    claims = _claims(sentences)
    cliches = _cliches(sentences)
    edits = _edits(sentences, claims, cliches)
    revised = apply_edits(text, edits)
    return StatementReview(
        word_count=count,
        word_limit=rules.STATEMENT_MAX_WORDS,
        over_limit=count > rules.STATEMENT_MAX_WORDS,
        elements=_elements(sentences, covered, cv_analysis),
        criteria_covered=covered,
        unsupported_claims=claims,
        generic_phrases=cliches,
        suggested_edits=edits,
        revised_text=revised,
        diff=word_diff(text, revised),
        unified_diff=unified_sentence_diff(text, revised),
        notice=rules.AI_CONTENT_WARNING,
        engine="local",
    )
