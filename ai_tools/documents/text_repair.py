"""Text clean-up after extraction, and the verdict on whether the text can be trusted.

``normalise_text``  one canonical form for every kind of upload (NFKC, dashes in date ranges, soft hyphens).
``repair_pdf_text`` what only PDFs need: unmapped glyphs, line-end hyphenation, headings glued to a line.
``assess_text``     finds glued words ("Ledtheplatformmigration") and repairs them with an English word list,
                    or says the text is unreadable (mis-encoded fonts, too few real words).

The word list is wordninja's (MIT; 126k English words ranked by frequency, pinned in requirements.txt).
It is loaded only when the cheap checks find something suspicious.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from ai_tools import rules

QUALITY_GOOD = "good"
QUALITY_REPAIRED = "repaired"
QUALITY_UNREADABLE = "unreadable"

REPAIRED_WARNING = (
    "This PDF's text had no spaces between some words; we repaired it. Check the roles and dates below "
    "before you run the analysis."
)
UNREADABLE_WARNING = (
    "We could not read this PDF's text reliably (its fonts do not say which letters they draw). "
    "Upload a DOCX, or export the PDF again from Word or Google Docs."
)

_YEAR = r"(?:19[6-9]\d|20\d\d)"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_RANGE_END = rf"(?:{_YEAR}\b|\d{{1,2}}[/.]{_YEAR}\b|{_MONTH}\s*{_YEAR}|present\b|now\b|current\b|today\b|date\b)"
# A dash of any kind (or LaTeX's "--", or a soft hyphen used as a dash) between a year and the end of a range.
_DATE_DASH = re.compile(rf"(?<={_YEAR})\s*(?:-{{1,2}}|[\u2010-\u2015\u2212\u00ad])\s*(?={_RANGE_END})", re.IGNORECASE)
# "LondonJul 2023": a date run into the word before it (two text runs with no space between them).
_GLUED_MONTH = re.compile(rf"(?<=(?-i:[a-z]))(?=(?-i:[A-Z]))(?={_MONTH}\s*{_YEAR}\b)", re.IGNORECASE)
_ODD_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "\u2013", "\u2015": "\u2014", "\u2212": "-"})
_CID = re.compile(r"\(cid:\d+\)")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_URLISH = re.compile(r"\S*(?:@|://|www\.|\.(?:com|org|dev|io|net|ai|co|uk|eu)\b|/)\S*", re.IGNORECASE)

GLUED_MIN_LETTERS = 15  # shorter runs are ordinary words or names
GLUED_MIN_TOKENS = 2  # one odd long word is not a glued extraction
UNREADABLE_MAX_WORD_SHARE = 0.5  # under half the words in the dictionary: garbage, not a CV
SUSPICIOUS_MEAN_TOKEN = 9.0  # English prose averages ~5 characters a token
# Even terse CV bullets are ~10 % these words; text from a font with a wrong character map has none.
_COMMON_WORDS = frozenset("a an and as at by for from in of on or the to with".split())
SUSPICIOUS_COMMON_SHARE = 0.03


def normalise_text(text: str) -> str:
    """One canonical form for analysis: NFKC (ligatures, odd spaces), Unix newlines, no runs of blanks,
    date-range dashes as " – " (including soft hyphens and "--" used as dashes), other soft hyphens removed."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u200b", "").translate(_ODD_DASHES)
    text = _GLUED_MONTH.sub(" ", text)
    text = _DATE_DASH.sub(" \u2013 ", text)
    text = re.sub(r"\u00ad\s*", "", text)  # a soft hyphen anywhere else is an invisible break hint
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- PDF-only repairs -------------------------------------------------------------------------

_HEADING_WORDS = sorted(
    {h for headings in rules.SECTION_HEADINGS.values() for h in headings if len(h) > 4}, key=len, reverse=True
)
_GLUED_HEADING = re.compile(
    rf"^(?P<body>.*[a-z.)\d])\s*(?P<heading>{'|'.join(re.escape(h.upper()) for h in _HEADING_WORDS)})$"
)
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_])")
_HEADINGS = frozenset(h for headings in rules.SECTION_HEADINGS.values() for h in headings)
# Symbol/Wingdings bullets (private use area) and other bullet-like glyphs at the start of a line.
_BULLET_GLYPH = re.compile(
    r"^\s*(?:\(cid:\d+\)|[\ue000-\uf8ff\u25aa\u25cf\u25a0\u2023\u2043\u2219\u007f])\s*", re.MULTILINE
)
# Two dates side by side with the dash lost ("Sep. 2023 Present", "Sep. 2022 Mar. 2023"): a range.
_DASHLESS_RANGE = re.compile(
    rf"(\b{_MONTH}\s{_YEAR})\s+(?=(?:{_MONTH}\s*{_YEAR}|present|now|current)\b)", re.IGNORECASE
)


# A line that ends with a year or "Present" is a role or date line: wrapped text never continues it.
ENDS_WITH_DATE = re.compile(r"(?:(?:19|20)\d\d|present|now|current|today)\W*$", re.IGNORECASE)


