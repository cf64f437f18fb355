"""AI-phrasing and cliché lexicon, plus structural signals: does a text read as AI-written or templated?

Tech Nation refuses AI-written statements and assessors screen for templated letters, so the coach
warns before they do. The lists below are maintained by hand; each says where it comes from. Review
them when the guidance or the literature changes (last reviewed: ``LEXICON_REVIEWED_ON``).

Public entry points (the recommendation-letter checks reuse them):

    ai_likeness(text) -> AILikeness      verdict + score + reasons + every phrase found
    find_phrases(text) -> list[PhraseHit]
    repeated_sentences(text) / repeated_paragraphs(text)

Sources
-------
AI_PHRASES - words and phrases that became far more frequent in text after ChatGPT:
  * Kobak, González-Márquez, Horvát, Lause, "Delving into ChatGPT usage in academic writing through
    excess vocabulary" (arXiv:2406.07016, 2024): "delves", "showcasing", "underscores", "intricate",
    "pivotal", "meticulous", "realm", "notably", "commendable", "garnered"...
  * Liang et al., "Mapping the increasing use of LLMs in scientific papers" (arXiv:2404.01268, 2024).
  * Wikipedia: "Signs of AI writing" (WP:AISIGNS), which lists "tapestry", "testament", "vibrant",
    "landscape", "it is worth noting", "in conclusion", "not only ... but also", "navigate", "foster".
STATEMENT_CLICHES - stock phrases of personal statements:
  * UCAS's published lists of the most over-used personal-statement openings ("I have always been
    passionate about", "from a young age", "for as long as I can remember"), and UK university
    careers services' advice on words to avoid ("passionate", "hard-working", "team player",
    "results-driven", "think outside the box").
  * Refusal-letter wording for Global Talent ("templating is evident"), which is why stock
    openings and closings count here.
STOCK_OPENINGS / STOCK_CLOSINGS - the first and last sentence patterns common to both lists above.
"""

import re
import statistics
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Literal

LEXICON_REVIEWED_ON = date(2026, 12, 4)

# (pattern, shown as) - patterns are matched case-insensitively on word boundaries.
AI_PHRASES: tuple[tuple[str, str], ...] = (
    (r"delv(?:e|es|ed|ing)(?: deep)?(?: into)?", "delve"),
    (r"(?:rich |vibrant )?tapestry", "tapestry"),
    (r"(?:is |a |stands as a )?testament to", "testament to"),
    (r"unwavering", "unwavering"),
    (r"spearhead(?:ed|ing|s)?", "spearheaded"),
    (r"seamless(?:ly)?", "seamlessly"),
    (r"(?:in )?the realm of|realms?", "realm"),
    (r"leverag(?:e|ed|ing) (?:my|our|the)? ?synerg(?:y|ies)", "leverage my synergies"),
    (r"synerg(?:y|ies|istic)", "synergy"),
    (r"leverag(?:e|ed|ing)", "leverage"),
    (r"embark(?:ed|ing)? on (?:a|this|my|the) (?:new )?(?:journey|chapter|path)", "embark on a journey"),
    (
        r"in today's (?:fast[- ]paced|ever[- ]changing|rapidly evolving|digital|modern)(?: digital)? (?:landscape|world|age|era)",
        "in today's fast-paced digital landscape",
    ),
    (r"in an era (?:defined|marked|characteri[sz]ed) by", "in an era defined by"),
    (r"(?:digital |technology |tech |ever[- ]evolving |evolving )?landscape", "landscape"),
    (r"it is (?:worth|important to) not(?:e|ing)", "it is worth noting"),
    (r"in conclusion", "in conclusion"),
    (r"in summary", "in summary"),
    (r"pivotal", "pivotal"),
    (r"foster(?:ed|ing|s)?", "foster"),
    (r"robust", "robust"),
    (r"meticulous(?:ly)?", "meticulous"),
    (r"underscor(?:e|es|ed|ing)", "underscore"),
    (r"multifaceted", "multifaceted"),
    (r"intricate", "intricate"),
    (r"showcas(?:e|es|ed|ing)", "showcase"),
    (r"vibrant", "vibrant"),
    (r"thriving", "thriving"),
    (r"navigat(?:e|ed|ing)", "navigate"),
    (r"harness(?:ed|ing)?", "harness"),
    (r"transformative", "transformative"),
    (r"holistic", "holistic"),
    (r"(?:a )?beacon of", "beacon of"),
    (r"at the forefront of", "at the forefront of"),
    (r"ever[- ]evolving", "ever-evolving"),
    (r"cutting[- ]edge", "cutting-edge"),
    (r"commitment to excellence", "commitment to excellence"),
    (r"(?:i am|i'm) (?:thrilled|excited|eager) to", "I am thrilled to"),
    (r"elevat(?:e|ed|ing) (?:my|the|our)", "elevate"),
    (r"empower(?:s|ed|ing)?", "empower"),
    (r"moreover", "moreover"),
    (r"furthermore", "furthermore"),
    (r"additionally", "additionally"),
    (r"a diverse (?:array|range) of", "a diverse array of"),
    (r"(?:proven|strong) track record", "proven track record"),
    (r"cornerstone", "cornerstone"),
    (r"garner(?:ed|ing)?", "garnered"),
    (r"(?:drive|driving|drove) (?:meaningful|transformative|lasting) (?:change|impact)", "drive meaningful change"),
    (r"(?:meaningful|lasting|profound) (?:impact|contribution)", "lasting impact"),
    (r"stay(?:ing)? abreast of", "stay abreast of"),
    (r"(?:unique|diverse) (?:blend|skill set|skillset) of|unique blend", "unique blend of skills"),
    (r"interplay", "interplay"),
    (r"as a seasoned", "as a seasoned"),
    (r"new heights", "new heights"),
)

