"""The labelled CV corpus (``bench/corpus/cv/``) and the text metrics measured against its sources.

Every corpus document was built from ``sources/<id>.cv`` (see ``bench/corpus/cv/build.py``), so the source
is the ground truth for what the extracted text should say. Definitions used by the harness, the extractor
measurement and the extraction tests:

- **glued word**: an extracted run of letters that is not a word of the source but splits into two or more
  source words ("Ledtheplatformmigration"). Glued-word rate = glued runs / all letter runs of the extraction.
- **broken word**: an extracted run that is not a source word but joins with the next run into one
  ("infer" + "ence", a line-end hyphen left in place).
- **sentence intact**: a bullet or paragraph of the source (at least 30 characters) appears in the extraction
  with only whitespace differences. Interleaved columns and lost words break sentences.
- **heading on its own line**: a source section title is a whole line of the extraction (any case).
- **role line found**: the role's title is on a line of the extraction and its date text (dashes normalised)
  is on the same line or within two lines of it.
"""

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "cv"
LABEL_VERDICTS = ("met", "partial", "not_met")
CRITERIA = ("MC", "OC1", "OC2", "OC3", "OC4")

_LETTERS = re.compile(r"[^\W\d_]+")
_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212\u00ad-]+\s*|\s+to\s+")


@dataclass(frozen=True)
class LabelledRole:
    title: str
    organisation: str
    start: str  # YYYY-MM or YYYY
    end: str  # YYYY-MM, YYYY or "present"


@dataclass
class Case:
    ident: str
    path: Path
    label: dict
    source: str
    roles: list[LabelledRole] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.path.suffix.lstrip(".").lower()

    @property
    def facts(self) -> list[tuple[str, str]]:
        return [(text, criterion) for text, criterion in self.label.get("facts", [])]

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(w.lower() for w in _LETTERS.findall(fold(self.source)))

    @cached_property
    def source_sentences(self) -> list[str]:
        out = []
        for line in self.source.splitlines()[1:]:
            line = line.strip().removeprefix("- ")
            if line.startswith(("#", "@")) or len(line) < 30:
                continue
            out.append(line)
        return out

    @cached_property
    def headings(self) -> list[str]:
        return [line[3:].replace("[side]", "").strip() for line in self.source.splitlines() if line.startswith("## ")]

    @cached_property
    def role_dates(self) -> dict[str, str]:
        """Title -> the date text the source gives for that role."""
        out = {}
        for line in self.source.splitlines():
            if line.startswith("@ "):
                title, _org, dates = (p.strip() for p in line[2:].split("|"))
                out[title] = dates
        return out


def load_cases(names: list[str] | None = None) -> list[Case]:
    cases = []
    for label_path in sorted((CORPUS / "labels").glob("*.toml")):
        ident = label_path.stem
        if names and ident not in names:
            continue
        label = tomllib.loads(label_path.read_text())
        roles = [LabelledRole(*row) for row in label.get("roles", [])]
        source = (CORPUS / "sources" / f"{ident}.cv").read_text()
        cases.append(Case(ident, CORPUS / label["file"], label, source, roles))
    return cases


def fold(text: str) -> str:
    """Compare text as a reader would: NFKC, no soft hyphens, one kind of quote, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "-")
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}))
    return re.sub(r"\s+", " ", text).strip()


def _splits_into_words(run: str, vocabulary: frozenset[str]) -> bool:
    """True when ``run`` is two or more vocabulary words with nothing between them."""
    n = len(run)
    parts = [0] + [-1] * n  # parts[i]: fewest words covering run[:i], -1 when impossible
    for end in range(1, n + 1):
        for start in range(max(0, end - 30), end):
            if parts[start] >= 0 and run[start:end] in vocabulary:
                best = parts[start] + 1
                if parts[end] < 0 or best < parts[end]:
                    parts[end] = best
    return parts[n] >= 2


def glued_words(extracted: str, vocabulary: frozenset[str]) -> list[str]:
    runs = [r.lower() for r in _LETTERS.findall(fold(extracted))]
    return [r for r in runs if r not in vocabulary and len(r) > 3 and _splits_into_words(r, vocabulary)]


def broken_words(extracted: str, vocabulary: frozenset[str]) -> list[str]:
    runs = [r.lower() for r in _LETTERS.findall(fold(extracted))]
    return [
        f"{a}|{b}"
        for a, b in zip(runs, runs[1:], strict=False)
        if (a not in vocabulary or b not in vocabulary) and a + b in vocabulary
    ]


def glued_rate(extracted: str, vocabulary: frozenset[str]) -> float:
    total = len(_LETTERS.findall(extracted))
    return len(glued_words(extracted, vocabulary)) / total if total else 0.0


def sentences_intact(extracted: str, sentences: list[str]) -> float:
    haystack = fold(extracted)
    return sum(fold(s) in haystack for s in sentences) / len(sentences) if sentences else 1.0


def headings_on_own_line(extracted: str, headings: list[str]) -> float:
    lines = {fold(line).lower() for line in extracted.splitlines()}
    return sum(h.lower() in lines for h in headings) / len(headings) if headings else 1.0


def _norm_dates(text: str) -> str:
    return _DASHES.sub("-", fold(text)).lower()


def role_lines_found(extracted: str, case: Case) -> float:
    """Share of labelled roles whose title and source date text sit within two lines of each other."""
    lines = [fold(line).lower() for line in extracted.splitlines()]
    found = 0
    for role in case.roles:
        dates = case.role_dates.get(role.title)
        title = role.title.lower()
        hits = [i for i, line in enumerate(lines) if title in line]
        if dates is None:  # narrative CVs: the role is in prose, no role line to find
            found += bool(hits)
            continue
        wanted = _norm_dates(dates)
        if any(wanted in _norm_dates(" ".join(lines[max(0, i - 2) : i + 3])) for i in hits):
            found += 1
    return found / len(case.roles) if case.roles else 1.0
