"""The readiness plan: everything the applicant has, checked, as one ordered list of what to do next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from ai_tools.models import AIRun
from ai_tools.results import CVAnalysis, StatementReview

from . import rules
from .ai.results import LettersReport
from .models import Application, EvidenceDocument, RecommendationLetter
from .portfolio import DocFacts, RuleResult, evaluate, next_actions


@dataclass
class Step:
    title: str
    done: bool
    detail: str
    url: str = ""
    actions: list[str] = field(default_factory=list)


@dataclass
class Portfolio:
    documents: list[EvidenceDocument]
    results: list[RuleResult]
    actions: list[str]
    by_criterion: dict[str, list[EvidenceDocument]]

    @property
    def met(self) -> int:
        return sum(1 for r in self.results if r.met)

    @property
    def total_pages(self) -> int:
        return sum(d.page_count for d in self.documents)


@dataclass
class Plan:
    application: Application
    portfolio: Portfolio
    letters: list[RecommendationLetter]
    cv: CVAnalysis | None
    cv_run: AIRun | None
    statement: StatementReview | None
    statement_run: AIRun | None
    letters_report: LettersReport | None
    letters_run: AIRun | None
    steps: list[Step]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def next_step(self) -> Step | None:
        return next((s for s in self.steps if not s.done), None)


def build_portfolio(application: Application, documents: list[EvidenceDocument], *, analysis, today: date) -> Portfolio:
    facts = [DocFacts.of(d) for d in documents]
    results = evaluate(facts, optional_criteria=application.optional_criteria, today=today)
    by_criterion: dict[str, list[EvidenceDocument]] = {code: [] for code in rules.CRITERIA}
    unassigned = []
    for doc in documents:
        (by_criterion[doc.criterion] if doc.criterion else unassigned).append(doc)
    if unassigned:
        by_criterion["—"] = unassigned
    return Portfolio(
        documents=documents,
        results=results,
        actions=next_actions(results, facts, optional_criteria=application.optional_criteria, analysis=analysis),
        by_criterion=by_criterion,
    )


def result_of(run: AIRun | None, model):
    if run is None or run.status != AIRun.Status.SUCCEEDED or run.result is None:
        return None
    return model.model_validate(run.result)


def build_plan(
    application: Application,
    *,
    documents: list[EvidenceDocument],
    letters: list[RecommendationLetter],
    runs: dict[str, AIRun | None],
    today: date,
) -> Plan:
    cv = result_of(runs["cv"], CVAnalysis)
    statement = result_of(runs["statement"], StatementReview)
    letters_report = result_of(runs["letters"], LettersReport)
    portfolio = build_portfolio(application, documents, analysis=cv, today=today)
    steps = []
    chosen = bool(application.category) and len(application.optional_criteria) == rules.OPTIONAL_CRITERIA_TO_MEET
    steps.append(
        Step(
            "Choose your category and two optional criteria",
            chosen,
            f"{application.get_category_display()}: MC + {' + '.join(application.optional_criteria)}"
            if chosen
            else "Talent or Promise, and the two of OC1–OC4 your evidence is strongest for"
            + (f" (your CV analysis suggests {cv.category.category.capitalize()})." if cv and cv.category else "."),
            reverse("applications:plan") + "#choices",
        )
    )
    if cv is None:
        steps.append(Step("Analyse your CV", False, "No CV analysis yet.", reverse("ai_tools:cv_analysis")))
    else:
        failed = [c.message for c in cv.failed_checks]
        steps.append(
            Step(
                "Analyse your CV",
                not failed,
                f"Readiness {cv.overall_score}/100"
                + (f"; {len(failed)} check{'s' if len(failed) != 1 else ''} to fix." if failed else "; checks pass."),
                reverse("ai_tools:run_detail", args=[runs["cv"].pk]),
                failed[:3],
            )
        )
    blocking = [r for r in portfolio.results if r.status == "not_met"]
    steps.append(
        Step(
            "Build your evidence portfolio",
            bool(documents) and not blocking,
            f"{len(documents)} of {rules.EVIDENCE_MAX_DOCUMENTS} documents; {portfolio.met} of "
            f"{len(portfolio.results)} rules met.",
            reverse("applications:portfolio"),
            portfolio.actions[:4],
        )
    )
    if statement is None:
        steps.append(
            Step(
                "Review your Personal Statement",
                False,
                "No statement review yet.",
                reverse("ai_tools:statement_enhance"),
            )
        )
    else:
        missing = [e.label for e in statement.missing_elements]
        steps.append(
            Step(
                "Review your Personal Statement",
                not missing and not statement.over_limit,
                f"{statement.word_count}/{statement.word_limit} words"
                + (f"; missing: {', '.join(missing)}." if missing else "; every required element present."),
                reverse("ai_tools:run_detail", args=[runs["statement"].pk]),
            )
        )
    if len(letters) < rules.RECOMMENDATION_LETTERS_REQUIRED:
        steps.append(
            Step(
                "Collect three recommendation letters",
                False,
                f"{len(letters)} of {rules.RECOMMENDATION_LETTERS_REQUIRED} letters added.",
                reverse("applications:letters"),
            )
        )
    else:
        checked_after_edit = letters_report is not None and runs["letters"].created_at >= max(
            letter.updated_at for letter in letters
        )
        problems = letters_report.problems if letters_report else None
        steps.append(
            Step(
                "Check your recommendation letters",
                checked_after_edit and problems == 0,
                (
                    "Templating is evident between your letters."
                    if letters_report.templated
                    else f"{problems} issue(s) found."
                )
                if letters_report and checked_after_edit
                else "Run the letters check on the current letters.",
                reverse("applications:letters"),
            )
        )
    steps.append(
        Step(
            "Export your pack",
            False,
            "One PDF with a cover, an index by criterion and every document with a running header; and a ZIP of the originals.",
            reverse("applications:portfolio") + "#export",
        )
    )
    # Export is never "done" by itself: it is done when everything before it is.
    steps[-1].done = all(s.done for s in steps[:-1])
    return Plan(
        application=application,
        portfolio=portfolio,
        letters=letters,
        cv=cv,
        cv_run=runs["cv"],
        statement=statement,
        statement_run=runs["statement"],
        letters_report=letters_report,
        letters_run=runs["letters"],
        steps=steps,
    )