STATEMENT_CLICHES: tuple[tuple[str, str], ...] = (
    (
        r"(?:i have|i've) always been (?:fascinated|passionate|interested|intrigued)(?: by| with| in| about)?",
        "I have always been fascinated by",
    ),
    (r"from a (?:very )?young age", "from a young age"),
    (r"for as long as i can remember", "for as long as I can remember"),
    (r"(?:i am|i'm) (?:deeply |truly |very )?passionate about", "I am passionate about"),
    (r"passion for", "passion for"),
    (r"(?:i am|i'm) writing to express", "I am writing to express"),
    (r"hard[- ]working", "hard-working"),
    (r"results[- ]driven", "results-driven"),
    (r"team player", "team player"),
    (r"think outside the box", "think outside the box"),
    (r"hit the ground running", "hit the ground running"),
    (r"make a (?:real |positive |meaningful )?difference", "make a difference"),
    (r"game[- ]changer", "game-changer"),
    (r"dynamic (?:environment|professional|environments)", "dynamic environment"),
    (r"(?:innovative|high-quality) solutions", "innovative solutions"),
    (r"cross-functional teams", "cross-functional teams"),
    (r"(?:ideal|perfect|excellent) (?:candidate|place|environment)", "ideal candidate"),
    (r"next chapter", "next chapter"),
    (r"(?:i am|we are) confident that", "I am confident that"),
    (r"(?:i|we) look forward to", "I look forward to"),
    (r"thought leader", "thought leader"),
    (r"dream (?:of|to)", "dream of"),
    (r"world-class", "world-class"),
    (r"comprehensive skill ?set", "comprehensive skill set"),
)

STOCK_OPENINGS = (
    r"^in today's",
    r"^in an (?:era|age|world)",
    r"^(?:i have|i've) always been",
    r"^from a (?:very )?young age",
    r"^for as long as i can remember",
    r"^as a (?:seasoned|passionate|dedicated|highly)",
    r"^i am writing to",
    r"^ever since i",
    r"^technology has (?:always|become)",
)
STOCK_CLOSINGS = (
    r"^in conclusion",
    r"^in summary",
    r"^to (?:conclude|summari[sz]e)",
    r"^ultimately",
    r"^i am confident that",
    r"^i look forward to",
    r"^overall,",
)

