"""Factories and helpers for the AI tools web-layer tests."""

from datetime import date

import factory

from accounts import services as account_services
from accounts.models import LedgerEntry
from accounts.tests.factories import UserFactory
from ai_tools.models import AIRun, Document
from ai_tools.providers.local import LocalProvider

from .builders import cv_text

TODAY = date(2026, 6, 1)


def funded_user(*, points: int = 0, free_uses: int = 0, **kwargs):
    user = UserFactory(**kwargs)
    if points:
        account_services.points_grant(user=user, amount=points, reason=LedgerEntry.Reason.ADJUSTMENT)
    if free_uses:
        account_services.free_uses_grant(user=user, amount=free_uses, reason=LedgerEntry.Reason.ADJUSTMENT)
    return user


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document row (no file in storage unless the test writes one)."""

    class Meta:
        model = Document

    owner = factory.SubFactory(UserFactory)
    kind = Document.Kind.TXT
    original_filename = "my-cv.txt"
    storage_name = factory.Sequence(lambda n: f"cv/test-{n}.txt")
    size_bytes = 1234
    sha256 = "0" * 64
    page_count = 2
    pages_estimated = True
    word_count = 600
    text = factory.LazyFunction(lambda: cv_text("strong_talent"))


def analysis_result(name: str = "strong_talent") -> dict:
    return (
        LocalProvider(today=TODAY)
        .analyse_cv(cv_text(name), "digital_technology", None, 2, False)
        .model_dump(mode="json")
    )


class AIRunFactory(factory.django.DjangoModelFactory):
    """A finished CV analysis by default (paid with points)."""

    class Meta:
        model = AIRun

    user = factory.SubFactory(UserFactory)
    tool = AIRun.Tool.CV_ANALYSIS
    status = AIRun.Status.SUCCEEDED
    document = factory.SubFactory(DocumentFactory, owner=factory.SelfAttribute("..user"))
    input = factory.LazyFunction(lambda: {"route": "digital_technology", "category_hint": None})
    result = factory.LazyFunction(analysis_result)
    headline = "Readiness 95/100"
    engine = "local"
    paid_with = AIRun.PaidWith.POINTS
    points_charged = 10


def statement_run(*, user, tool=AIRun.Tool.STATEMENT_GENERATE) -> AIRun:
    from ai_tools.results import StatementFacts

    provider = LocalProvider(today=TODAY)
    if tool == AIRun.Tool.STATEMENT_GENERATE:
        result = provider.generate_statement(
            StatementFacts(
                why_uk="London has the densest fintech ecosystem in Europe.",
                planned_occupation="Staff engineer at a payments start-up",
                where_in_uk="London",
                benefit_to_uk="I will mentor engineers and open-source our reconciliation tools.",
                target_criteria=["OC2", "OC3"],
            )
        )
        payload = {"facts": {"why_uk": "..."}}
    else:
        result = provider.enhance_statement(SAMPLE_DRAFT, None)
        payload = {"draft": SAMPLE_DRAFT}
    return AIRunFactory(user=user, tool=tool, document=None, input=payload, result=result.model_dump(mode="json"))


SAMPLE_DRAFT = (
    "I have always been passionate about technology. I am a world-class engineer who built many systems "
    "used by numerous customers.\n\nI want to move to the UK because London has the strongest fintech "
    "ecosystem in Europe. I plan to work as a staff engineer at a payments start-up in London. "
    "I will benefit the UK digital sector by mentoring engineers and speaking at meetups. "
    "I meet the mandatory criterion through my keynote at PyCon Africa 2024 and OC3 through leading the "
    "reconciliation engine that processes 40 million transactions a month."
)