def is_heading(line: str) -> bool:
    """A known CV section heading on its own ("Experience", "WORK EXPERIENCE:", "Talks")."""
    return re.sub(r"[:#*\s]+$", "", line.strip()).lower() in _HEADINGS


def repair_pdf_text(text: str) -> str:
    text = _BULLET_GLYPH.sub("\u2022 ", text)  # unmapped or symbol-font bullets
    text = _CID.sub("", text)
    text = _DASHLESS_RANGE.sub("\\1 \u2013 ", text)
    text = _LINE_END_HYPHEN.sub(_join_hyphenated, text)
    lines = []
    for line in text.split("\n"):
        match = _GLUED_HEADING.match(line.strip())
        if match and match["body"].strip():
            lines += [match["body"].strip(), match["heading"]]
        else:
            lines.append(line)
    return "\n".join(lines)


def _join_hyphenated(match: re.Match) -> str:
    """'infer-\\nence' -> 'inference'; 'long-\\ncontext' keeps its hyphen. Decided with the word list."""
    text = match.string
    start = match.start()
    left = _LETTER_RUN.findall(text[max(0, start - 40) : start])
    right = _LETTER_RUN.match(text, match.end())
    if not left or right is None:
        return "-"
    head, tail = left[-1], right.group(0)
    if tail[0].isupper():
        return "-"
    words = _dictionary()
    if (head + tail).lower() in words or head.lower() not in words or tail.lower() not in words:
        return ""
    return "-"


# --- quality ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextQuality:
    text: str
    quality: str  # good | repaired | unreadable
    warnings: tuple[str, ...]
    glued_repaired: int
    word_share: float | None  # share of dictionary words; None when the cheap checks were enough


@cache
def _dictionary() -> frozenset[str]:
    import wordninja

    return frozenset(wordninja.DEFAULT_LANGUAGE_MODEL._wordcost)  # pinned wordninja 2.0.0


def _split_glued(run: str) -> list[str] | None:
    """The words a glued run is made of, or None when it does not look glued."""
    import wordninja

    words = _dictionary()
    if run.lower() in words:
        return None
    parts = wordninja.split(run)
    if len(parts) < 2 or "".join(parts) != run:
        return None
    known = [p for p in parts if p.lower() in words and (len(p) > 1 or p.lower() in ("a", "i"))]
    if len(known) < len(parts) or sum(map(len, parts)) / len(parts) < 2.5:
        return None
    return parts


def _word_runs(text: str) -> list[str]:
    return _LETTER_RUN.findall(_URLISH.sub(" ", text))


def assess_text(text: str, *, is_pdf: bool) -> TextQuality:
    """Repair glued words and judge whether the text is readable. Only PDFs are repaired or rejected:
    a DOCX or TXT holds the characters the author typed."""
    if not is_pdf:
        return TextQuality(text, QUALITY_GOOD, (), 0, None)
    tokens = _URLISH.sub(" ", text).split()
    runs = _word_runs(text)
    long_runs = [r for r in runs if len(r) >= GLUED_MIN_LETTERS]
    mean_token = sum(map(len, tokens)) / len(tokens) if tokens else 0.0
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Co", "Cn") or ch == "\ufffd")
    common = sum(1 for t in tokens if t.lower().strip(",.;:()") in _COMMON_WORDS) / len(tokens) if tokens else 0.0
    if (
        len(long_runs) < GLUED_MIN_TOKENS
        and mean_token < SUSPICIOUS_MEAN_TOKEN
        and odd < 0.02 * len(text)
        and common >= SUSPICIOUS_COMMON_SHARE
    ):
        return TextQuality(text, QUALITY_GOOD, (), 0, None)

    repaired = 0

    def split_run(match: re.Match) -> str:
        nonlocal repaired
        run = match.group(0)
        parts = _split_glued(run) if len(run) >= GLUED_MIN_LETTERS else None
        if not parts:
            return run
        repaired += 1
        return " ".join(parts)

    glued = [r for r in long_runs if _split_glued(r)]
    if len(glued) >= GLUED_MIN_TOKENS:  # links and e-mail addresses are left as they are
        text = re.sub(r"\S+", lambda m: m[0] if _URLISH.fullmatch(m[0]) else _LETTER_RUN.sub(split_run, m[0]), text)
    words = _dictionary()
    runs = [r for r in _word_runs(text) if len(r) >= 3]
    share = sum(r.lower() in words for r in runs) / len(runs) if runs else 0.0
    if share < UNREADABLE_MAX_WORD_SHARE or odd >= 0.05 * len(text):
        return TextQuality(text, QUALITY_UNREADABLE, (UNREADABLE_WARNING,), repaired, share)
    if repaired:
        return TextQuality(text, QUALITY_REPAIRED, (REPAIRED_WARNING,), repaired, share)
    return TextQuality(text, QUALITY_GOOD, (), 0, share)
