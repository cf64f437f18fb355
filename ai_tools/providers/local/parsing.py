"""The structured parse of a CV: sections, roles (title, organisation, dates, tech or not, product or
services), education, publications, talks, awards, links.

``parse_cv(text, today)`` is what the "What we read" step shows the applicant before any charge; the
applicant may correct it, and the analysis reads the (corrected) ParsedCV instead of re-guessing.

Role headers come in many layouts; the parser groups the short, non-bullet lines between descriptions
("header clusters") and gives each date it finds the lines around it:

    Senior Engineer, Monzo | Jan 2019 - Present        title, organisation and dates on one line
    Monzo                          Mar 2019 - Jun 2021  dates right-aligned beside the company,
    Senior Software Engineer                            the title on the line below
    Jan 2019 - Present                                  dates on the line above (or below)
    Senior Engineer at Monzo
"""

import re
from datetime import date

from ai_tools import rules
from ai_tools.results import OrgKind, ParsedCV, ParsedRole

from .dates import (
    DASHES,
    MONTH_NAME,
    POINT,
    RANGE,
    DateRange,
    find_range,
    find_single,
    find_trailing,
    month_str,
    parse_point,
)
from .sections import heading_key, line_sections, split_glued_headings
from .signals import URL, compile_words, matches_any
from .text import BULLET, split_sentences, strip_bullet

