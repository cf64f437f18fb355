"""The local provider: an offline, deterministic rubric engine (same input, same output)."""

from datetime import date

from ai_tools import rules
from ai_tools.results import CVAnalysis, StatementDraft, StatementFacts, StatementReview

from ..base import AIProvider, utc_today
from .analysis import analyse, route_not_available
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
    ) -> CVAnalysis:
        today = today or self._today or utc_today()
        route_info = rules.ROUTES.get(route)
        if route_info is None or not route_info.available:
            return route_not_available(
                route, engine=self.name, today=today, page_count=page_count, pages_estimated=pages_estimated
            )
        return analyse(
            text,
            route=route,
            category_hint=category_hint,
            page_count=page_count,
            pages_estimated=pages_estimated,
            today=today,
        )

    def generate_statement(self, facts: StatementFacts) -> StatementDraft:
        return build_draft(facts)

    def enhance_statement(self, draft: str, cv_analysis: CVAnalysis | None) -> StatementReview:
        return review(draft, cv_analysis)
