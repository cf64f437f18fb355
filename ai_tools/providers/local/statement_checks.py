"""What a Personal Statement says, judged by meaning in context rather than by a word appearing.

- Required elements: why the UK, the planned occupation, where in the UK, the benefit to the UK digital
  sector. Each needs a cue of *intent* or *reason* next to the thing itself, so "recognition beyond my
  occupation" is not an occupation, a talk given in London in 2022 is not where the applicant will live,
  and "employee benefits software" is not a benefit to the UK.
- Criteria: a criterion is argued by a sentence that carries its kind of evidence *and* a specific
  (a name, a number, a date). Naming a criterion is a heading, not an argument.
- Claims: a claim of excellence or impact is unsupported when neither its sentence nor the next one in
  the same paragraph has a specific. Category and criterion names are never claims.
"""

import re

from ai_tools import rules
from ai_tools.results import CriterionArgument, ElementCheck, FlaggedSentence

from .lexicon import NOT_NAMES, paragraphs_of, sentences_of
from .signals import compile_words, has_url

# --- places and references to the UK ----------------------------------------------------------------

UK_PLACES = (
    "london",
    "manchester",
    "edinburgh",
    "cambridge",
    "oxford",
    "bristol",
    "leeds",
    "birmingham",
    "glasgow",
    "belfast",
    "cardiff",
    "newcastle",
    "sheffield",
    "liverpool",
    "nottingham",
    "brighton",
    "reading",
    "southampton",
    "york",
    "bath",
    "leicester",
    "coventry",
    "aberdeen",
    "dundee",
    "swansea",
    "norwich",
    "exeter",
    "plymouth",
    "milton keynes",
    "hatfield",
    "st albans",
    "guildford",
    "basingstoke",
    "slough",
    "watford",
    "cheltenham",
    "portsmouth",
    "derby",
    "stoke",
    "hull",
    "sunderland",
    "salford",
    "hackney",
    "shoreditch",
    "canary wharf",
    "king's cross",
    "croydon",
    "the north of england",
    "the north east",
    "the north west",
    "the midlands",
    "scotland",
    "wales",
    "northern ireland",
    "yorkshire",
    "the south west",
    "east anglia",
    "kent",
    "surrey",
)
_PLACE = r"(?:" + "|".join(re.escape(p) for p in sorted(UK_PLACES, key=len, reverse=True)) + r")"
_UK = re.compile(
    r"\b(?:uk|u\.k\.|united kingdom|britain|british|england|english cities|nhs)\b|" + rf"\b{_PLACE}\b", re.I
)
# The place is where the applicant will be: "in Leeds", "to Manchester", "a London start-up", "Edinburgh office".
_PLACE_FRAME = re.compile(
    rf"\b(?:in|to|near|around|from|at|outside|of) (?:central |north |south |east |west |greater )?{_PLACE}\b"
    rf"|\b{_PLACE}(?:'s)?[- ](?:office|offices|start-?up|company|team|headquarters|hq|based|area|fintech|branch)\b",
    re.I,
)
_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|plan(?:s|ning)? to|intend(?:s)? to|aim(?:s)? to|goal is|going to|expect(?:s)? to|hope to|"
    r"would|want(?:s)? to|wish to|look forward to|eager to|enable me|starting|from (?:january|february|march|april|"
    r"may|june|july|august|september|october|november|december|\d{4})|offer|offered|accepted|move|moving|"
    r"relocat\w*|settle|next)\b",
    re.I,
)
_REASON = re.compile(
    r"\b(?:because|why|reason|reasons|since the|ecosystem|hub|home to|centre|center|market|markets|offers|"
    r"attract\w*|draws?|chose|choose|choosing|opportunit\w*|access to|leading|largest|most|best|strongest|"
    r"perfect|ideal|allows?|lets|means|is where|renowned|funding|investors?|rules|regulat\w*|community|"
    r"environment|advanced|mature|cluster|densest|strongest|biggest)\b",
    re.I,
)
# --- elements -----------------------------------------------------------------------------------------

