"""Concrete, prioritised suggestions that quote the CV's own words back to the applicant."""

from ai_tools import rules
from ai_tools.results import CategorySuggestion, CriterionAssessment, HardCheck, Risk, Suggestion

from .checks import unquantified_achievements
from .profile import CVProfile, Fact
from .signals import matches_any
from .text import shorten

MAX_SUGGESTIONS = 10
MAX_CLAIM_SUGGESTIONS = 3


def _role_for(profile: CVProfile, fact: Fact) -> str | None:
    above = [r for r in profile.roles if r.line_no <= fact.sentence.line_no]
    return max(above, key=lambda r: r.line_no).label if above else None


def _number_to_add(text: str) -> str:
    if matches_any(text, (r"improved", r"reduced", r"optimi[sz]ed", r"increased", r"migrated")):
        return "the before-and-after figure (%, ms, £ saved)"
    if matches_any(text, (r"led", r"managed", r"grew")):
        return "the team size and the result it delivered"
    if matches_any(text, (r"app", r"feature", r"platform", r"service", r"api", r"product", r"model", r"tool")):
        return "the number of users (or customers, requests, revenue) of what you built"
    return "a number that shows its size (users, %, revenue, team size)"


# Kinds of recognition to suggest when the CV has none of them (signal kind, how to say it).
_RECOGNITION_ASKS = (
    ("press", "press coverage"),
    ("award", "award"),
    ("talk", "talk"),
    ("judge", "judging or reviewing role"),
    ("open_source", "open source"),
)


def profile_field_ok(risks: list[Risk]) -> bool:
    return not any(r.code == "not_digital_technology" for r in risks)


def _evidence_to_collect(criteria: list[CriterionAssessment]) -> list[tuple[int, str | None, str]]:
    """For the MC and the two strongest optional criteria: the document that proves each quoted line."""
    optional = sorted((c for c in criteria if c.code != "MC" and c.evidence), key=lambda c: (-c.score, c.code))
    chosen = [c for c in criteria if c.code == "MC" and c.evidence] + optional[: rules.OPTIONAL_CRITERIA_TO_MEET]
    items = []
    for criterion in chosen:
        for quote in criterion.evidence[: 2 if criterion.code == "MC" else 1]:
            kind = next((k for k, _ in rules.EVIDENCE_DOCUMENTS if any(s.startswith(k) for s in quote.signals)), None)
            document = dict(rules.EVIDENCE_DOCUMENTS).get(kind, rules.EVIDENCE_DOCUMENT_DEFAULT[criterion.code])
            items.append(
                (
                    2 if criterion.code == "MC" else 3,
                    criterion.code,
                    f'Your line "{shorten(quote.quote, 70)}" supports {criterion.code}: {document}.',
                )
            )
    return items


