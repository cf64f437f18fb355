"""Career history: dated roles, undated role headings, years in technology."""

from dataclasses import dataclass
from datetime import date

from ai_tools import rules
from ai_tools.results import ParsedCV

from .dates import DateRange, merged_months, parse_month
from .sections import heading_key
from .signals import matches_any


@dataclass(frozen=True)
class Role:
    label: str
    dates: DateRange
    line_no: int | None  # None: a role the applicant added in "What we read"
    is_tech: bool
    is_senior: bool
    title: str = ""
    organisation: str = ""
    org_kind: str = "unknown"
    corrected: bool = False


def roles_from_parsed(parsed: ParsedCV) -> tuple[list[Role], list[str]]:
    """The dated roles the analysis counts, and the labels of roles without dates."""
    roles, undated = [], []
    for r in parsed.roles:
        if not r.dated:
            undated.append(r.source or r.label)
            continue
        start = parse_month(r.start)
        end = None if r.is_current else (parse_month(r.end) or start)
        # A senior title counts only in technology: a "Staff Nurse" is not a staff engineer.
        senior = r.is_tech and bool(matches_any(r.title, rules.SENIOR_TITLE_WORDS))
        dates = DateRange(start, end, "")
        roles.append(
            Role(
                label=r.label,
                dates=dates,
                line_no=r.line_no,
                is_tech=r.is_tech,
                is_senior=senior,
                title=r.title,
                organisation=r.organisation,
                org_kind=r.org_kind,
                corrected=r.corrected,
            )
        )
    return roles, undated


def years_in_tech(roles: list[Role], today: date) -> float | None:
    """Years covered by technology roles (overlaps once). Only technology roles count, never all roles:
    None when no role is dated, 0 when none of the dated roles is a technology role."""
    if not roles:
        return None
    tech = [r.dates for r in roles if r.is_tech]
    return round(merged_months(tech, today) / 12, 1) if tech else 0.0


def context_years(lines: list[str], roles: list[Role], today: date) -> dict[int, int]:
    """Line number -> the year of the role it is listed under (its end year, or this year if current)."""
    by_line = {}
    starts = sorted((r for r in roles if r.line_no is not None), key=lambda r: r.line_no)
    for index, role in enumerate(starts):
        stop = starts[index + 1].line_no if index + 1 < len(starts) else len(lines)
        year = role.dates.end_or_today(today)[0]
        for line_no in range(role.line_no, stop):
            if heading_key(lines[line_no]):
                break
            by_line[line_no] = year
    return by_line
