"""Templating between recommendation letters: shingled word n-grams, exact sets, plain Python.

Chosen by measurement (``python bench/ai_eval.py letters``): on the labelled trios in
``bench/corpus/letters/`` the containment of 5-word shingles separated templated from independent
letters with the widest margin of the candidates (datasketch MinHash only approximates the same set
measure, rapidfuzz and TF-IDF cosine score independent letters about one applicant too high because
they share names and vocabulary), and three 600-word letters take well under a millisecond per pair,
so no dependency is needed. The threshold lives in ``applications.rules``.

    pair = compare(text_a, text_b)
    pair.score        # 0..1: the share of the shorter letter's 5-word runs found in the other
    pair.segments_a   # [Segment(text, shared)] to render side by side with <mark>
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SHINGLE_WORDS = 5
# Shared runs shorter than this are common phrasing ("I am happy to be contacted"), not a passage.
MIN_PASSAGE_WORDS = 8

_WORD = re.compile(r"[\w'’]+", re.UNICODE)


@dataclass(frozen=True)
class Prepared:
    """One letter tokenised once: normalised words with their character spans, and its shingles."""

    text: str
    words: list[str]
    spans: list[tuple[int, int]]
    grams: list[tuple[str, ...]]
    gram_set: frozenset


def prepare(text: str, *, k: int = SHINGLE_WORDS) -> Prepared:
    matches = list(_WORD.finditer(text))
    words = [m.group(0).lower().replace("’", "'") for m in matches]
    grams = [tuple(words[i : i + k]) for i in range(len(words) - k + 1)]
    return Prepared(text, words, [m.span() for m in matches], grams, frozenset(grams))


@dataclass(frozen=True)
class Segment:
    text: str
    shared: bool


@dataclass(frozen=True)
class PairSimilarity:
    score: float
    jaccard: float
    shared_words: int
    passages: list[str]
    segments_a: list[Segment]
    segments_b: list[Segment]


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[tuple[str, ...]]:
    return set(prepare(text, k=k).gram_set)


def containment(a: set, b: set) -> float:
    """|A ∩ B| / min(|A|, |B|): a pasted paragraph counts as much in a short letter as in a long one."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _shared_mask(letter: Prepared, common: set, k: int) -> list[bool]:
    mask = [False] * len(letter.words)
    for i, gram in enumerate(letter.grams):
        if gram in common:
            for j in range(i, i + k):
                mask[j] = True
    # Drop runs too short to be a passage.
    i = 0
    while i < len(mask):
        if not mask[i]:
            i += 1
            continue
        j = i
        while j < len(mask) and mask[j]:
            j += 1
        if j - i < MIN_PASSAGE_WORDS:
            for m in range(i, j):
                mask[m] = False
        i = j
    return mask


def _segments(letter: Prepared, mask: list[bool]) -> tuple[list[Segment], list[str]]:
    """Cut the original text (not the normalised words) into shared and own segments."""
    text, spans = letter.text, letter.spans
    segments: list[Segment] = []
    passages: list[str] = []
    pos, i = 0, 0
    while i < len(spans):
        if not mask[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(spans) and mask[j + 1]:
            j += 1
        start, end = spans[i][0], spans[j][1]
        if start > pos:
            segments.append(Segment(text[pos:start], False))
        # Line breaks inside a shared run stay unmarked, so the highlight follows the paragraphs.
        for k, part in enumerate(re.split(r"(\s*\n\s*)", text[start:end])):
            if part:
                segments.append(Segment(part, k % 2 == 0))
        passages.append(" ".join(text[start:end].split()))
        pos, i = end, j + 1
    if pos < len(text):
        segments.append(Segment(text[pos:], False))
    return segments, passages


def compare(text_a: str | Prepared, text_b: str | Prepared, *, k: int = SHINGLE_WORDS) -> PairSimilarity:
    a = text_a if isinstance(text_a, Prepared) else prepare(text_a, k=k)
    b = text_b if isinstance(text_b, Prepared) else prepare(text_b, k=k)
    common = a.gram_set & b.gram_set
    segments_a, passages = _segments(a, _shared_mask(a, common, k))
    mask_b = _shared_mask(b, common, k)
    segments_b, _ = _segments(b, mask_b)
    return PairSimilarity(
        score=round(containment(a.gram_set, b.gram_set), 4),
        jaccard=round(jaccard(a.gram_set, b.gram_set), 4),
        shared_words=sum(mask_b),
        passages=passages,
        segments_a=segments_a,
        segments_b=segments_b,
    )