_OCCUPATION_JOB = re.compile(
    r"\b(?:work(?:ing)? (?:as|at|for|in|there)|join(?:ing)?|continue (?:my|our) (?:work|research)|"
    r"as (?:a |an |the |its )?(?:[\w-]+ ){0,4}(?:engineer|developer|designer|scientist|researcher|manager|cto|ceo|"
    r"cpo|founder|lead|director|architect|analyst|executive|officer)|role|position|job|post|headquarters|office|"
    r"start (?:a|my|our) (?:company|start-?up|business)|found (?:a|my)|launch (?:a|my|our)|open (?:a|our|my))\b",
    re.I,
)
_OCCUPATION_INTENT = re.compile(
    r"\b(?:will|'ll|plan(?:s)? to|intend(?:s)? to|aim(?:s)? to|going to|expect(?:s)? to|hope to|want(?:s)? to|"
    r"would|offer|offered|accepted|starting|planned occupation)\b",
    re.I,
)
_BENEFIT_STRONG = re.compile(
    r"\bbenefit(?:s|ing)? (?:the|to|for|uk|british)\b(?! ?(?:platform|software|package|scheme|marketplace|app))"
    r"|\bcontribut\w* (?:\w+ly )?(?:to|towards)\b|\bcontribution to\b|\badd (?:\w+ )?value\b|\bmake (?:a |an )?(?:\w+ )?"
    r"(?:impact|contribution)\b|\bcreate (?:\w+ ){0,2}(?:jobs|roles)\b|\bgive back\b|\bstrengthen\b|\bgrow the\b",
    re.I,
)
_BENEFIT_WEAK = re.compile(
    r"\b(?:help(?:ing)?|teach(?:ing)?|train(?:ing)?|mentor(?:ing)?|hire|hiring|shar(?:e|ing)|releas(?:e|ing)|"
    r"open(?:ing)? (?:source|our|my)|run (?:free )?workshops?|bring(?:ing)?|keep (?:\w+ ){0,2}(?:free|open))\b",
    re.I,
)
_SECTOR = re.compile(r"\b(?:sector|ecosystem|industry|community|start-?ups|companies|universities|students)\b", re.I)

ELEMENT_LABELS = {
    "why_uk": "Why the UK",
    "occupation": "Planned occupation",
    "where_in_uk": "Where in the UK",
    "benefit": "Benefit to the UK digital sector",
    "criteria": "How you meet the criteria",
}
ELEMENT_ADVICE = {
    "why_uk": "Missing: say why the UK specifically - its market, rules, companies or people you will work with.",
    "occupation": "Missing: say what you will do in the UK - the role and the company you will join or start.",
    "where_in_uk": "Missing: say where in the UK you will live and work (a city or region), not only where you "
    "have been.",
    "benefit": "Missing: say how your work will benefit the UK digital technology sector - jobs, products, skills "
    "or communities, with specifics.",
    "criteria": "Argue the mandatory criterion and two optional criteria, each with a sentence that names what "
    "you did and a number, name or date.",
}


def _why_uk(s: str) -> bool:
    return bool(_UK.search(s) and _REASON.search(s) and not _past_event_only(s))


def _occupation(s: str) -> bool:
    return bool(_OCCUPATION_INTENT.search(s) and _OCCUPATION_JOB.search(s))


def _where(s: str) -> bool:
    return bool(_PLACE_FRAME.search(s) and _FUTURE.search(s))


def _benefit(s: str) -> bool:
    if not (_UK.search(s) or _SECTOR.search(s)):
        return False
    strong = _BENEFIT_STRONG.search(s)
    # "to contribute to", "a contribution to": forward-looking as written; "contributed to" needs a future cue.
    if strong and not re.search(r"(?:ed|made)\b", strong.group(0).split()[0]):
        return True
    return bool(_FUTURE.search(s) and (strong or (_UK.search(s) and _BENEFIT_WEAK.search(s))))


_PAST_EVENT = re.compile(r"\b(?:in|at) (?:19|20)\d\d\b|\b(?:gave|spoke|presented|visited|attended|spent)\b", re.I)


def _past_event_only(s: str) -> bool:
    return bool(_PAST_EVENT.search(s)) and not _FUTURE.search(s) and not re.search(r"\b(?:because|why)\b", s, re.I)


ELEMENT_TESTS = {"why_uk": _why_uk, "occupation": _occupation, "where_in_uk": _where, "benefit": _benefit}

# --- specifics ----------------------------------------------------------------------------------------

# Capitalised words that are not specifics (they name the visa, its categories and criteria, or the UK).
GENERIC_CAPITALS = NOT_NAMES | {
    "I'd",
    "I'll",
    "England",
    "Mandatory",
    "Optional",
    "Criterion",
    "Criteria",
    "MC",
    "OC1",
    "OC2",
    "OC3",
    "OC4",
    "Innovation",
    "Recognition",
    "Significant",
    "Academic",
    "Contributions",
    "Why",
    "My",
    "The",
    "In",
    "As",
    "At",
    "For",
    "Beyond",
}
_CAPITAL_WORD = re.compile(r"\b[A-Z][\w'&.-]*[\w]")
_DIGIT = re.compile(r"\d")


