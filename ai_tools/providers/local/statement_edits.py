"""Suggested edits the applicant can accept one by one, and the checker every edit must pass.

An edit either (1) removes or swaps a stock word in place when the sentence stays grammatical, (2) adds a
whole bracketed note after a complete sentence ("[Add: evidence ...]"), (3) replaces a sentence that
cannot be saved with a whole bracketed note, or (4) deletes filler or a repeat. A placeholder never sits
inside a clause, and nothing the applicant did not write is added as a fact.
"""

import re

from ai_tools.results import FlaggedSentence, SuggestedEdit

from .diffing import word_diff
from .lexicon import PhraseHit, find_phrases, paragraphs_of, repeated_paragraphs, repeated_sentences, sentences_of
from .statement_checks import specifics

# How each lexicon entry can be fixed in place: "" removes it, a word swaps it, a missing entry means the
# sentence has to be rewritten by the applicant (it becomes a bracketed note).
IN_PLACE = {
    "seamlessly": "",
    "unwavering": "",
    "robust": "",
    "vibrant": "",
    "thriving": "",
    "cutting-edge": "",
    "ever-evolving": "",
    "meticulous": "",
    "holistic": "",
    "transformative": "",
    "multifaceted": "",
    "intricate": "",
    "moreover": "",
    "furthermore": "",
    "additionally": "",
    "in today's fast-paced digital landscape": "",
    "it is worth noting": "",
    "in conclusion": "",
    "in summary": "",
    "from a young age": "",
    "for as long as I can remember": "",
    "I am confident that": "",
    "hard-working": "",
    "results-driven": "",
    "realm": "",
    "pivotal": "key",
    "spearheaded": "led",
    "leverage": "use",
    "foster": "build",
    "showcase": "show",
    "underscore": "show",
    "delve": "work on",
    "garnered": "received",
    "navigate": "handle",
    "harness": "use",
    "empower": "help",
    "a diverse array of": "several",
    "stay abreast of": "follow",
    "hit the ground running": "start work immediately",
}
# Inflected swaps: the lexicon label names the lemma; the form in the text decides the replacement.
_FORMS = {
    "led": {"spearhead": "lead", "spearheads": "leads", "spearheading": "leading"},
    "use": {
        "leveraged": "used",
        "leveraging": "using",
        "leverages": "uses",
        "harnessed": "used",
        "harnessing": "using",
    },
    "build": {"fostered": "built", "fostering": "building", "fosters": "builds"},
    "show": {
        "showcased": "showed",
        "showcasing": "showing",
        "showcases": "shows",
        "underscored": "showed",
        "underscoring": "showing",
        "underscores": "shows",
    },
    "work on": {"delved": "worked on", "delving": "working on", "delves": "works on"},
    "handle": {"navigated": "handled", "navigating": "handling", "navigates": "handles"},
    "help": {"empowered": "helped", "empowering": "helping", "empowers": "helps"},
}

REWRITE_NOTE = "[Rewrite in your own words: {what}]"
EVIDENCE_NOTE = "[Add: evidence for '{phrase}' - a number, a name or a date.]"

# --- the checker ------------------------------------------------------------------------------------

_ARTICLE_DANGLING = re.compile(r"\b(?:a|an|the)\s*(?:[,.;:!?)\]]|$)|\b(?:a|an|the) (?:a|an|the|and|or|of|to|,)\b", re.I)
_A_BEFORE_VOWEL = re.compile(r"\ba [aeio][a-z]", re.I)
_AN_BEFORE_CONSONANT = re.compile(r"\ban [bcdfgjklmnpqrstvwxyz][a-z]")
_DANGLING_END = re.compile(
    r"\b(?:and|or|but|of|to|in|for|with|the|a|an|my|our|by|as|at|from|into|on|that|which|is|are)\s*[.!?]$", re.I
)
_DOUBLED = re.compile(r"\b(\w+) \1\b", re.I)
_BRACKETED = re.compile(r"\[[^\[\]]*\]")


