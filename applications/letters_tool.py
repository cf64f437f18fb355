"""The letters check as an ai_tools run: charged and queued like the other tools, refunded if it fails."""

from ai_tools.models import AIRun
from ai_tools.providers.base import utc_today

from .ai import LetterInput, get_pack_provider
from .ai.results import LettersReport


def execute(run: AIRun) -> LettersReport:
    letters = [LetterInput.from_dict(item) for item in run.input["letters"]]
    return get_pack_provider().check_letters(letters, applicant=run.input.get("applicant", ""), today=utc_today())


def headline(report: LettersReport) -> str:
    if report.templated:
        return "Templating is evident"
    problems = report.problems
    return "All letter checks passed" if not problems else f"{problems} letter issue{'s' if problems != 1 else ''}"


def detail_url(run: AIRun) -> str:
    from django.urls import reverse

    return reverse("applications:letters_check", args=[run.pk])


def register() -> None:
    from ai_tools.services import register_tool

    register_tool(
        tool=AIRun.Tool.LETTERS_CHECK,
        result_model=LettersReport,
        execute=execute,
        headline=headline,
        detail_url=detail_url,
    )
