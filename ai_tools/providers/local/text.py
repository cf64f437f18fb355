"""Lines and sentences of a CV or statement, each remembering its line and section.

Sentences are exact substrings of the normalised text, so they can be quoted back verbatim.
"""

import re
from dataclasses import dataclass

BULLET = re.compile(r"^(?:[-*\u2022\u25aa\u25cf\u2023\u2043\u2219>]|\d{1,2}[.)])\s+")
# A sentence ends at . ! ? followed by space and an upper-case letter, digit or quote ("e.g. the" stays whole).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\u201c])")
WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f'\u2019.&+#-]*")


@dataclass(frozen=True)
class Sentence:
    text: str
    line_no: int
    section: str  # section key from rules.SECTION_HEADINGS, or "" before the first heading


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_count(text: str) -> int:
    return len(text.split())


def strip_bullet(line: str) -> str:
    return BULLET.sub("", line.strip(), count=1)


# A full stop after these is not the end of a sentence ("Chen, M. L. et al.", "Dr. Smith", "Acme Ltd. built").
ABBREVIATIONS = {
    "al",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "inc",
    "ltd",
    "co",
    "corp",
    "st",
    "no",
    "vs",
    "etc",
    "e.g",
    "i.e",
}


def split_sentences(line: str) -> list[str]:
    """Sentences of one line, without bullets; fragments of one or two characters are dropped."""
    body = strip_bullet(line)
    spans, start = [], 0
    for m in SENTENCE_END.finditer(body):
        last_word = body[start : m.start()].rstrip(".!?").rsplit(" ", 1)[-1]
        if (len(last_word) == 1 and last_word.isupper()) or last_word.lower() in ABBREVIATIONS:
            continue  # an initial or abbreviation, not a sentence end
        spans.append([start, m.start()])
        start = m.end()
    spans.append([start, len(body)])
    merged = []
    for span in spans:
        # "... Proceedings of RecSys, 2019. Cited 140 times." - a short tail belongs with what it qualifies.
        if merged and len(body[span[0] : span[1]].split()) < 4:
            merged[-1][1] = span[1]
        else:
            merged.append(span)
    parts = [body[a:b].strip() for a, b in merged]
    return [p for p in parts if len(p) > 2]


def shorten(text: str, limit: int = 90) -> str:
    """A quote short enough for a suggestion, cut on a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:-")
    return cut + "..."
