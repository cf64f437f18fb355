"""Apply suggested edits (only the ones the applicant accepted) and diff word by word for ins/del rendering."""

import difflib
import re

from ai_tools.results import DiffSegment, SuggestedEdit

_WORD_WITH_SPACE = re.compile(r"\S+\s*")
REWRITE_RATIO = 0.5  # below this share of shared words, show a rewrite as delete-all + insert-all


def _delete_span(text: str, start: int, end: int) -> str:
    """Remove text[start:end] and the whitespace it leaves doubled (a sentence, or a whole paragraph)."""
    before, after = text[:start], text[end:]
    whole_paragraph = (not before.strip() or before.endswith("\n")) and (not after.strip() or after.startswith("\n"))
    if whole_paragraph:
        before, after = before.rstrip("\n"), after.lstrip("\n")
        return before + ("\n\n" if before and after else "") + after
    if after.startswith(" "):
        after = after[1:]
    elif before.endswith(" "):
        before = before[:-1]
    return before + after


def apply_edits(text: str, edits: list[SuggestedEdit]) -> str:
    """Each edit replaces the first occurrence of its original (every later one too for ``every_repeat``).

    An edit whose original is not in the text is skipped rather than guessed at.
    """
    for edit in edits:
        if not edit.original:
            continue
        first = text.find(edit.original)
        if first < 0:
            continue
        if edit.every_repeat:
            head_end = first + len(edit.original)
            head, tail = text[:head_end], text[head_end:]
            while (index := tail.find(edit.original)) >= 0:
                tail = _delete_span(tail, index, index + len(edit.original))
            text = head + (tail if tail.strip() else "")
            continue
        end = first + len(edit.original)
        if edit.suggested:
            text = text[:first] + edit.suggested + text[end:]
        else:
            text = _delete_span(text, first, end)
    return text.strip()


def word_diff(before: str, after: str) -> list[DiffSegment]:
    """Word-level segments: equal + delete rebuild ``before``, equal + insert rebuild ``after``, exactly.

    Words are compared without their trailing whitespace, and a changed stretch carries its own spaces,
    so rendering <del>/<ins> side by side never glues two words together.
    """
    a, b = _WORD_WITH_SPACE.findall(before), _WORD_WITH_SPACE.findall(after)
    lead_a, lead_b = before[: len(before) - len(before.lstrip())], after[: len(after) - len(after.lstrip())]
    segments: list[DiffSegment] = []

    def push(op: str, chunk: str) -> None:
        if not chunk:
            return
        if segments and segments[-1].op == op:
            segments[-1] = DiffSegment(op=op, text=segments[-1].text + chunk)
        else:
            segments.append(DiffSegment(op=op, text=chunk))

    if lead_a == lead_b:
        push("equal", lead_a)
    else:
        push("delete", lead_a)
        push("insert", lead_b)
    keys_a, keys_b = [t.rstrip() for t in a], [t.rstrip() for t in b]
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    if a and b and matcher.ratio() < REWRITE_RATIO:
        # Mostly new words (a sentence replaced by a note): one deletion and one insertion read better
        # than a few shared words ("a", "the") stitched between them.
        push("delete", "".join(a))
        push("insert", "".join(b))
        return segments
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for ta, tb in zip(a[i1:i2], b[j1:j2], strict=True):
                word = ta.rstrip()
                space_a, space_b = ta[len(word) :], tb[len(word) :]
                push("equal", word)
                if space_a == space_b:
                    push("equal", space_a)
                else:
                    push("delete", space_a)
                    push("insert", space_b)
        else:
            removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
            # A changed stretch that is followed by more text keeps a space on both sides of the swap.
            push("delete", removed)
            push("insert", added)
    return segments


def diff_for_display(segments: list[DiffSegment]) -> list[DiffSegment]:
    """The same segments with a space shown between a deletion and an insertion that would touch."""
    shown: list[DiffSegment] = []
    for segment in segments:
        if (
            shown
            and {shown[-1].op, segment.op} == {"delete", "insert"}
            and shown[-1].text[-1:].strip()
            and segment.text[:1].strip()
        ):
            shown.append(DiffSegment(op="equal", text=" "))
        shown.append(segment)
    return shown


def accepted_edits(edits: list[SuggestedEdit], choices: dict[str, str]) -> list[SuggestedEdit]:
    """The edits the applicant accepted (``choices`` maps the edit's index, as a string, to its choice)."""
    return [edit for index, edit in enumerate(edits) if choices.get(str(index)) == "accepted"]
