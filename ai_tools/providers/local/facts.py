"""Never invent: find numbers and proper nouns in generated text that the applicant never wrote.

Used after every model answer (drafts, edits, summaries, suggestions) and by the evaluation harness.
A specific counts as the applicant's when the same number, or the same word, appears in their input;
the words of our own scaffolding (criterion names, the draft header) are allowed too.
"""

import re
from functools import cache

from ai_tools import rules

from .lexicon import sentences_of
from .statement_checks import specifics

_BRACKETED = re.compile(r"\[[^\[\]]*\]")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in re.findall(r"\d[\d,.]*", text)}


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[\w'&-]+", text)} | {
        w.lower().split("'")[0] for w in re.findall(r"[\w'&-]+", text)
    }


@cache
def _scaffold_words() -> frozenset[str]:
    scaffold = " ".join(
        [rules.DRAFT_HEADER, rules.DRAFT_NOTICE, rules.AI_CONTENT_WARNING, *rules.CATEGORIES.values()]
        + [f"{c.code} {c.name}" for c in rules.CRITERIA.values()]
        + [
            "Why the UK. My planned occupation. Where in the UK. My contribution to the UK digital technology sector. "
            "From my CV: My name is CV UK Tech Nation Global Talent Home Office"
        ]
    )
    return frozenset(_words(scaffold))


def invented(text: str, sources: list[str]) -> list[str]:
    """Specifics in ``text`` (outside [bracketed notes]) that appear in none of ``sources``."""
    source = " ".join(sources)
    numbers, words = _numbers(source), _words(source) | _scaffold_words()
    found = []
    for sentence in sentences_of(_BRACKETED.sub(" ", text)):
        for item in specifics(sentence):
            item = re.sub(r"['\u2019]s$", "", item)
            if item == "link":
                continue
            if re.search(r"\d", item):
                if item.lstrip("£$€").replace(",", "").rstrip(".%") not in {n.rstrip("%") for n in numbers}:
                    found.append(item)
            elif not all(part.lower() in words for part in re.findall(r"[\w&-]+", item)):
                found.append(item)
    return list(dict.fromkeys(found))


def without_invented(text: str, sources: list[str]) -> tuple[str, list[str]]:
    """``text`` with every sentence that carries an invented specific removed, paragraph by paragraph.

    Returns the kept text and what was removed (for the log and the tests).
    """
    kept_paragraphs, removed = [], []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        kept = []
        for line in paragraph.split("\n"):
            sentences = sentences_of(line)
            good = [s for s in sentences if not invented(s, sources)]
            removed.extend(s for s in sentences if s not in good)
            if good:
                kept.append(" ".join(good))
        if kept:
            kept_paragraphs.append("\n".join(kept))
    return "\n\n".join(kept_paragraphs), removed