def build_suggestions(
    profile: CVProfile,
    criteria: list[CriterionAssessment],
    checks: list[HardCheck],
    risks: list[Risk],
    category: CategorySuggestion,
) -> list[Suggestion]:
    items: list[tuple[int, str | None, str]] = []  # (urgency: lower first, criterion, text)
    failed = {c.code: c for c in checks if not c.passed}
    by_code = {c.code: c for c in criteria}

    for risk in risks:
        if risk.code in ("consultancy_role", "not_digital_technology"):
            items.append((0 if risk.severity == "high" else 3, None, risk.message))
        elif risk.code == "prompt_injection":
            items.append(
                (0, None, f'Delete the line "{shorten(risk.quotes[0], 80)}": it reads as an instruction to an AI.')
            )
        elif risk.code == "claims_without_specifics":
            quoted = "; ".join(f'"{shorten(q, 60)}"' for q in risk.quotes[:2])
            items.append(
                (
                    1,
                    None,
                    f"Make your claims checkable: {quoted} name nothing an assessor can verify. Add the event, "
                    "outlet, award or product by name, the year and a number or link, or remove the claim.",
                )
            )
        elif risk.code == "no_product_company":
            items.append(
                (
                    1,
                    "OC3",
                    "Name the product you worked on and who uses it (for example '<product>, used by N businesses').",
                )
            )

    mc = by_code["MC"]
    eligible = profile_field_ok(risks)
    if eligible and mc.status != "strong":
        # Never ask for what the CV already has: only kinds of recognition it does not mention at all.
        present = {k for f in profile.facts for k in f.hits}
        wanted = [label for kind, label in _RECOGNITION_ASKS if kind not in present]
        if wanted:
            items.append(
                (
                    1,
                    "MC",
                    "Build external recognition from the last 5 years, the mandatory criterion: this CV shows no "
                    f"{', '.join(wanted[:3])} yet. Invited talks at sector-leading events, independent press and "
                    "judging roles count; internal awards do not.",
                )
            )
    if eligible:
        items.extend(_evidence_to_collect(criteria))
    if "page_count" in failed:
        items.append(
            (
                1,
                None,
                f"Cut the CV from {profile.page_count} to {rules.CV_MAX_PAGES} pages: keep the last 5-8 years in "
                "detail and summarise older roles in one line each.",
            )
        )
    if not eligible:
        return _ranked(items)
    for line in profile.undated_roles[:2]:
        items.append((2, None, f"Add start and end dates (month and year) to the role '{shorten(line, 70)}'."))

    for fact in unquantified_achievements(profile)[:MAX_CLAIM_SUGGESTIONS]:
        role = _role_for(profile, fact)
        where = f" (in {shorten(role, 50)})" if role else ""
        items.append((2, "OC3", f'Add {_number_to_add(fact.text)} to: "{shorten(fact.text, 80)}"{where}.'))

    undated_talks = [f for f in profile.with_signal("talk") if not f.year_stated]
    if undated_talks:
        quoted = "; ".join(f'"{shorten(f.text, 60)}"' for f in undated_talks[:2])
        items.append(
            (
                2,
                "MC",
                f"You list talks but no dates: {quoted}. Add the month and year, the audience size and a "
                "link to the programme or recording.",
            )
        )

    oss = profile.with_signal("open_source")
    if oss and not any(f.has_link for f in oss):
        items.append(
            (
                3,
                "OC2",
                f'Add links to the open-source projects you mention ("{shorten(oss[0].text, 60)}") so '
                "assessors can check them.",
            )
        )
    if oss and not any(f.numbers for f in oss):
        items.append(
            (3, "OC2", "Add adoption numbers to your open source: GitHub stars, downloads, dependent projects.")
        )

    stale = failed.get("stale_evidence")
    if stale:
        items.append(
            (
                3,
                "MC",
                "Replace recognition older than 5 years with recent items, or show it continues: "
                + "; ".join(stale.details[:2]),
            )
        )
    if profile.with_signal("weak"):
        items.append((4, None, "Leave internal awards, certificates and LinkedIn/Medium posts out of your evidence."))

    undated = [f for f, kind in profile.recognition if f.year is None and kind != "talk"]  # talks: see above
    if undated:
        items.append(
            (
                3,
                "MC",
                f'Add dates to your recognition, e.g. "{shorten(undated[0].text, 60)}": assessors need to '
                "see it is from the last 5 years.",
            )
        )

    optional = sorted((c for c in criteria if c.code != "MC"), key=lambda c: (-c.score, c.code))
    first, second = optional[0], optional[1]
    if second.score >= rules.PARTIAL_AT:
        items.append(
            (
                4,
                None,
                f"Your strongest optional criteria are {first.code} ({first.score}/100) and {second.code} "
                f"({second.score}/100). Plan 2 evidence documents for MC and 2 for each of these; one document "
                "supports one criterion only.",
            )
        )
    else:
        met = [c.code for c in optional if c.score >= rules.PARTIAL_AT]
        items.append(
            (
                2,
                None,
                f"You need 2 of the 4 optional criteria; this CV shows {len(met)} ({', '.join(met) or 'none'}). "
                "Start with the one closest to your work: OC3 (contributions with numbers) or OC2 (open source, "
                "talks, mentoring outside your job).",
            )
        )
    mc_met = by_code["MC"].status != "missing"
    if (
        mc_met
        and category is not None
        and category.category == "promise"
        and category.years_in_tech
        and category.years_in_tech >= 5
    ):
        items.append((4, None, "You have 5+ years in technology but Promise-level recognition: explain your choice."))

    return _ranked(items)


def _ranked(items: list[tuple[int, str | None, str]]) -> list[Suggestion]:
    """Most urgent first (then in the order found), at most MAX_SUGGESTIONS, numbered from 1."""
    ordered = sorted(enumerate(items), key=lambda pair: (pair[1][0], pair[0]))[:MAX_SUGGESTIONS]
    return [Suggestion(priority=i, criterion=crit, text=text) for i, (_, (_, crit, text)) in enumerate(ordered, 1)]
