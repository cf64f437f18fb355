"""The interface every AI provider implements, and the one error type views and tasks handle."""

from abc import ABC, abstractmethod
from datetime import UTC, date, datetime

from ai_tools.results import CVAnalysis, StatementDraft, StatementFacts, StatementReview


def utc_today() -> date:
    return datetime.now(UTC).date()


class ProviderError(Exception):
    """The provider could not produce a result. ``user_message`` is safe to show; ``retryable`` hints Celery."""

    def __init__(self, user_message: str, *, retryable: bool = False):
        super().__init__(user_message)
        self.user_message = user_message
        self.retryable = retryable


class AIProvider(ABC):
    name: str

    @abstractmethod
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
        """Score the CV against the route's criteria. ``today`` is injectable for tests (evidence age)."""

    @abstractmethod
    def generate_statement(self, facts: StatementFacts) -> StatementDraft:
        """A first draft built only from the applicant's facts, with [Add: ...] placeholders for gaps."""

    @abstractmethod
    def enhance_statement(self, draft: str, cv_analysis: CVAnalysis | None) -> StatementReview:
        """Coach a pasted draft: word count, required elements, claims, clichés, suggested edits with a diff."""
