"""Apply suggested edits and diff the result, for ins/del rendering (difflib, word level)."""

import difflib
import re

from ai_tools.results import DiffSegment, SuggestedEdit

from .text import split_sentences

_TOKENS = re.compile(r"\s+|[^\s]+")


def apply_edits(text: str, edits: list[SuggestedEdit]) -> str:
    """Replace each original sentence (first occurrence) with its suggestion; an empty suggestion deletes it."""
    for edit in edits:
        index = text.find(edit.original)
        if index < 0:
            continue  # a provider quoted something that is not in the draft: skip rather than guess
        end = index + len(edit.original)
        if not edit.suggested:
            while end < len(text) and text[end] == " ":
                end += 1  # take the space after a deleted sentence with it
        text = text[:index] + edit.suggested + text[end:]
    return text


def word_diff(before: str, after: str) -> list[DiffSegment]:
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    segments: list[DiffSegment] = []

    def push(op: str, tokens: list[str]) -> None:
        chunk = "".join(tokens)
        if not chunk:
            return
        if segments and segments[-1].op == op:
            segments[-1] = DiffSegment(op=op, text=segments[-1].text + chunk)
        else:
            segments.append(DiffSegment(op=op, text=chunk))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            push("equal", a[i1:i2])
        else:
            push("delete", a[i1:i2])
            push("insert", b[j1:j2])
    return segments


def unified_sentence_diff(before: str, after: str) -> str:
    """A unified diff with one sentence per line (paragraph text makes line diffs useless)."""

    def lines(text: str) -> list[str]:
        return [s for line in text.split("\n") for s in split_sentences(line)]

    diff = difflib.unified_diff(lines(before), lines(after), "your draft", "with suggested edits", lineterm="")
    return "\n".join(diff)