# Sections whose date ranges are not jobs.
NOT_ROLE_SECTIONS = {
    "education",
    "talks",
    "publications",
    "awards",
    "press",
    "patents",
    "certifications",
    "skills",
    "open_source",
    "community",
}
HEADER_MAX_WORDS = 14
_PART_SPLIT = re.compile(r"\s+(?:\||\u2022|\u00b7|@|at|[-\u2013\u2014])\s+|\s*[|\u2022\u00b7]\s*|,\s+|\s{3,}|\t")
_PAREN = re.compile(r"\(([^)]*)\)")
_EDGE = " \t|,;:-\u2013\u2014[]/\u00b7\u2022"
_TITLE_ALT = "|".join(rules.ROLE_TITLE_WORDS + rules.NON_TECH_ROLE_WORDS)
_PROSE_TITLE = re.compile(
    r"\b(?:as|was|am|been|became|become|promoted to|work(?:ed|ing)? as|join(?:ed)? as)\s+(?:a|an|the|our|its)?\s*"
    r"(?P<title>(?:[\w-]+\s){0,3}?(?:" + _TITLE_ALT + r"))\b",
    re.IGNORECASE,
)
_PROSE_ORG = re.compile(r"\b(?:at|joined|for)\s+(?P<org>[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*|of|&))*)")
_PROSE_START = re.compile(rf"\b(?:in|from|since|started|joined|on)\b[^.]*?(?P<point>{POINT})", re.IGNORECASE)
_PROSE_END = re.compile(rf"\b(?:until|till|to|left[^.]*?in)\s+(?:[^.]*?\b)?(?P<point>{POINT})", re.IGNORECASE)
_PROSE_CURRENT = re.compile(r"\b(?:since|have been|has been|now|currently|today|joined)\b", re.IGNORECASE)
_PROSE_NOT_ROLE = re.compile(r"\b(?:studied|degree|graduated|hold an?|diploma|bachelor|master'?s|phd)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"^(?:I|My|We)\b|\s(?:I|my)\s")


def _role_sections(sections: list[str]) -> set[str]:
    # A CV without an "Experience" heading still has roles; then any non-excluded section may hold them.
    if "experience" in sections:
        return {"experience"}
    return {s for s in set(sections) if s not in NOT_ROLE_SECTIONS}


def _is_header_like(line: str) -> bool:
    text = line.strip()
    if not text or BULLET.match(text) or heading_key(text) or _FIRST_PERSON.search(text):
        return False
    words = len(text.split())
    if words > HEADER_MAX_WORDS:
        # "Co-founder and CTO, Ledgerly (Series B fintech, Lagos and London) | Jan 2019 - Present"
        return words <= 2 * HEADER_MAX_WORDS and not text.endswith(".") and bool(find_range(text, date.max))
    # "Built the billing API." is a description; "Engineer, Acme Ltd." is a header.
    return not (text.endswith(".") and words > 6 and not find_range(text, date.max))


def _date_of(line: str, today: date) -> DateRange | None:
    return find_range(line, today) or find_single(line) or find_trailing(line)


def _remainder(line: str, dates: DateRange | None) -> str:
    text = line.replace(dates.matched, " ") if dates else line
    text = re.sub(r"\b(?:since|from)\s*$", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"\(\s*\)", " ", text)
    return re.sub(r"\s{2,}", " ", strip_bullet(text)).strip(_EDGE)


def _parts(text: str) -> list[str]:
    """Pieces of a header: 'Senior Engineer, Monzo (fintech) | London' -> title, org, place."""
    bare = _PAREN.sub(" ", text)  # "(Series B fintech, Lagos)" describes the organisation; it is not a part
    return [piece.strip(_EDGE) for piece in _PART_SPLIT.split(bare) if piece and piece.strip(_EDGE)]


def _is_title(part: str) -> bool:
    return bool(
        matches_any(part, rules.ROLE_TITLE_WORDS)
        or matches_any(part, rules.TECH_ROLE_WORDS)
        or matches_any(part, rules.NON_TECH_ROLE_WORDS)
    )


_PLACE = compile_words(rules.PLACE_WORDS)


def _is_place(part: str) -> bool:
    bare = _PAREN.sub("", part).strip()
    return bool(bare) and (
        bool(_PLACE.fullmatch(bare)) or bool(re.fullmatch(r"(?:remote|hybrid|on-?site)", bare, re.I))
    )


# Words that continue a title rather than start an organisation ("Engineer II", "Lead, Payments").
_TITLE_TAIL = re.compile(r"(?:I{1,3}|IV|[0-9]+|Intern|Lead|Manager|Engineer|Developer)\b")


def title_and_org(lines: list[str]) -> tuple[str, str]:
    """The job title and the organisation among a role's header texts (dates already removed)."""
    parts = [p for line in lines for p in _parts(line)]
    title = next((p for p in parts if _is_title(p)), "")
    others = [p for p in parts if p != title and not _is_place(p)]
    org = others[0] if others else ""
    if not title and others:
        title, org = others[0], (others[1] if len(others) > 1 else "")
    if title and not org:
        # "Staff Data Engineer Deliveroo": the organisation glued after the last word of the title.
        last = None
        for words in (rules.ROLE_TITLE_WORDS, rules.TECH_ROLE_WORDS):
            for m in compile_words(words).finditer(title):
                last = m if last is None or m.end() > last.end() else last
        rest = title[last.end() :].strip(_EDGE) if last else ""
        if rest and rest[0].isupper() and not _TITLE_TAIL.match(rest):
            title, org = title[: last.end()].strip(_EDGE), rest
    return title, org


_FOUNDER = re.compile(r"\b(?:co-?)?founder|\bceo\b|chief executive", re.IGNORECASE)


def classify_role(title: str, header: str, body: str) -> tuple[bool, OrgKind]:
    """Is the role a technology role (by its title), and is the organisation product-led or services?"""
    kind = _org_kind(header, body)
    if matches_any(title, rules.NON_TECH_ROLE_WORDS):
        is_tech = False
    elif matches_any(title, rules.BUSINESS_ROLE_WORDS) and not matches_any(title, rules.TECH_ROLE_WORDS):
        # Marketing, sales, operations: eligible only as business roles in a product-led digital company.
        is_tech = kind == "product"
    elif matches_any(title, rules.TECH_ROLE_WORDS):
        is_tech = True
    else:
        # Founder, CEO, consultant, analyst, manager: technology only when the role says so.
        # ...and not at a school, hospital or practice ("Head of Computing, Leeds Grammar School").
        is_tech = bool(
            matches_any(title, rules.ROLE_TITLE_WORDS)
            and matches_any(header, rules.TECH_CONTEXT_WORDS)
            and not matches_any(header, rules.NON_TECH_TOPIC_WORDS)
        )
        if not is_tech and _FOUNDER.search(title):
            # "Founder & CEO, ChalkUp": a founder's role is technology when the company is a digital product.
            is_tech = bool(matches_any(body, rules.SIGNALS["product_led"]))
    return is_tech, kind


def _org_kind(header: str, body: str) -> OrgKind:
    services_header = matches_any(header, rules.SERVICES_ORG_WORDS)
    product_words = rules.SIGNALS["product_led"]
    if services_header:
        kind: OrgKind = "services"
    elif matches_any(header, product_words):
        kind = "product"
    else:
        services = len(compile_words(rules.SERVICES_ORG_WORDS).findall(body))
        product = len(compile_words(product_words).findall(body))
        kind = "services" if services and services >= product else "product" if product else "unknown"
    return kind


def _prose_roles(line: str, line_no: int, today: date) -> list[tuple[int, list[int], DateRange, str, str]]:
    """'I joined Monzo as a backend engineer in March 2018 ...': roles told in sentences."""
    found = []
    for sentence in split_sentences(line):
        title = _PROSE_TITLE.search(sentence)
        if not title or _PROSE_NOT_ROLE.search(sentence):
            continue
        dates = find_range(sentence, today)
        if dates is None:
            start = _PROSE_START.search(sentence)
            if not start or (point := parse_point(start.group("point"), is_end=False)) is None:
                continue
            end_m = _PROSE_END.search(sentence, start.end())
            end = parse_point(end_m.group("point"), is_end=True) if end_m else None
            if end is None and not _PROSE_CURRENT.search(sentence):
                continue  # a date, but neither an end nor "since"/"have been": not sure it is a role
            if end is not None and end < point:
                continue
            dates = DateRange(point, end, start.group("point"))
        org = _PROSE_ORG.search(sentence)
        found.append((line_no, [line_no], dates, title.group("title").strip(), org.group("org").strip() if org else ""))
    return found


def _clusters(lines: list[str], allowed: list[bool], absorbed: set[int]) -> list[list[int]]:
    clusters, current = [], []
    for i, line in enumerate(lines):
        if i in absorbed:
            continue  # the second half of a date broken over two lines: part of the line above
        if allowed[i] and _is_header_like(line):
            current.append(i)
            continue
        if current:
            clusters.append(current)
        current = []
    if current:
        clusters.append(current)
    return clusters


def _groups(cluster: list[int], lines: list[str], today: date) -> list[tuple[int, list[int], DateRange | None]]:
    """Split a header cluster into roles: each date line with the undated lines that belong to it."""
    dated = [(i, d) for i in cluster if (d := _date_of(lines[i], today))]
    if not dated:
        return [(cluster[0], cluster, None)]
    groups = []
    dates_first = cluster[0] == dated[0][0] and not _remainder(lines[cluster[0]], dated[0][1])
    for index, (i, d) in enumerate(dated):
        previous = dated[index - 1][0] if index else None
        following = dated[index + 1][0] if index + 1 < len(dated) else None
        if dates_first:
            # "Jan 2019 - Present" then "Engineer, Monzo": the lines after a date belong to it.
            members = [j for j in cluster if i <= j and (following is None or j < following)]
        else:
            members = [j for j in cluster if (previous is None or j > previous) and j <= i]
            if following is None:
                members += [j for j in cluster if j > i]
        position = cluster.index(i)
        members = [j for j in members if j == i or _joinable(lines[j], near=abs(cluster.index(j) - position) <= 2)]
        if members:
            groups.append((members[0], members, d))
    return groups


def _joinable(line: str, *, near: bool) -> bool:
    """An undated line that may be part of a role header: close to the date, short, not a sentence."""
    text = line.strip()
    return near and not text.endswith((".", "!", "?")) and len(text.split()) <= 9


_BROKEN_DATE_END = re.compile(rf"(?:{MONTH_NAME}|[{DASHES}])\s*$", re.IGNORECASE)
_YEAR_START = re.compile(r"^\s*(?:19[6-9]\d|20\d\d)\b")


def _join_broken_dates(lines: list[str]) -> tuple[list[str], set[int]]:
    """ "Sep. 2014 – Feb." + "2020": a PDF wrapped the date. Read them as one line (the quote stays the CV's)."""
    view, absorbed = list(lines), set()
    for i in range(len(lines) - 1):
        if i in absorbed:
            continue
        if _BROKEN_DATE_END.search(lines[i]) and _YEAR_START.match(lines[i + 1]) and len(lines[i + 1].split()) <= 3:
            view[i] = f"{lines[i].rstrip()} {lines[i + 1].strip()}"
            absorbed.add(i + 1)
    return view, absorbed


_SEGMENT_END = re.compile(r"(?<=[.!?])\s+|\s+\|\s+")
_EXPERIENCE_WORD = re.compile(
    r"^.*\b(?:"
    + "|".join(re.escape(h) for h in rules.SECTION_HEADINGS["experience"] if " " in h or len(h) > 6)
    + r")\b\s*",
    re.IGNORECASE,
)


def _inline_headers(lines: list[str], line_no: int, today: date) -> list:
    """ "Co-founder & CTO, Kudi Rails, London Feb 2021 – Present Co-founded a B2B ...": headers glued to
    their descriptions (several may share a line when a layout was flattened). The short text just before
    each date range is its header; the title may be on the line above ("Staff Nurse" / "Leicester NHS Trust
    · Jun 2019 – Present  Senior nurse on ...")."""
    line, found, previous_end = lines[line_no], [], 0
    for m in RANGE.finditer(line):
        dates = find_range(m.group(0), today)
        if dates is None:
            continue
        before = line[previous_end : m.start()]
        previous_end = m.end()
        prefix = strip_bullet(_SEGMENT_END.split(before)[-1]).strip(_EDGE)
        prefix = _EXPERIENCE_WORD.sub("", prefix).strip(_EDGE) if _EXPERIENCE_WORD.match(prefix) else prefix
        if not prefix or len(prefix.split()) > 12 or _FIRST_PERSON.search(prefix) or prefix.endswith("."):
            continue
        title, org = title_and_org([prefix])
        if title and _is_title(title):
            found.append((line_no, [line_no], dates, title, org))
            continue
        above = lines[line_no - 1] if line_no else ""
        if not found and _is_header_like(above) and not _date_of(above, today) and _is_title(above):
            title, _ = title_and_org([above])
            found.append((line_no - 1, [line_no - 1, line_no], dates, title, prefix))
    return found


def parse_cv(text: str, today: date, *, warnings: tuple[str, ...] | list[str] = ()) -> ParsedCV:
    text = split_glued_headings(text)  # line numbers are those of the analysis (same function there)
    source_lines = text.split("\n")
    lines, absorbed = _join_broken_dates(source_lines)
    sections = line_sections(lines)
    role_sections = _role_sections(sections)
    allowed = [sections[i] in role_sections for i in range(len(lines))]
    found: list[tuple[int, list[int], DateRange | None, str, str]] = []
    for cluster in _clusters(lines, allowed, absorbed):
        previous_org = ""
        for start, members, dates in _groups(cluster, lines, today):
            texts = [t for j in members if (t := _remainder(lines[j], dates))]
            title, org = title_and_org(texts)
            if not any(_is_title(t) for t in texts):
                continue  # no job title in it: "Python, Go, Kubernetes", or a dated line that is no role
            if dates is None and matches_any(" ".join(texts), rules.ACHIEVEMENT_VERBS):
                continue  # "Led the data team" is a description, not a heading
            if not org and previous_org:
                org = previous_org  # "Google" over two titles with their own dates
            previous_org = org if len(members) > 1 and not _date_of(lines[members[0]], today) else previous_org
            if not title:
                continue
            found.append((start, members, dates, title, org))
    # Sentences that tell a role ("I joined Monzo as a backend engineer in 2018 ...").
    used = {j for _, members, *_ in found for j in members}
    for i, line in enumerate(lines):
        if allowed[i] and i not in used and i not in absorbed and not _is_header_like(line) and not heading_key(line):
            found.extend(_inline_headers(lines, i, today) or _prose_roles(line, i, today))
    # A title line first read as an undated role, then found to belong to a dated header below it.
    dated_lines = {j for _, members, dates, *_ in found if dates for j in members}
    found = [item for item in found if item[2] is not None or item[0] not in dated_lines]
    found.sort(key=lambda item: item[0])

    roles = []
    starts = [item[0] for item in found]
    for index, (start, members, dates, title, org) in enumerate(found):
        stop = starts[index + 1] if index + 1 < len(starts) else len(lines)
        body_lines = []
        for j in range(max(members) + 1, stop):
            if heading_key(lines[j]):
                break
            body_lines.append(lines[j])
        header = " ".join(lines[j] for j in members)
        is_tech, kind = classify_role(title, header, " ".join(body_lines[:8]))
        roles.append(
            ParsedRole(
                title=title[:120],
                organisation=org[:120],
                start=month_str(dates.start) if dates else None,
                end=month_str(dates.end) if dates else None,
                is_current=bool(dates and dates.is_current),
                is_tech=is_tech,
                org_kind=kind,
                line_no=start,
                source=" / ".join(lines[j].strip() for j in members)[:300],
            )
        )
    return ParsedCV(
        sections=_sections_found(lines, sections),
        roles=roles,
        education=_section_lines(lines, sections, "education"),
        publications=_section_lines(lines, sections, "publications"),
        talks=_section_lines(lines, sections, "talks", also=rules.SIGNALS["talk"]),
        awards=_section_lines(lines, sections, "awards", also=rules.SIGNALS["award"]),
        links=_links(text),
        injection_lines=injection_lines(lines),
        warnings=list(warnings),
    )


def _sections_found(lines: list[str], sections: list[str]) -> list[str]:
    found = []
    for line, key in zip(lines, sections, strict=True):
        if heading_key(line) and key not in found:
            found.append(key)
    return found


def _section_lines(lines: list[str], sections: list[str], key: str, also: tuple[str, ...] = ()) -> list[str]:
    """Lines under the ``key`` heading, plus lines elsewhere (not in a job or a summary) that say what
    they are ("Won first place at ... Hackathon 2024" under "Community")."""
    return [
        strip_bullet(line)
        for line, section in zip(lines, sections, strict=True)
        if line.strip()
        and not heading_key(line)
        and (section == key or (also and section not in ("experience", "summary", "") and matches_any(line, also)))
    ]


def _links(text: str) -> list[str]:
    links = []
    for m in URL.finditer(text):
        link = m.group(0).rstrip(".,;:)")
        if link not in links:
            links.append(link)
    return links


_INJECTION = compile_words(rules.INJECTION_PATTERNS)


def injection_lines(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if _INJECTION.search(line)]
