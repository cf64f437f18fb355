"""The local provider: an offline, deterministic rubric engine (same input, same output)."""

from datetime import date

from ai_tools import rules
from ai_tools.results import CVAnalysis, ParsedCV, StatementDraft, StatementFacts, StatementReview

from ..base import AIProvider, utc_today
from .analysis import analyse, route_not_available
from .parsing import parse_cv
from .statement_draft import build_draft
from .statement_review import review


class LocalProvider(AIProvider):
    name = "local"

    def __init__(self, *, today: date | None = None):
        self._today = today

    def analyse_cv(
        self,
        text: str,
        route: str,
        category_hint: str | None,
        page_count: int,
        pages_estimated: bool,
        *,
        today: date | None = None,
        parsed: ParsedCV | None = None,
    ) -> CVAnalysis:
        """``parsed`` is the structured parse the applicant saw (and maybe corrected) in "What we read";
        without it the text is parsed here."""
        today = today or self._today or utc_today()
        route_info = rules.ROUTES.get(route)
        if route_info is None or not route_info.available:
            return route_not_available(
                route, engine=self.name, today=today, page_count=page_count, pages_estimated=pages_estimated
            )
        return analyse(
            text,
            parsed=parsed if parsed is not None else parse_cv(text, today),
            route=route,
            category_hint=category_hint,
            page_count=page_count,
            pages_estimated=pages_estimated,
            today=today,
        )

    def parse_cv(self, text: str, *, today: date | None = None, warnings=()) -> ParsedCV:
        return parse_cv(text, today or self._today or utc_today(), warnings=warnings)

    def generate_statement(self, facts: StatementFacts) -> StatementDraft:
        return build_draft(facts)

    def enhance_statement(self, draft: str, cv_analysis: CVAnalysis | None) -> StatementReview:
        return review(draft, cv_analysis)