def specifics(sentence: str) -> list[str]:
    """Names, numbers and dates in a sentence (the first word is skipped: it is capitalised anyway)."""
    found = [m.group(0) for m in re.finditer(r"[£$€]?\d[\d,.]*%?", sentence)]
    words = list(_CAPITAL_WORD.finditer(sentence))
    for m in words:
        if m.start() == 0 or sentence[: m.start()].strip() in ('"', "'", "(", "\u201c"):
            continue
        word = m.group(0).rstrip(".")
        if word not in GENERIC_CAPITALS and word.split("'")[0] not in GENERIC_CAPITALS:
            found.append(word)
    if has_url(sentence):
        found.append("link")
    return found


# --- criteria -----------------------------------------------------------------------------------------

_CRITERION_EVIDENCE = {
    "MC": compile_words(
        rules.SIGNALS["award"]
        + rules.SIGNALS["press"]
        + rules.SIGNALS["judge"]
        + (
            r"keynotes?",
            r"invited (?:talk|to speak|to give)",
            r"(?:spoke|spoken|speak|talked|presented)(?: \w+){0,4} at",
            r"speaker at",
            r"(?:give|gave|given|giving) (?:a |the )?(?:talk|keynote)",
            r"talks? at",
            r"cited \d[\d,]* times",
            r"written about",
            r"covered by",
            r"interview(?:ed)?",
        )
    ),
    "OC1": compile_words(
        rules.SIGNALS["founder_exec"]
        + rules.SIGNALS["patent"]
        + (
            r"invented",
            r"first (?:to|ever)",
            r"new (?:approach|technique|category|field|way)",
            r"novel",
            r"designed and built",
            r"built (?:its|the) first version",
        )
    ),
    "OC2": compile_words(
        rules.SIGNALS["open_source"]
        + rules.SIGNALS["mentor"]
        + rules.SIGNALS["community"]
        + rules.SIGNALS["hackathon"]
        + (
            r"teach(?:es|ing)?",
            r"review(?:s|ed|er)? for",
            r"(?:run|runs|ran|teach|teaches|taught|give|gave) (?:a |an )?(?:free )?(?:[\w-]+ ){0,2}(?:course|class|classes|workshops?)",
            r"(?:released|open-sourced|published) (?:the |an? |our |my )?(?:[\w-]+ ){0,2}(?:dataset|data set|library|tool)",
            r"(?:spoke|spoken|speak|talked|presented)(?: \w+){0,4} at",
            r"talks? at",
        )
    ),
    "OC3": compile_words(
        rules.SIGNALS["commercial"]
        + rules.SIGNALS["tech_leadership"]
        + (r"rebuilt", r"rewrote", r"redesigned", r"cut", r"fell", r"designed", r"added")
    ),
    "OC4": compile_words(
        (
            r"papers?",
            r"journal",
            r"proceedings",
            r"arxiv",
            r"peer[- ]reviewed",
            r"cited",
            r"citations?",
            r"neurips",
            r"icml",
            r"iclr",
            r"cvpr",
            r"iccv",
            r"acl",
            r"emnlp",
            r"naacl",
            r"kdd",
            r"ieee",
            r"acm",
            r"published (?:in|at) (?:the )?(?:journal|proceedings|conference)",
            r"research (?:paper|article)",
        )
    ),
}
# A number only counts for OC3 (the size of a contribution), not a year.
_EXPLICIT = {
    "MC": re.compile(r"mandatory criterion|\bmc\b", re.I),
    "OC1": re.compile(r"\boc ?1\b|optional criterion (?:1|one)", re.I),
    "OC2": re.compile(r"\boc ?2\b|optional criterion (?:2|two)|recognition beyond (?:my |the )?occupation", re.I),
    "OC3": re.compile(
        r"\boc ?3\b|optional criterion (?:3|three)|significant (?:technical |commercial )?contributions?", re.I
    ),
    "OC4": re.compile(r"\boc ?4\b|optional criterion (?:4|four)|academic contributions?", re.I),
}


def _has_size(sentence: str) -> bool:
    """A number that measures something (a year is a date, not a size)."""
    return any(re.search(r"\d", f) and not re.fullmatch(r"(?:19|20)\d\d", f) for f in specifics(sentence))


def _argues(code: str, sentence: str, following: str = "") -> bool:
    """The sentence carries this criterion's kind of evidence and a specific; for OC3 (the size of a
    contribution) the measure may be in the next sentence of the paragraph ("I built X. It now serves 9m...")."""
    if not _CRITERION_EVIDENCE[code].search(_without_names(sentence)):
        return False
    if code == "OC3":
        return _has_size(sentence) or _has_size(following)
    return bool(specifics(sentence))


