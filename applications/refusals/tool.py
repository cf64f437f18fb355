"""The refusal review as an ai_tools run: charged (free use first) and queued like the other tools, refunded if it
fails — including when the letter has no criterion marked as not met."""

from __future__ import annotations

from ai_tools.models import AIRun
from ai_tools.providers.base import ProviderError

from .engine import Pack, PackDocument, PackLetter
from .provider import get_refusal_provider
from .results import RefusalReview

NO_FINDINGS = (
    "We could not find a criterion marked as not met in this letter. Check that you pasted the whole refusal, "
    "including the assessor's comments for each criterion."
)


def cv_of(user) -> dict[str, list[str]]:
    """The latest finished CV analysis's evidence sentences per criterion, and its risk sentences (eligibility)."""
    from ai_tools.results import CVAnalysis

    from ..plan import result_of
    from ..selectors import latest_runs

    analysis = result_of(latest_runs(user=user)["cv"], CVAnalysis)
    if analysis is None:
        return {}
    found = {c.code: [e.quote for e in c.evidence] for c in analysis.criteria if c.evidence}
    risks = [q for risk in analysis.risks for q in risk.quotes]
    return found | ({"ELIGIBILITY": risks} if risks else {})


def pack_of(user) -> Pack:
    """The applicant's pack as the cross-check reads it (empty when they have none)."""
    from ..models import Application

    cv = cv_of(user)
    application = Application.objects.filter(owner=user).first()
    if application is None:
        return Pack(documents=[], letters=[], cv=cv)
    documents = [
        PackDocument(d.position, d.title, d.criterion, d.text, d.page_count, d.pages_estimated)
        for d in application.documents.order_by("position").only(
            "position", "title", "criterion", "text", "page_count", "pages_estimated"
        )
    ]
    letters = [PackLetter(x.position, x.name, x.text) for x in application.letters.order_by("position")]
    return Pack(documents=documents, letters=letters, cv=cv)


def execute(run: AIRun) -> RefusalReview:
    from .models import RefusalCase

    case = RefusalCase.objects.filter(pk=run.input.get("case_id"), owner_id=run.user_id).first()
    if case is None:
        raise ProviderError("This refusal was deleted before it could be read.")
    review = get_refusal_provider().review(case.letter_text, pack_of(run.user))
    if not review.findings:
        raise ProviderError(NO_FINDINGS)
    return review


def headline(review: RefusalReview) -> str:
    from . import rules

    count = len(review.findings)
    return f"{count} finding{'s' if count != 1 else ''} · {rules.RECOMMENDATIONS[review.recommendation]}"


def detail_url(run: AIRun) -> str:
    from django.urls import reverse

    from .models import RefusalCase

    case_id = RefusalCase.objects.filter(pk=run.input.get("case_id")).values_list("pk", flat=True).first()
    return reverse("applications:refusal_detail", args=[case_id]) if case_id else reverse("applications:refusals")


def register() -> None:
    from ai_tools.services import register_tool

    register_tool(
        tool=AIRun.Tool.REFUSAL_REVIEW,
        result_model=RefusalReview,
        execute=execute,
        headline=headline,
        detail_url=detail_url,
    )
