"""The local refusal engine: read a refusal letter into per-criterion findings, then everything that follows
from findings (cross-check against the pack, recommendation, review outline, reapplication gaps).

Deterministic and offline. The OpenAI provider replaces only ``read_letter``; the rest is shared, so both
return the same result for the same findings. Every quote is a slice of the letter (verified verbatim).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import rules
from .results import Finding, Gap, OutlineItem, Passage, RefusalReview

ENGINE = "local-refusal-v1"

# --- reading the letter ------------------------------------------------------------------------------

_CRITERION_PATTERNS = [
    ("MC", re.compile(r"\bmandatory\s+criteri(?:on|a)\b(?!\s*(?:and|or)\s+(?:two|2|the)\b)|\bMC\b", re.I)),
    ("OC", re.compile(r"\b(?:optional\s+criteri(?:on|a)|OC)\s*(?:no\.?\s*)?([1-4]|one|two|three|four)\b", re.I)),
    ("LETTERS", re.compile(r"\bletters?\s+of\s+recommendation\b|\brecommendation\s+letters?\b|^\s*letters\b", re.I)),
    ("DOCUMENTS", re.compile(r"\bsupporting\s+documents?\b|^\s*(?:the\s+)?documents?\s*[:\-–]", re.I)),
    ("ELIGIBILITY", re.compile(r"^\s*eligibility\b", re.I)),
]
_GENERIC_OPTIONAL = re.compile(r"\boptional\s+criteria\b(?!\s*(?:no\.?\s*)?(?:[1-4]|one|two|three|four)\b)", re.I)
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4"}
HEADER_WITHIN = 30  # a criterion named this far into a unit starts that criterion's block

_NOT_MET = re.compile(r"\bnot\s+(?:been\s+)?(?:met|satisfied|fulfilled)\b|\bunsuccessful\b", re.I)
_MET = re.compile(r"\b(?:met|satisfied|fulfilled)\b", re.I)
_NEGATIVE = re.compile(
    r"not\s+demonstrated|has\s+not\s+(?:been\s+)?(?:shown|demonstrated)|insufficient|not\s+sufficient|no\s+evidence|"
    r"did\s+not\s+provide|could\s+not|unable\s+to|does\s+not|not\s+considered|not\s+taken\s+into\s+account|"
    r"templating|template|not\s+eligible|limited|only\s+to\s+time|weight|exceed|older\s+than|rather\s+than",
    re.I,
)
_NOT_CONSIDERED = re.compile(
    r"no\s+evidence\s+(?:was|has\s+been)\s+(?:provided|submitted)|did\s+not\s+(?:provide|submit|include)|"
    r"not\s+(?:been\s+)?provided|could\s+not\s+be\s+(?:opened|read|verified)|(?:was|were)\s+not\s+considered|"
    r"not\s+(?:been\s+)?taken\s+into\s+account|unable\s+to\s+(?:locate|find|identify|open)|"
    r"could\s+not\s+(?:identify|locate|find)|found\s+no\s+evidence|no\s+evidence\s+in\s+the\s+application|"
    r"(?:was|were)\s+not\s+included|missing\s+from\s+the\s+application",
    re.I,
)
_CATEGORY_OR_FIELD = re.compile(
    r"better\s+suited|under\s+Exceptional\s+(?:Promise|Talent)|emerging\s+career|another\s+endorsing\s+body|"
    r"rather\s+than\s+digital\s+technology|not\s+(?:to|in)\s+digital\s+technology|outside\s+digital\s+technology",
    re.I,
)
_ROLE = re.compile(
    r"consultancy|service[/ -]?(?:delivery|led)|outsourc|digital\s+agency|websites\s+for\s+clients|"
    r"not\s+to\s+a\s+product-led|innovation\s+in\s+a\s+product-led|not\s+(?:a\s+)?product-led|"
    r"usually\s+not\s+eligible|not\s+eligible",
    re.I,
)


@dataclass
class Unit:
    """A sentence, line or table cell of the letter: ``letter[start:end]`` is ``text``."""

    start: int
    end: int
    text: str


@dataclass
class Block:
    criterion: str
    units: list[Unit] = field(default_factory=list)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(“\"])")


def units_of(letter: str) -> list[Unit]:
    """Lines, split into table cells at '|', then into sentences; offsets into the letter kept."""
    units: list[Unit] = []
    offset = 0
    for line in letter.split("\n"):
        line_start = offset
        offset += len(line) + 1
        cell_start = 0
        for cell in line.split("|"):
            start_in_line = cell_start
            cell_start += len(cell) + 1
            pos = 0
            pieces = _SENTENCE_END.split(cell)
            for piece in pieces:
                index = cell.index(piece, pos)
                pos = index + len(piece)
                stripped = piece.strip()
                if not stripped:
                    continue
                begin = line_start + start_in_line + index + (len(piece) - len(piece.lstrip()))
                units.append(Unit(begin, begin + len(stripped), stripped))
    return units


def _criteria_named(text: str) -> list[tuple[int, str]]:
    found = []
    for code, pattern in _CRITERION_PATTERNS:
        for match in pattern.finditer(text):
            name = f"OC{_NUMBER_WORDS.get(match.group(1).lower(), match.group(1))}" if code == "OC" else code
            found.append((match.start(), name))
    return sorted(found)


def _header_and_rest(text: str) -> str:
    """The unit without criterion names and met/not met words: what is left says why."""
    rest = text
    for _code, pattern in _CRITERION_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\b(?:not\s+(?:been\s+)?)?(?:met|satisfied|fulfilled)\b|\(.*?\)|[-:|.–—]", " ", rest, flags=re.I)
    return " ".join(rest.split())


def blocks_of(letter: str) -> tuple[list[Unit], list[Block]]:
    """(units before any criterion, criterion blocks in order). A unit naming two criteria, or the optional
    criteria in general, is a summary: it belongs to no block and ends the current one."""
    preamble: list[Unit] = []
    blocks: list[Block] = []
    current: Block | None = None
    for unit in units_of(letter):
        named = _criteria_named(unit.text)
        distinct = {name for _pos, name in named}
        if len(distinct) > 1 or (_GENERIC_OPTIONAL.search(unit.text) and not any(n.startswith("OC") for n in distinct)):
            current = None
            continue
        if named and named[0][0] <= HEADER_WITHIN:
            name = named[0][1]
            if current is None or current.criterion != name:
                current = Block(name)
                blocks.append(current)
        if current is None:
            preamble.append(unit)
        else:
            current.units.append(unit)
    return preamble, blocks


def classify(texts: list[str]) -> str:
    joined = " ".join(texts)
    if _CATEGORY_OR_FIELD.search(joined) or _ROLE.search(joined):
        return "eligibility"
    if _NOT_CONSIDERED.search(joined):
        return "not_considered"
    return "insufficient"


def _score(text: str) -> int:
    return (
        len(_NEGATIVE.findall(text))
        + 2 * len(_NOT_CONSIDERED.findall(text))
        + 2 * len(_CATEGORY_OR_FIELD.findall(text))
        + 2 * len(_ROLE.findall(text))
    )


def _reasons(units: list[Unit]) -> list[Unit]:
    """Units that say something beyond a heading and a verdict (at least 4 words of their own)."""
    return [u for u in units if len(_header_and_rest(u.text).split()) >= 4]


def _best(units: list[Unit]) -> Unit | None:
    best = None
    for unit in units:
        if best is None or _score(unit.text) > _score(best.text):
            best = unit
    return best


@dataclass
class RawFinding:
    criterion: str
    classification: str
    quote: str


def read_letter(letter: str) -> tuple[list[RawFinding], list[str]]:
    """(findings for the criteria not met, the criteria the letter says were met)."""
    preamble, blocks = blocks_of(letter)
    merged: dict[str, list[Unit]] = {}
    for block in blocks:
        merged.setdefault(block.criterion, []).extend(block.units)
    findings: list[RawFinding] = []
    met: list[str] = []
    eligibility_units = [u for u in preamble if _CATEGORY_OR_FIELD.search(u.text) or _ROLE.search(u.text)]
    eligibility_units += merged.pop("ELIGIBILITY", [])
    if eligibility_units:
        quote = _best(_reasons(eligibility_units) or eligibility_units)
        findings.append(RawFinding("ELIGIBILITY", "eligibility", quote.text))
    for criterion, units in merged.items():
        text = " ".join(u.text for u in units)
        reasons = _reasons(units)
        if _NOT_MET.search(text):
            failing = True
        elif _MET.search(text):
            failing = False
        else:
            failing = any(_NEGATIVE.search(u.text) for u in reasons)
        if not failing:
            met.append(criterion)
            continue
        quote = _best(reasons) or units[0]
        findings.append(RawFinding(criterion, classify([u.text for u in reasons] or [quote.text]), quote.text))
    return findings, met


# --- the pack: cross-check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PackDocument:
    number: int
    title: str
    criterion: str
    text: str
    page_count: int
    pages_estimated: bool


@dataclass(frozen=True)
class PackLetter:
    number: int
    name: str
    text: str


@dataclass(frozen=True)
class Pack:
    documents: list[PackDocument]
    letters: list[PackLetter]
    # CV sentences from the latest CV analysis: criterion -> evidence quotes; "ELIGIBILITY" -> risk quotes.
    cv: dict[str, list[str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.documents and not self.letters and not self.cv


_WORD = re.compile(r"[a-z][a-z0-9'-]{2,}")
STOPWORDS = frozenset(
    """the and for with that this was were has have had not are but from any such their them they its into
    been than only also which who whose what when where our your his her applicant applicant's evidence
    application provided shows show shown demonstrated demonstrate criterion criteria met assessor document
    documents submitted insufficient sufficient could would should does did there here very more most""".split()
)
PASSAGES_PER_FINDING = 2


def _words(text: str) -> set[str]:
    return {w.strip("'") for w in _WORD.findall(text.lower())} - STOPWORDS


def _sentences(text: str) -> list[tuple[int, str]]:
    return [(u.start, u.text) for u in units_of(text) if len(u.text.split()) >= 5]


def passages_for(
    quote: str, *, documents: list[PackDocument], letters: list[PackLetter], cv: list[str] = ()
) -> list[Passage]:
    """The sentences of these documents, letters and CV lines that share most of the assessor's words (two or more)."""
    wanted = _words(quote)
    scored: list[tuple[int, int, Passage]] = []
    for doc in documents:
        length = max(len(doc.text), 1)
        for offset, sentence in _sentences(doc.text):
            shared = sorted(wanted & _words(sentence))
            if len(shared) >= 2:
                page = min(doc.page_count, 1 + offset * max(doc.page_count, 1) // length) if doc.page_count else None
                passage = Passage(
                    source="document",
                    number=doc.number,
                    title=doc.title,
                    page=page,
                    page_estimated=doc.pages_estimated or doc.page_count > 1,
                    text=sentence,
                    overlap=shared,
                )
                scored.append((len(shared), -offset, passage))
    for letter in letters:
        for offset, sentence in _sentences(letter.text):
            shared = sorted(wanted & _words(sentence))
            if len(shared) >= 2:
                scored.append(
                    (
                        len(shared),
                        -offset,
                        Passage(
                            source="letter", number=letter.number, title=letter.name, text=sentence, overlap=shared
                        ),
                    )
                )
    for index, sentence in enumerate(cv):
        shared = sorted(wanted & _words(sentence))
        if len(shared) >= 2:
            scored.append(
                (len(shared), -index, Passage(source="cv", number=0, title="Your CV", text=sentence, overlap=shared))
            )
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [passage for _n, _o, passage in scored[:PASSAGES_PER_FINDING]]


_DOCUMENT_NUMBER = re.compile(r"\bdocuments?\s+(\d+)(?:\s+to\s+(\d+))?", re.I)


def cross_check(finding: RawFinding, pack: Pack) -> Finding:
    """The pack's documents for the finding's criterion and the passages that may answer it."""
    if finding.criterion in rules.CRITERIA and finding.criterion.startswith(("MC", "OC")):
        documents = [d for d in pack.documents if d.criterion == finding.criterion]
        letters: list[PackLetter] = []
    elif finding.criterion == "DOCUMENTS":
        numbers: set[int] = set()
        for match in _DOCUMENT_NUMBER.finditer(finding.quote):
            first = int(match.group(1))
            numbers.update(range(first, int(match.group(2) or first) + 1))
        documents = [d for d in pack.documents if d.number in numbers]
        letters = []
    elif finding.criterion == "LETTERS":
        documents, letters = [], pack.letters
    else:
        documents, letters = [], []
    passages = passages_for(finding.quote, documents=documents, letters=letters, cv=pack.cv.get(finding.criterion, []))
    titles = [f"Document {d.number}: {d.title}" for d in documents] + [f"Letter {x.number}: {x.name}" for x in letters]
    return Finding(
        criterion=finding.criterion,
        classification=finding.classification,
        quote=finding.quote,
        documents=titles,
        passages=passages,
    )


# --- outcome ---------------------------------------------------------------------------------------------


def recommend(findings: list[Finding], met: list[str]) -> tuple[str, list[str]]:
    """request_review / reapply / change_category, with the reasons (fixed sentences filled with facts)."""
    label = rules.CRITERIA
    eligibility = [f for f in findings if f.classification == "eligibility"]
    if any(_CATEGORY_OR_FIELD.search(f.quote) for f in eligibility):
        return "change_category", [
            "The assessor questioned the category or field, not a single document: “"
            + next(f.quote for f in eligibility if _CATEGORY_OR_FIELD.search(f.quote))
            + "”",
            "A review cannot change the category or route; a new application in the right one can.",
        ]
    if eligibility:
        return "reapply", [
            f"{label[f.criterion]}: the assessor judged the role itself ({rules.CLASSIFICATIONS[f.classification]})."
            for f in eligibility
        ] + ["A review only asks whether the evidence was properly considered; it cannot make a role eligible."]
    insufficient = [f for f in findings if f.classification == "insufficient"]
    blocking = [f for f in insufficient if f.criterion in ("MC", "LETTERS", "DOCUMENTS")]
    optional_ok = [c for c in met if c.startswith("OC")] + [
        f.criterion for f in findings if f.criterion.startswith("OC") and f.classification == "not_considered"
    ]
    reviewable = [f for f in findings if f.classification == "not_considered"]
    if reviewable and not blocking and len(set(optional_ok)) >= rules.OPTIONAL_TO_MEET:
        reasons = [
            f"{label[f.criterion]}: the assessor says the evidence was not there or not read — a review can point "
            "to it if it was in your application."
            for f in reviewable
        ]
        reasons.append(
            f"Counting those, the mandatory criterion and {len(set(optional_ok))} optional criteria would be met."
        )
        if insufficient:
            reasons.append("The other points are judged on the evidence itself; a review does not need them.")
        return "request_review", reasons
    reasons = [
        f"{label[f.criterion]}: evidence judged insufficient — a review cannot add evidence." for f in insufficient
    ]
    if reviewable:
        reasons.append("Even if the points the assessor missed were accepted, the application would still fall short.")
    if not reasons:
        reasons.append("No point of the letter says the evidence was overlooked.")
    return "reapply", reasons


def _reference(passage: Passage) -> str:
    if passage.source == "cv":
        return f"CV: “{passage.text}”"
    if passage.source == "letter":
        return f"Letter {passage.number} ({passage.title}): “{passage.text}”"
    page = f", page {'~' if passage.page_estimated else ''}{passage.page}" if passage.page else ""
    return f"Document {passage.number} “{passage.title}”{page}: “{passage.text}”"


def outline_of(findings: list[Finding]) -> list[OutlineItem]:
    """Per finding a review may answer: the quote, the references, and a placeholder. No generated prose."""
    items = []
    for finding in findings:
        if finding.classification != "not_considered":
            continue
        evidence = [_reference(p) for p in finding.passages] or finding.documents
        items.append(
            OutlineItem(
                criterion=finding.criterion,
                quote=finding.quote,
                evidence=evidence,
                placeholder="[In your own words: where in the evidence above the assessor's point is answered, "
                "and why it was not properly considered.]",
            )
        )
    return items


def gaps_of(findings: list[Finding]) -> list[Gap]:
    return [
        Gap(criterion=f.criterion, classification=f.classification, action=rules.GAP_ACTIONS[f.criterion])
        for f in findings
        if f.classification != "not_considered" or f.criterion == "DOCUMENTS"
    ]


def complete(raw: list[RawFinding], met: list[str], pack: Pack, *, engine: str) -> RefusalReview:
    findings = [cross_check(f, pack) for f in raw]
    recommendation, reasons = recommend(findings, met)
    return RefusalReview(
        findings=findings,
        criteria_met=met,
        recommendation=recommendation,
        reasons=reasons,
        outline=outline_of(findings),
        reapplication=gaps_of(findings),
        pack_checked=not pack.empty,
        engine=engine,
    )


def review_local(letter: str, pack: Pack) -> RefusalReview:
    raw, met = read_letter(letter)
    return complete(raw, met, pack, engine=ENGINE)


def is_verbatim(quote: str, letter: str) -> bool:
    """The quote is in the letter (whitespace-insensitive, nothing else)."""
    return bool(quote.strip()) and " ".join(quote.split()) in " ".join(letter.split())