def sentence_problems(text: str) -> list[str]:
    """Why a suggested sentence is not a clean, grammatical sentence (empty list: it is)."""
    problems = []
    text = text.strip()
    if not text:
        return problems  # deleting is always clean
    if text.count("[") != text.count("]") or text.count("(") != text.count(")"):
        problems.append("unbalanced brackets")
    for m in _BRACKETED.finditer(text):
        before, after = text[: m.start()].rstrip(), text[m.end() :].lstrip()
        if before and before[-1] not in ".!?]":
            problems.append(f"placeholder inside a clause: {m.group(0)!r}")
        elif after and not (after[0].isupper() or after[0] in "[."):
            problems.append(f"placeholder inside a clause: {m.group(0)!r}")
        elif after.startswith(".") and before:
            problems.append(f"placeholder inside a clause: {m.group(0)!r}")
    prose = _BRACKETED.sub(" ", text)
    prose_stripped = " ".join(prose.split())
    if prose_stripped:
        if not (prose_stripped[0].isupper() or prose_stripped[0].isdigit() or prose_stripped[0] in "\"'\u201c(£$€"):
            problems.append("does not start with a capital letter")
        if len(prose_stripped.split()) < 3:
            problems.append("too short to be a sentence")
        if not re.search(r"[.!?][\"'\u201d)]?$", prose_stripped):
            problems.append("does not end like a sentence")
        if _DANGLING_END.search(prose_stripped):
            problems.append("ends on a word that needs something after it")
    if "  " in text.replace("\n", " ") or re.search(r"\s[,.;:!?]", text) or re.search(r"[,;:]\s*[,.;:]", text):
        problems.append("empty slot (doubled space or punctuation)")
    if re.match(r"\s*[,;:.]", text):
        problems.append("starts with punctuation")
    if m := _ARTICLE_DANGLING.search(prose):
        problems.append(f"dangling article: {m.group(0).strip()!r}")
    if m := _A_BEFORE_VOWEL.search(prose):
        if not re.match(r"a (?:one|once|euro|eu)", m.group(0) + prose[m.end() :], re.I):
            problems.append(f"'a' before a vowel: {m.group(0)!r}")
    if m := _AN_BEFORE_CONSONANT.search(prose):
        if not re.match(r"an (?:hour|honou?r|honest|heir)", prose[m.start() :], re.I):
            problems.append(f"'an' before a consonant: {m.group(0)!r}")
    if m := _DOUBLED.search(prose):
        if m.group(1).lower() not in {"that", "had"}:
            problems.append(f"doubled word: {m.group(0)!r}")
    return problems


def is_grammatical(text: str) -> bool:
    return not sentence_problems(text)


# --- building edits ---------------------------------------------------------------------------------


def _swap(hit: PhraseHit) -> str | None:
    if hit.label not in IN_PLACE:
        return None
    replacement = IN_PLACE[hit.label]
    form = hit.phrase.lower()
    head, _, rest = form.partition(" ")
    for forms in _FORMS.values():
        if head in forms:
            # "delved into" -> "worked on": the swap already carries the preposition.
            return forms[head] if hit.label == "delve" or not rest else f"{forms[head]} {rest}"
    if replacement and form.endswith("ed") and not replacement.endswith(("ed", "led", "on")) and " " not in form:
        return None  # an inflection we have no swap for: let the applicant rewrite it
    if hit.label == "delve" and " into" not in form:
        return None
    return replacement


def _tidy(sentence: str) -> str:
    s = re.sub(r"\s{2,}", " ", sentence)
    s = re.sub(r"\s+([,.;:!?])", r"\1", s)
    s = re.sub(r"([,;:])\s*([,.;:!?])", r"\2", s)
    s = re.sub(r"^[\s,;:]+", "", s)
    s = re.sub(r"\b(a|an|the)\s+(a|an|the)\b", r"\2", s, flags=re.I)
    s = re.sub(r"^that\s+", "", s, flags=re.I)  # "It is worth noting that X" -> "X"
    s = s.strip()
    # a/an agreement after an adjective was removed ("an unwavering commitment" -> "a commitment").
    s = re.sub(r"\b([Aa])n ([bcdfgjklmnpqrstvwxyz])", r"\1 \2", s)
    s = re.sub(r"\b([Aa]) ([aeio])", r"\1n \2", s)
    return s[:1].upper() + s[1:] if s else s


def _rewrite_in_place(sentence: str, hits: list[PhraseHit]) -> str | None:
    new = sentence
    for hit in sorted(hits, key=lambda h: -len(h.phrase)):
        swap = _swap(hit)
        if swap is None:
            return None
        if swap == "":
            new = re.sub(rf"(?<![\w-]){re.escape(hit.phrase)}(?![\w-]),?", "", new, count=1)
        else:
            new = new.replace(hit.phrase, _match_case(swap, hit.phrase), 1)
    new = _tidy(new)
    return new if new != sentence and is_grammatical(new) else None


