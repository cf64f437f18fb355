"""Career history: dated roles, undated role headings, years in technology."""

import re
from dataclasses import dataclass
from datetime import date

from ai_tools import rules

from .dates import DateRange, find_range, merged_months
from .sections import heading_key
from .signals import matches_any
from .text import BULLET, strip_bullet

_SEPARATORS = " \t|,;:-\u2013\u2014()[]/"
# Sections whose date ranges are not jobs.
_NOT_ROLES = {"education", "talks", "publications", "awards", "press", "patents", "certifications", "skills"}


@dataclass(frozen=True)
class Role:
    label: str
    dates: DateRange
    line_no: int
    is_tech: bool
    is_senior: bool


def _role_sections(sections: list[str]) -> set[str]:
    # A CV without an "Experience" heading still has roles; then any non-excluded section may hold them.
    return {"experience"} if "experience" in sections else {s for s in set(sections) if s not in _NOT_ROLES}


def parse_roles(lines: list[str], sections: list[str], today: date) -> list[Role]:
    allowed = _role_sections(sections)
    roles = []
    for i, line in enumerate(lines):
        if sections[i] not in allowed or heading_key(line):
            continue
        dates = find_range(line, today)
        if dates is None:
            continue
        label = line.replace(dates.matched, " ").strip(_SEPARATORS)
        label = re.sub(r"\s{2,}", " ", label)
        if len(label.split()) < 2 and i > 0 and lines[i - 1].strip() and not find_range(lines[i - 1], today):
            # "Jan 2019 - Present" on its own line: the title is the line above.
            label = (lines[i - 1].strip(_SEPARATORS) + " " + label).strip()
        label = strip_bullet(label)
        if label.count("(") > label.count(")"):
            label += ")"
        roles.append(
            Role(
                label=label,
                dates=dates,
                line_no=i,
                is_tech=bool(matches_any(label, rules.TECH_ROLE_WORDS)),
                is_senior=bool(matches_any(label, rules.SENIOR_TITLE_WORDS)),
            )
        )
    return roles


def undated_role_lines(lines: list[str], sections: list[str], roles: list[Role], today: date) -> list[str]:
    """Lines that read like a role heading (a job title, short, not a bullet) but have no dates nearby."""
    allowed = _role_sections(sections)
    dated = {r.line_no for r in roles}
    found = []
    for i, line in enumerate(lines):
        text = line.strip()
        if sections[i] not in allowed or not text or BULLET.match(text) or heading_key(text):
            continue
        if len(text.split()) > 12 or text.endswith(".") or not matches_any(text, rules.ROLE_TITLE_WORDS):
            continue
        near = {i - 1, i, i + 1}
        if near & dated or any(find_range(lines[j], today) for j in near if 0 <= j < len(lines)):
            continue
        if matches_any(text, rules.ACHIEVEMENT_VERBS):
            continue  # "Led the data team" is a description, not a heading
        found.append(text)
    return found


def years_in_tech(roles: list[Role], today: date) -> float | None:
    """Years covered by technology roles (overlaps once); all roles when none reads as technology."""
    if not roles:
        return None
    tech = [r.dates for r in roles if r.is_tech] or [r.dates for r in roles]
    return round(merged_months(tech, today) / 12, 1)


def context_years(lines: list[str], roles: list[Role], today: date) -> dict[int, int]:
    """Line number -> the year of the role it is listed under (its end year, or this year if current)."""
    by_line = {}
    starts = sorted(roles, key=lambda r: r.line_no)
    for index, role in enumerate(starts):
        stop = starts[index + 1].line_no if index + 1 < len(starts) else len(lines)
        year = role.dates.end_or_today(today)[0]
        for line_no in range(role.line_no, stop):
            if heading_key(lines[line_no]):
                break
            by_line[line_no] = year
    return by_line
