"""Coach a pasted Personal Statement: length, required elements, criteria, claims, AI-likeness, edits.

The suggested edits only remove stock phrasing, ask for evidence, or ask for a rewrite in a whole
bracketed note; they never write content the applicant has not given, because the submitted
statement must be their own words. Nothing is applied until the applicant accepts it.
"""

from ai_tools import rules
from ai_tools.results import (
    AILikenessReport,
    CutStep,
    CVAnalysis,
    FlaggedSentence,
    LengthHelp,
    ParagraphLength,
    StatementReview,
)

from .diffing import apply_edits
from .lexicon import _norm, ai_likeness, paragraphs_of, repeated_sentences, sentences_of
from .statement_checks import ELEMENT_LABELS, ELEMENT_TESTS, _argues, criteria_arguments, elements, unsupported_claims
from .statement_edits import build_edits
from .text import word_count


def normalise(draft: str) -> str:
    return draft.replace("\r\n", "\n").replace("\r", "\n").strip()


def _paragraph_facts(paragraph: str) -> tuple[list[str], list[str]]:
    sentences = sentences_of(paragraph)
    pairs = list(zip(sentences, [*sentences[1:], ""], strict=True))
    criteria = [code for code in rules.CRITERIA if any(_argues(code, s, nxt) for s, nxt in pairs)]
    found = [ELEMENT_LABELS[code] for code, test in ELEMENT_TESTS.items() if any(test(s) for s in sentences)]
    return criteria, found


def length_help(text: str, limit: int = rules.STATEMENT_MAX_WORDS) -> LengthHelp:
    """Per-paragraph counts, what each carries, and cuts (repeats first, then empty paragraphs) to the limit."""
    paragraphs = paragraphs_of(text)
    first_seen: dict[str, int] = {}
    rows = []
    for number, paragraph in enumerate(paragraphs, start=1):
        key = _norm(paragraph)
        repeat_of = first_seen.get(key)
        first_seen.setdefault(key, number)
        criteria, found = _paragraph_facts(paragraph)
        rows.append(
            ParagraphLength(
                number=number,
                words=word_count(paragraph),
                opening=" ".join(paragraph.split()[:8]) + ("…" if len(paragraph.split()) > 8 else ""),
                repeat_of=repeat_of,
                criteria=criteria,
                elements=found,
            )
        )
    total = word_count(text)
    plan: list[CutStep] = []

    def cut(action: str, paragraph: int, words: int) -> None:
        nonlocal total
        total -= words
        plan.append(CutStep(action=action, paragraph=paragraph, words_saved=words, words_after=total))

    # Repeats go whatever the count (a pasted paragraph is never wanted twice), one step per repeated paragraph.
    for original in dict.fromkeys(r.repeat_of for r in rows if r.repeat_of):
        copies = [r for r in rows if r.repeat_of == original]
        numbers = ", ".join(str(r.number) for r in copies)
        label = f"paragraph {numbers}: it repeats" if len(copies) == 1 else f"paragraphs {numbers}: each repeats"
        cut(f"Delete {label} paragraph {original}.", copies[0].number, sum(r.words for r in copies))
    cut_numbers = {s.paragraph for s in plan}
    for sentence in repeated_sentences(text):
        if total <= limit:
            break
        copies = sum(p.count(sentence) for i, p in enumerate(paragraphs, start=1) if i not in cut_numbers)
        if copies > 1:
            where = next(i for i, p in enumerate(paragraphs, start=1) if sentence in p)
            cut(
                f"Delete the {copies - 1} repeat{'s' if copies > 2 else ''} of “{_clip(sentence)}”.",
                where,
                (copies - 1) * word_count(sentence),
            )
    empty = [r for r in rows if r.number not in cut_numbers and not r.repeat_of and not r.criteria and not r.elements]
    for row in sorted(empty, key=lambda r: -r.words):
        if total <= limit:
            break
        if row.number == 1 and len(rows) > 1 and row.words < 60:
            continue  # a short opening line introduces the applicant; cut it last
        cut(
            f"Delete or shorten paragraph {row.number} (“{row.opening}”): it argues no criterion and covers no "
            "required element.",
            row.number,
            row.words,
        )
    cut_numbers = {s.paragraph for s in plan}
    for row in sorted((r for r in rows if r.number not in cut_numbers and not r.repeat_of), key=lambda r: -r.words):
        if total <= limit:
            break
        words = min(total - limit, row.words // 3)
        if words > 0:
            cut(
                f"Shorten paragraph {row.number} (“{row.opening}”) by about {words} words: keep the sentence with "
                "the evidence, drop background and adjectives.",
                row.number,
                words,
            )
    return LengthHelp(paragraphs=rows, cut_plan=plan, words_after_plan=total, reaches_limit=total <= limit)


def _clip(sentence: str, words: int = 8) -> str:
    parts = sentence.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def review(draft: str, cv_analysis: CVAnalysis | None) -> StatementReview:
    text = normalise(draft)
    count = word_count(text)
    arguments = criteria_arguments(text)
    checks = elements(text, arguments)
    _advise_from_cv(checks, arguments, cv_analysis)
    claims = unsupported_claims(text)
    likeness = ai_likeness(text)
    keep = {c.sentence for c in checks if c.sentence} | {a.sentence for a in arguments if a.sentence}
    edits = build_edits(text, claims, keep)
    return StatementReview(
        text=text,
        word_count=count,
        word_limit=rules.STATEMENT_MAX_WORDS,
        over_limit=count > rules.STATEMENT_MAX_WORDS,
        elements=checks,
        criteria=arguments,
        criteria_covered=[a.code for a in arguments if a.argued],
        unsupported_claims=claims,
        generic_phrases=[
            FlaggedSentence(
                sentence=h.sentence,
                phrase=h.phrase,
                reason="Reads as AI-written." if h.kind == "ai_phrase" else "Stock phrase of personal statements.",
            )
            for h in likeness.hits
        ],
        ai_likeness=AILikenessReport(
            verdict=likeness.verdict, score=likeness.score, message=likeness.message, reasons=likeness.reasons
        ),
        repeated_sentences=likeness.repeated_sentences,
        repeated_paragraphs=likeness.repeated_paragraphs,
        length=length_help(text) if count > rules.STATEMENT_MAX_WORDS else None,
        suggested_edits=edits,
        revised_text=apply_edits(text, edits),
        notice=rules.AI_CONTENT_WARNING,
        engine="local",
    )


def _advise_from_cv(checks, arguments, analysis: CVAnalysis | None) -> None:
    """Point at the criteria the CV analysis found strongest but the statement does not argue."""
    if not analysis or not analysis.criteria:
        return
    argued = {a.code for a in arguments if a.argued}
    best = sorted((c for c in analysis.criteria if c.code != "MC" and c.status != "missing"), key=lambda c: -c.score)[
        :2
    ]
    missed = [c.code for c in best if c.code not in argued]
    if missed:
        element = next(c for c in checks if c.code == "criteria")
        extra = f"Your CV analysis is strongest on {' and '.join(c.code for c in best)}; the statement does not argue {', '.join(missed)} yet."
        element.advice = f"{element.advice} {extra}" if element.advice else extra
