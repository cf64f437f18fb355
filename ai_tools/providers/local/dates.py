"""Dates in CVs: role ranges ("Jan 2019 - Present", "2017-2020", "03/2018 - 06/2021") and years."""

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
_MONTH_NAME = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"(?:19[6-9]\d|20\d\d)"
# One end of a range: "Jan 2019", "January 2019", "03/2018", "3.2018", "2018-03", or "2019".
_POINT = rf"(?:{_MONTH_NAME}\s+{_YEAR}|\d{{1,2}}[/.]{_YEAR}|{_YEAR}[/-]\d{{2}}(?!\d)|{_YEAR})"
_CURRENT = r"(?:present|current|now|today|date|ongoing)"
_DASH = r"\s*(?:-|\u2013|\u2014|to|until|till)\s*"
RANGE = re.compile(rf"(?<![\w/£$€])(?P<start>{_POINT}){_DASH}(?P<end>{_POINT}|{_CURRENT})(?![\w/])", re.IGNORECASE)
SINCE = re.compile(rf"\b(?:since|from)\s+(?P<start>{_POINT})(?![\w/])", re.IGNORECASE)
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


def _parse_point(text: str, *, is_end: bool) -> tuple[int, int] | None:
    t = text.strip().lower().rstrip(".")
    if re.fullmatch(_CURRENT, t):
        return None
    m = re.fullmatch(rf"({_MONTH_NAME})\s+({_YEAR})", t)
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
        start = _parse_point(m.group("start"), is_end=False)
        if start is None:
            continue
        end = _parse_point(m.group("end"), is_end=True)
        if end is not None and (end < start or end[0] > today.year + 1):
            continue
        return DateRange(start, end, m.group(0))
    m = SINCE.search(text)
    if m and (start := _parse_point(m.group("start"), is_end=False)):
        return DateRange(start, None, m.group(0))
    return None


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
