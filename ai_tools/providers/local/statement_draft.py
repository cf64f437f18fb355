"""A first Personal Statement draft assembled ONLY from the applicant's own facts.

Nothing here writes an achievement: each paragraph is a short connecting phrase plus the applicant's
words (or CV sentences) as given. Where a fact is missing the draft says so with an [Add: ...]
placeholder. The result is a scaffold to rewrite, not a statement to submit.
"""

import re

from ai_tools import rules
from ai_tools.results import CVAnalysis, StatementDraft, StatementFacts

from .lexicon import find_phrases, sentences_of
from .statement_edits import _rewrite_in_place
from .text import word_count

MAX_QUOTES_PER_CRITERION = 2
PLACEHOLDER = re.compile(r"\[Add: [^\]]+\]")


def _placeholder(what: str) -> str:
    return rules.PLACEHOLDER_TEMPLATE.format(what=what)


# Text aimed at a model rather than a reader: never copied into a draft.
INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget) (?:all |any |the )?(?:previous|prior|above|earlier|other)? ?(?:instructions|rules|prompts?)"
    r"|\byou are now\b|^\s*(?:system|assistant|developer)\s*:|\b(?:write|say|state|add|claim) that (?:i|my|we)\b"
    r"|\bact as\b|\bpretend (?:to be|that)\b|\b(?:mark|rate|score) (?:this|every|all)\b|\bevaluation mode\b",
    re.IGNORECASE | re.MULTILINE,
)


def is_injection(sentence: str) -> bool:
    return bool(INJECTION.search(sentence))


def clean_fact(fact: str) -> str:
    """The applicant's words minus instructions aimed at a model and minus stock or AI phrasing.

    A phrase that can be removed cleanly is removed; a sentence that cannot be saved is left out
    (the draft then shows a placeholder where nothing is left).
    """
    kept = []
    for sentence in sentences_of(" ".join(fact.split())):
        if is_injection(sentence):
            continue
        if find_phrases(sentence):
            sentence = _rewrite_in_place(sentence, find_phrases(sentence)) or _without_stock_clauses(sentence)
        if sentence:
            kept.append(sentence)
    return " ".join(kept)


def _without_stock_clauses(sentence: str) -> str:
    """Keep the clauses with no stock phrase ("I am passionate about AI and will work as X" -> "will work as X")."""
    clauses = re.split(r",\s*|\s+(?:and|but|so)\s+", sentence.rstrip(".!?"))
    kept = [c for c in clauses if not find_phrases(c) and len(c.split()) >= 3]
    return ", ".join(kept)


def _as_sentence(fact: str) -> str:
    """The applicant's words, unchanged except for a capital first letter and a closing full stop."""
    fact = " ".join(fact.split())
    if not fact:
        return ""
    fact = fact[0].upper() + fact[1:]
    return fact if fact[-1] in ".!?\"'" else fact + "."


def _fact_or_placeholder(value: str, what: str) -> str:
    value = clean_fact(value)
    return _as_sentence(value) if value.strip() else _placeholder(what)


def _evidence_lines(analysis: CVAnalysis | None, code: str, used: set[str]) -> list[str]:
    """CV sentences for this criterion not already used for another one (one piece of evidence, one criterion)."""
    if analysis is None or (criterion := analysis.criterion(code)) is None:
        return []
    fresh = [e.quote for e in criterion.evidence if e.quote not in used][:MAX_QUOTES_PER_CRITERION]
    used.update(fresh)
    return [_as_sentence(q) for q in fresh]


def _criterion_paragraph(code: str, analysis: CVAnalysis | None, used: set[str]) -> str:
    name = rules.CRITERIA[code].name
    quotes = _evidence_lines(analysis, code, used)
    if quotes:
        body = " ".join(quotes)
        return f"{name}. From my CV: {body} {_placeholder('explain in your own words why this matters and what it changed')}"
    return f"{name}. {_placeholder(f'two pieces of evidence for {code} - what you did, when, and a number or link')}"


def build_draft(facts: StatementFacts) -> StatementDraft:
    analysis = facts.cv_analysis
    category = facts.category or (analysis.category.category if analysis and analysis.category else None)
    category_text = (
        rules.CATEGORIES[category] if category else _placeholder("Exceptional Talent or Exceptional Promise")
    )
    targets = list(dict.fromkeys(facts.target_criteria))[: rules.OPTIONAL_CRITERIA_TO_MEET]
    while len(targets) < rules.OPTIONAL_CRITERIA_TO_MEET:
        targets.append(None)

    intro = f"My name is {facts.name.strip()}. " if facts.name and facts.name.strip() else ""
    paragraphs = [
        rules.DRAFT_HEADER,
        f"{intro}I am applying for endorsement in digital technology as {category_text}.",
        "Why the UK. " + _fact_or_placeholder(facts.why_uk, "why you want to work in the UK, in your own words"),
        "My planned occupation. "
        + _fact_or_placeholder(facts.planned_occupation, "the job or company you plan to work in or start"),
        "Where in the UK. "
        + _fact_or_placeholder(facts.where_in_uk, "the city or region where you will live and work"),
    ]
    used: set[str] = set()
    paragraphs.append(_criterion_paragraph("MC", analysis, used))
    for number, code in enumerate(targets, start=1):
        which = "first" if number == 1 else "second"
        paragraphs.append(
            _criterion_paragraph(code, analysis, used)
            if code
            else _placeholder(f"choose a {which} optional criterion (OC1-OC4) and give its evidence")
        )
    paragraphs.append(
        "My contribution to the UK digital technology sector. "
        + _fact_or_placeholder(facts.benefit_to_uk, "how your work will benefit the UK digital sector, with specifics")
    )
    text = "\n\n".join(paragraphs)
    # The applicant's own facts can be long; if the scaffold passes the limit, drop CV quotes, never facts.
    if word_count(text) > rules.STATEMENT_MAX_WORDS and analysis is not None:
        return build_draft(facts.model_copy(update={"cv_analysis": None}))
    return StatementDraft(
        text=text,
        word_count=word_count(text),
        word_limit=rules.STATEMENT_MAX_WORDS,
        placeholders=PLACEHOLDER.findall(text),
        notice=f"{rules.DRAFT_NOTICE} {rules.AI_CONTENT_WARNING}",
        engine="local",
    )