def _match_case(replacement: str, original: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def _note_for(sentence: str) -> str:
    facts = list(dict.fromkeys(f for f in specifics(sentence) if f != "link"))
    if facts:
        return REWRITE_NOTE.format(what=f"keep the facts ({', '.join(facts[:4])}) and say plainly what you did.")
    return REWRITE_NOTE.format(what="what you did, where and when, with a number or a name.")


def _reason(hits: list[PhraseHit], claim: FlaggedSentence | None) -> str:
    parts = []
    ai = list(dict.fromkeys(h.phrase.strip(" ,") for h in hits if h.kind == "ai_phrase"))
    stock = list(dict.fromkeys(h.phrase.strip(" ,") for h in hits if h.kind == "cliche"))
    if ai:
        parts.append(f"{', '.join(repr(a) for a in ai)} read{'s' if len(ai) == 1 else ''} as AI-written.")
    if stock:
        parts.append(f"{', '.join(repr(s) for s in stock)}: stock phrasing assessors see in many statements.")
    if claim:
        parts.append(claim.reason)
    return " ".join(parts)


def _with_diff(edit: SuggestedEdit) -> SuggestedEdit:
    return edit.model_copy(update={"diff": word_diff(edit.original, edit.suggested)})


def build_edits(text: str, claims: list[FlaggedSentence], keep: set[str]) -> list[SuggestedEdit]:
    """Edits for every sentence with stock/AI phrasing or a bare claim, then deletions of repeats.

    ``keep`` holds sentences that carry a required element or a criterion: they are never deleted,
    only rewritten, so an accepted edit cannot remove something the statement needs.
    """
    hits_by_sentence: dict[str, list[PhraseHit]] = {}
    for hit in find_phrases(text):
        hits_by_sentence.setdefault(hit.sentence, []).append(hit)
    claim_by_sentence = {c.sentence: c for c in claims}
    edits: list[SuggestedEdit] = []
    for sentence in dict.fromkeys(sentences_of(text)):
        hits, claim = hits_by_sentence.get(sentence, []), claim_by_sentence.get(sentence)
        if not hits and not claim:
            continue
        kind = (
            "claim" if claim and not hits else ("ai_phrase" if any(h.kind == "ai_phrase" for h in hits) else "cliche")
        )
        suggested = _rewrite_in_place(sentence, hits) if hits else sentence
        if suggested is None:
            if claim:
                suggested = REWRITE_NOTE.format(
                    what=f"give the evidence for '{claim.phrase}' - a number, a name or a date."
                )
            elif not specifics(sentence) and sentence not in keep:
                suggested = ""  # filler with nothing of the applicant's in it
            else:
                suggested = _note_for(sentence)
        elif claim and claim.phrase.lower() in suggested.lower():
            suggested = f"{suggested} {EVIDENCE_NOTE.format(phrase=claim.phrase)}"
        if suggested == sentence or not is_grammatical(suggested):
            continue
        edits.append(
            _with_diff(SuggestedEdit(original=sentence, suggested=suggested, reason=_reason(hits, claim), kind=kind))
        )
    edits.extend(repeat_edits(text))
    return edits


def repeat_edits(text: str) -> list[SuggestedEdit]:
    """Delete every copy after the first of a repeated paragraph, then of a repeated sentence."""
    edits = []
    paragraphs = repeated_paragraphs(text)
    for paragraph in paragraphs:
        copies = sum(1 for p in paragraphs_of(text) if p == paragraph)
        edits.append(
            SuggestedEdit(
                original=paragraph,
                suggested="",
                reason=f"This paragraph appears {copies} times: keep the first, delete the other {copies - 1}.",
                kind="repeat",
                every_repeat=True,
            )
        )
    in_repeated_paragraph = " ".join(paragraphs)
    for sentence in repeated_sentences(text):
        if sentence in in_repeated_paragraph:
            continue
        copies = text.count(sentence)
        edits.append(
            SuggestedEdit(
                original=sentence,
                suggested="",
                reason=f"This sentence appears {copies} times: keep the first, delete the others.",
                kind="repeat",
                every_repeat=True,
            )
        )
    return [_with_diff(e) for e in edits]
