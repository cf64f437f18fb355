"""Section detection: which heading ("Experience", "Talks", ...) each CV line sits under."""

import re
from functools import lru_cache

from ai_tools import rules

from .text import Sentence, split_sentences

_HEADING_TO_KEY = {heading: key for key, headings in rules.SECTION_HEADINGS.items() for heading in headings}


@lru_cache(maxsize=4096)
def heading_key(line: str) -> str | None:
    """The section key when a line is a heading: short, matches a known heading, maybe 'EXPERIENCE:' or '## Talks'."""
    candidate = re.sub(r"^[#=*\s]+|[:#=*\s]+$", "", line).strip().lower()
    candidate = re.sub(r"\s*&\s*", " and ", candidate)
    if not candidate or len(candidate.split()) > 5:
        return None
    if candidate in _HEADING_TO_KEY:
        return _HEADING_TO_KEY[candidate]
    # "HACKATHONS, TALKS AND COMMUNITY" or "Selected talks:": a heading by its look, with a known word in it.
    stripped = line.strip()
    looks_like_heading = (stripped.isupper() and any(c.isalpha() for c in stripped)) or stripped.endswith(":")
    if looks_like_heading and not any(ch.isdigit() for ch in stripped):
        for heading, key in _HEADING_TO_KEY.items():
            if re.search(rf"\b{re.escape(heading)}\b", candidate):
                return key
    return None


def _heading_forms() -> list[str]:
    forms = set()
    for headings in rules.SECTION_HEADINGS.values():
        for heading in headings:
            if len(heading) < 4:
                continue
            forms.update({heading.title(), heading.upper(), heading.capitalize()})
    return sorted(forms, key=len, reverse=True)


_GLUED_HEADING = re.compile(r"\s(?P<head>" + "|".join(re.escape(f) for f in _heading_forms()) + r")\s+(?=\S)")
# What a heading may be glued after: a link, an email, a handle, or a symbol that ends a list ("C++", ")").
_FIELD_END = re.compile(r"[/@]|\.[a-z]{2,}$|[^\w\s,;:.'\u2019-]$", re.IGNORECASE)


def split_glued_headings(text: str) -> str:
    """Put a section heading that a PDF glued onto the contact line back on its own line:
    "... github.com/jo Experience Mar. 2020 - Present ..." -> "... github.com/jo" / "Experience" / "Mar. 2020 ...".
    Only newlines are inserted, so every line stays a verbatim piece of the original text."""
    out = []
    for line in text.split("\n"):
        while True:
            m = next(
                (m for m in _GLUED_HEADING.finditer(line) if _FIELD_END.search(line[: m.start()].split()[-1])),
                None,
            )
            if m is None:
                break
            out.append(line[: m.start()])
            out.append(m.group("head"))
            line = line[m.end() :]
        out.append(line)
    return "\n".join(out)


def line_sections(lines: list[str]) -> list[str]:
    """For each line, the key of the section it belongs to ("" before the first heading)."""
    current, result = "", []
    for line in lines:
        key = heading_key(line)
        if key:
            current = key
        result.append(current)
    return result


def cv_sentences(text: str) -> tuple[list[Sentence], list[str]]:
    """All sentences with their section, and the section keys found (in order of first appearance)."""
    lines = text.split("\n")
    sections = line_sections(lines)
    sentences, found = [], []
    for line_no, (line, section) in enumerate(zip(lines, sections, strict=True)):
        if heading_key(line):
            if section not in found:
                found.append(section)
            continue
        for sentence in split_sentences(line):
            sentences.append(Sentence(sentence, line_no, section))
    return sentences, found