def _pair(sentences: list[str], j: int) -> tuple[str, str]:
    return sentences[j], sentences[j + 1] if j + 1 < len(sentences) else ""


def criteria_arguments(text: str) -> list[CriterionArgument]:
    """Each criterion with the first sentence that argues it (a heading naming it points to the next sentence)."""
    paragraphs = [sentences_of(p) for p in paragraphs_of(text)]
    out = []
    for code, criterion in rules.CRITERIA.items():
        found = None
        for sentences in paragraphs:
            for i, sentence in enumerate(sentences):
                window = range(i, min(i + 2, len(sentences))) if _EXPLICIT[code].search(sentence) else [i]
                found = next((sentences[j] for j in window if _argues(code, *_pair(sentences, j))), None)
                if found:
                    break
            if found:
                break
        advice = (
            None
            if found
            else f"Not argued: add a sentence that shows {criterion.summary[0].lower()}{criterion.summary[1:]}"
        )
        out.append(CriterionArgument(code=code, name=criterion.name, argued=bool(found), sentence=found, advice=advice))
    return out


_BACK_REFERENCE = re.compile(
    r"^(?:that|this|these|those)(?: is| are|'s)? (?:why|the reasons?)|^for (?:these|those|this) reasons?", re.I
)


def _candidates(text: str) -> list[str]:
    """Each sentence, and "X. That is why Y." read together (the reason is in the sentence before)."""
    out = []
    for sentences in (sentences_of(p) for p in paragraphs_of(text)):
        for i, sentence in enumerate(sentences):
            if i and _BACK_REFERENCE.search(sentence):
                out.append(f"{sentences[i - 1]} {sentence}")
            out.append(sentence)
    return out


def elements(text: str, arguments: list[CriterionArgument]) -> list[ElementCheck]:
    sentences = _candidates(text)
    checks = []
    for code, test in ELEMENT_TESTS.items():
        sentence = next((s for s in sentences if test(s)), None)
        checks.append(
            ElementCheck(
                code=code,
                label=ELEMENT_LABELS[code],
                present=sentence is not None,
                sentence=sentence,
                advice=None if sentence else ELEMENT_ADVICE[code],
            )
        )
    argued = [a for a in arguments if a.argued]
    optional = [a for a in argued if a.code != "MC"]
    mc = next((a for a in argued if a.code == "MC"), None)
    present = mc is not None and len(optional) >= rules.OPTIONAL_CRITERIA_TO_MEET
    if present:
        advice = None
    else:
        have = ", ".join(a.code for a in argued) or "no criterion"
        advice = f"The statement argues {have}; it needs the MC and two of OC1-OC4. " + ELEMENT_ADVICE["criteria"]
    checks.append(
        ElementCheck(
            code="criteria",
            label=ELEMENT_LABELS["criteria"],
            present=present,
            sentence=(mc or (argued[0] if argued else None)).sentence if argued else None,
            advice=advice,
        )
    )
    return checks


# --- claims -------------------------------------------------------------------------------------------

# Category and criterion names: never claims, so they are blanked out before claims are looked for.
_NAMES = re.compile(
    r"exceptional (?:talent|promise)|recognition beyond (?:my |the )?occupation|significant (?:technical |commercial |"
    r"entrepreneurial )?contributions?|academic contributions?|mandatory criterion|optional criteri(?:on|a)(?: \d)?|"
    r"leading talent|global talent",
    re.I,
)
CLAIM_WORDS = rules.UNSUPPORTED_CLAIM_WORDS + (
    r"well[- ]known",
    r"proven track record",
    r"outstanding",
    r"excellent",
    r"extensive",
    r"visionary",
    r"profound",
    r"remarkable",
    r"impactful",
    r"countless",
    r"various",
)


def _without_names(sentence: str) -> str:
    return _NAMES.sub(lambda m: "_" * len(m.group(0)), sentence)


def unsupported_claims(text: str) -> list[FlaggedSentence]:
    pattern = compile_words(CLAIM_WORDS)
    flagged = []
    for paragraph in paragraphs_of(text):
        sentences = sentences_of(paragraph)
        for i, sentence in enumerate(sentences):
            m = pattern.search(_without_names(sentence))
            if not m:
                continue
            nearby = sentences[i : i + 2]
            if any(specifics(_without_names(s)) for s in nearby):
                continue
            phrase = sentence[m.start() : m.end()]
            flagged.append(
                FlaggedSentence(
                    sentence=sentence,
                    phrase=phrase,
                    reason=f"'{phrase}' is a claim with nothing specific (a name, number, date or outlet) in this "
                    "sentence or the next one.",
                )
            )
    return flagged