# Thresholds (per text). Tuned on bench/corpus/statements; see README "AI tools".
AI_HITS_PER_100_WORDS = 2.0  # distinct AI-phrase hits per 100 words that alone make a text read as AI
UNIFORM_CV = 0.28  # sentence-length coefficient of variation below this is "uniform" (needs >= 8 sentences)
MIN_SENTENCES_FOR_RHYTHM = 8

Verdict = Literal["reads_as_ai", "some_signs", "reads_human"]
VERDICT_MESSAGES = {
    "reads_as_ai": "Reads as AI-written / templated: rewrite in your own words.",
    "some_signs": "Some phrases read as AI-written or templated: replace them with your own words and facts.",
    "reads_human": "Reads as your own writing.",
}


@dataclass(frozen=True)
class PhraseHit:
    phrase: str  # as written in the text
    label: str  # the lexicon entry
    kind: Literal["ai_phrase", "cliche"]
    sentence: str


@dataclass(frozen=True)
class AILikeness:
    verdict: Verdict
    score: int  # 0-100, higher reads more like AI/template text
    reasons: list[str]
    hits: list[PhraseHit] = field(default_factory=list)
    repeated_sentences: list[str] = field(default_factory=list)
    repeated_paragraphs: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return VERDICT_MESSAGES[self.verdict]


# Capitalised words that are not facts about the applicant.
NOT_NAMES = {
    "I",
    "I'm",
    "I've",
    "UK",
    "UK's",
    "United",
    "Kingdom",
    "Kingdom's",
    "Britain",
    "British",
    "Global",
    "Talent",
    "Promise",
    "Exceptional",
    "Tech",
    "Nation",
    "Visa",
    "English",
    "AI",
    "Personal",
    "Statement",
}


@cache
def _compiled(entries: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.IGNORECASE), label) for p, label in entries)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[\u201cA-Z0-9])")


def sentences_of(text: str) -> list[str]:
    """Sentences, paragraph by paragraph (a line break always ends one)."""
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        out.extend(s.strip() for s in _SENTENCE_END.split(line.strip()) if len(s.strip()) > 2)
    return out


