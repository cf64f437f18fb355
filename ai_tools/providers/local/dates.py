"""Dates in CVs: role ranges ("Jan 2019 - Present", "2017-2020", "03/2018 - 06/2021") and years."""

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
_MONTH_NAME = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"(?:19[6-9]\d|20\d\d)"
# One end of a range: "Jan 2019", "Sep. 2023", "January 2019", "03/2018", "3.2018", "2018-03", or "2019".
_POINT = rf"(?:{_MONTH_NAME}\s*,?\s*{_YEAR}|\d{{1,2}}[/.]{_YEAR}|{_YEAR}[/-]\d{{2}}(?!\d)|{_YEAR})"
POINT = _POINT
MONTH_NAME = _MONTH_NAME
_CURRENT = r"(?:present|current(?:ly)?|now|today|(?:to )?date|ongoing)"
# Hyphen, soft hyphen (some PDF producers use it as the range dash), figure/en/em dashes, minus, "to".
DASHES = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212~"
# A range may also be glued when a PDF dropped its dash: "Sep. 2023Mar. 2024" (a year then a month name).
_DASH = (
    rf"(?:\s*(?:[{DASHES}]+|\bto\b|\buntil\b|\btill\b)\s*"
    rf"|(?<=\d)\s*(?={_MONTH_NAME}\s*{_YEAR})|(?<=\d)(?=present|current|now\b|today)|(?<=(?:19|20)\d\d)(?={_YEAR}))"
)
# A range may start right after a word the PDF glued to it ("LondonJul 2023 - Present"): a capitalised month.
RANGE = re.compile(
    rf"(?:(?<![\w/£$€])|(?<=(?-i:[a-z]))(?=(?-i:[A-Z])))(?P<start>{_POINT}){_DASH}(?P<end>{_POINT}|{_CURRENT})(?![\w/])",
    re.IGNORECASE,
)
SINCE = re.compile(rf"\b(?:since|from)\s+(?P<start>{_POINT})(?![\w/])", re.IGNORECASE)
# A line that is nothing but one year or one month ("2021", "Mar 2020"): a short role or a date on its own line.
SINGLE = re.compile(rf"^\W*(?P<point>{_POINT})\W*$", re.IGNORECASE)
YEAR = re.compile(rf"(?<![\w.£$€]){_YEAR}(?![\w%])")


@dataclass(frozen=True)
class DateRange:
    start: tuple[int, int]  # (year, month)
    end: tuple[int, int] | None  # None = current
    matched: str

    @property
    def is_current(self) -> bool:
        return self.end is None

    def months(self, today: date) -> int:
        end = self.end or (today.year, today.month)
        return max(0, (end[0] - self.start[0]) * 12 + end[1] - self.start[1] + 1)

    def end_or_today(self, today: date) -> tuple[int, int]:
        return self.end or (today.year, today.month)


def parse_point(text: str, *, is_end: bool) -> tuple[int, int] | None:
    t = text.strip().lower().rstrip(".")
    if re.fullmatch(_CURRENT, t):
        return None
    m = re.fullmatch(rf"({_MONTH_NAME})\s*,?\s*({_YEAR})", t)
    if m:
        return int(m.group(2)), MONTHS[m.group(1)[:3]]
    m = re.fullmatch(rf"(\d{{1,2}})[/.]({_YEAR})", t)
    if m and 1 <= int(m.group(1)) <= 12:
        return int(m.group(2)), int(m.group(1))
    m = re.fullmatch(rf"({_YEAR})[/-](\d{{2}})", t)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    m = re.fullmatch(_YEAR, t)
    if m:
        # A bare year: count a start from January and an end to December, as a reader would.
        return int(t), 12 if is_end else 1
    return None


def find_range(text: str, today: date) -> DateRange | None:
    """The first date range in a line, or None. Ranges that end before they start are ignored."""
    for m in RANGE.finditer(text):
        start = parse_point(m.group("start"), is_end=False)
        if start is None:
            continue
        end = parse_point(m.group("end"), is_end=True)
        if end is not None and (end < start or end[0] > today.year + 1):
            continue
        return DateRange(start, end, m.group(0))
    m = SINCE.search(text)
    if m and (start := parse_point(m.group("start"), is_end=False)):
        return DateRange(start, None, m.group(0))
    return None


def find_single(text: str) -> DateRange | None:
    """A line holding only one date ("2021", "Mar 2020"): that month, or that whole year."""
    m = SINGLE.match(text.strip())
    if not m:
        return None
    start = parse_point(m.group("point"), is_end=False)
    end = parse_point(m.group("point"), is_end=True)
    return DateRange(start, end, m.group("point")) if start and end else None


TRAILING = re.compile(rf"(?:[|,(\u2013\u2014]|\s{{2,}})\s*(?P<point>{_POINT})\s*\)?\s*$", re.IGNORECASE)


def find_trailing(text: str) -> DateRange | None:
    """One date at the end of a header ("Engineer, Monzo | 2021"): that month, or that whole year."""
    m = TRAILING.search(text)
    if not m:
        return None
    start = parse_point(m.group("point"), is_end=False)
    end = parse_point(m.group("point"), is_end=True)
    return DateRange(start, end, m.group("point")) if start and end else None


def month_str(point: tuple[int, int] | None) -> str | None:
    return f"{point[0]}-{point[1]:02d}" if point else None


def parse_month(value: str | None) -> tuple[int, int] | None:
    """ "2019-03" -> (2019, 3); None or "" -> None. Raises ValueError on anything else."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"not a YYYY-MM month: {value!r}")
    return int(m.group(1)), int(m.group(2))


def years_in(text: str, today: date) -> list[int]:
    """Plausible years mentioned in a sentence (not amounts like £2019 or ids)."""
    return [int(y) for y in YEAR.findall(text) if 1960 <= int(y) <= today.year + 1]


def merged_months(ranges: list[DateRange], today: date) -> int:
    """Total months covered by the ranges, counting overlaps (two jobs at once) only once."""
    spans = sorted(
        (r.start[0] * 12 + r.start[1], r.end_or_today(today)[0] * 12 + r.end_or_today(today)[1]) for r in ranges
    )
    total, current_start, current_end = 0, None, None
    for start, end in spans:
        if current_end is None or start > current_end + 1:
            if current_end is not None:
                total += current_end - current_start + 1
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += current_end - current_start + 1
    return total
