"""Section detection: which heading ("Experience", "Talks", ...) each CV line sits under."""

import re

from ai_tools import rules

from .text import Sentence, split_sentences

_HEADING_TO_KEY = {heading: key for key, headings in rules.SECTION_HEADINGS.items() for heading in headings}


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