def paragraphs_of(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def find_phrases(text: str) -> list[PhraseHit]:
    """Every lexicon hit, sentence by sentence. Overlapping entries report the longest match once."""
    hits = []
    for sentence in sentences_of(text):
        taken: list[tuple[int, int]] = []
        for kind, entries in (("ai_phrase", AI_PHRASES), ("cliche", STATEMENT_CLICHES)):
            for pattern, label in _compiled(entries):
                for m in pattern.finditer(sentence):
                    if any(m.start() < b and a < m.end() for a, b in taken):
                        continue
                    taken.append((m.start(), m.end()))
                    hits.append(PhraseHit(phrase=m.group(0), label=label, kind=kind, sentence=sentence))
    return hits


def _repeated(pieces: list[str], min_words: int) -> list[str]:
    """Pieces of at least ``min_words`` words that appear more than once (first wording kept), in order."""
    seen: dict[str, str] = {}
    counts: dict[str, int] = {}
    for piece in pieces:
        key = _norm(piece)
        if len(key.split()) >= min_words:
            seen.setdefault(key, piece)
            counts[key] = counts.get(key, 0) + 1
    return [seen[k] for k, n in counts.items() if n > 1]


def repeated_sentences(text: str) -> list[str]:
    return _repeated(sentences_of(text), 5)


def repeated_paragraphs(text: str) -> list[str]:
    return _repeated(paragraphs_of(text), 8)


def _rhythm(sentences: list[str]) -> float | None:
    """Coefficient of variation of sentence lengths (None when too few sentences to judge)."""
    lengths = [len(s.split()) for s in sentences]
    if len(lengths) < MIN_SENTENCES_FOR_RHYTHM:
        return None
    mean = statistics.fmean(lengths)
    return statistics.pstdev(lengths) / mean if mean else None


def _specifics_per_sentence(sentences: list[str]) -> float:
    """Share of sentences with a digit or a capitalised name after the first word: plain writing has facts."""
    if not sentences:
        return 0.0
    with_fact = 0
    for s in sentences:
        words = s.split()[1:]
        if re.search(r"\d", s) or any(w[:1].isupper() and w.strip(".,;:()'\"") not in NOT_NAMES for w in words):
            with_fact += 1
    return with_fact / len(sentences)


def ai_likeness(text: str) -> AILikeness:
    """Overall verdict with the reasons that led to it (deterministic)."""
    sentences = sentences_of(text)
    words = max(1, len(text.split()))
    hits = find_phrases(text)
    ai_labels = {h.label for h in hits if h.kind == "ai_phrase"}
    cliche_labels = {h.label for h in hits if h.kind == "cliche"}
    density = 100 * len(ai_labels) / words
    rep_s, rep_p = repeated_sentences(text), repeated_paragraphs(text)
    reasons: list[str] = []
    score = 0.0

    if ai_labels:
        shown = ", ".join(f"'{label}'" for label in sorted(ai_labels)[:8])
        reasons.append(
            f"{len(ai_labels)} phrase{'s' if len(ai_labels) != 1 else ''} typical of AI-written text: {shown}."
        )
        score += min(60.0, density * 20)
    if cliche_labels:
        shown = ", ".join(f"'{label}'" for label in sorted(cliche_labels)[:6])
        reasons.append(
            f"{len(cliche_labels)} stock phrase{'s' if len(cliche_labels) != 1 else ''} of personal statements: {shown}."
        )
        score += min(15.0, 5.0 * len(cliche_labels))
    opening = sentences[0].lower() if sentences else ""
    closing_paragraph = paragraphs_of(text)[-1].lower() if text.strip() else ""
    stock_open = any(re.search(p, opening) for p in STOCK_OPENINGS)
    stock_close = any(re.search(p, closing_paragraph) for p in STOCK_CLOSINGS)
    if stock_open:
        reasons.append("It opens with a stock line.")
        score += 10
    if stock_close:
        reasons.append("It closes with a stock line ('In conclusion', 'I am confident that'...).")
        score += 10
    rhythm = _rhythm(sentences)
    if rhythm is not None and rhythm < UNIFORM_CV:
        reasons.append("Sentences are all about the same length, a pattern of generated text.")
        score += 10
    specifics = _specifics_per_sentence(sentences)
    if sentences and specifics < 0.35:
        reasons.append(
            f"Only {round(specifics * 100)}% of sentences name anything specific (a company, a number, a date)."
        )
        score += 15
    if rep_p:
        reasons.append(f"{len(rep_p)} paragraph{'s are' if len(rep_p) != 1 else ' is'} repeated.")
    if rep_s:
        reasons.append(f"{len(rep_s)} sentence{'s are' if len(rep_s) != 1 else ' is'} repeated.")
    if rep_s or rep_p:
        score += 10

    score = min(100, round(score))
    strong_lexicon = density >= AI_HITS_PER_100_WORDS
    structural = sum([stock_open, stock_close, rhythm is not None and rhythm < UNIFORM_CV, specifics < 0.35])
    if strong_lexicon or (len(ai_labels) >= 3 and structural >= 2) or score >= 60:
        verdict: Verdict = "reads_as_ai"
    elif ai_labels or len(cliche_labels) >= 2 or structural >= 2 or rep_p:
        verdict = "some_signs"
    else:
        verdict = "reads_human"
    return AILikeness(
        verdict=verdict,
        score=score,
        reasons=reasons,
        hits=hits,
        repeated_sentences=rep_s,
        repeated_paragraphs=rep_p,
    )
