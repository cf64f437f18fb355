"""The pack's OpenAI side against the real openai SDK, HTTP answered by httpx2.MockTransport."""

import json
from datetime import date
from pathlib import Path

import httpx2
import pytest

from ai_tools.providers.base import ProviderError
from ai_tools.providers.openai import build_client
from applications.ai import LetterInput
from applications.ai.openai_provider import CriterionJudgement, LettersJudgement, OpenAIPackProvider

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "corpus" / "letters"
DOC = "I mentored twelve students at Code First Girls.\nI organised the London Rust meetup every month."


def body(payload: str) -> dict:
    return {
        "id": "resp_test",
        "object": "response",
        "created_at": 1780000000,
        "model": "gpt-4.1-mini",
        "status": "completed",
        "output": [
            {
                "type": "message",
                "id": "msg_1",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": payload, "annotations": []}],
            }
        ],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }


def provider(handler):
    calls = []

    def recording(request):
        calls.append(request)
        return handler(request)

    def factory():
        return build_client(
            api_key="sk-test",
            timeout=5,
            max_retries=0,
            http_client=httpx2.Client(transport=httpx2.MockTransport(recording)),
        )

    return OpenAIPackProvider(api_key="sk-test", model="gpt-4.1-mini", client_factory=factory), calls


def test_criterion_suggestion_keeps_the_quote_only_if_it_is_in_the_document():
    judged = CriterionJudgement(
        criterion="OC2",
        confidence="high",
        quote="I mentored twelve students at Code First Girls.",
        reasons=["Mentoring."],
    )
    p, calls = provider(lambda r: httpx2.Response(200, json=body(judged.model_dump_json())))
    suggestion = p.suggest_criterion(title="Mentoring", proves="Mentoring outside work", text=DOC)
    assert (suggestion.criterion, suggestion.quote, suggestion.engine) == (
        "OC2",
        "I mentored twelve students at Code First Girls.",
        "openai:gpt-4.1-mini",
    )
    sent = json.loads(calls[0].content)
    assert sent["text"]["format"]["type"] == "json_schema" and "Code First Girls" in sent["input"]

    invented = judged.model_copy(update={"quote": "Won the Turing Award."})
    p, _ = provider(lambda r: httpx2.Response(200, json=body(invented.model_dump_json())))
    assert p.suggest_criterion(title="t", proves="p", text=DOC).quote == ""


def test_letters_keep_local_facts_and_take_the_models_specific_work_verdict():
    texts = [(CORPUS / "t01_independent" / f"{x}.txt").read_text() for x in "abc"]
    letters = [
        LetterInput(
            position=i,
            name=f"W{i}",
            role="r",
            organisation=f"O{i}",
            relationship="peer",
            months_known=6,
            email="e@x.example",
            phone="1",
            text=t,
        )
        for i, t in enumerate(texts, start=1)
    ]
    verdict = LettersJudgement.model_validate(
        {
            "letters": [
                {"position": 1, "names_specific_work": False, "quotes": [], "reason": "Only praise."},
                {
                    "position": 2,
                    "names_specific_work": True,
                    "quotes": ["Made up sentence."],
                    "reason": "Names ledgerlint.",
                },
                {
                    "position": 3,
                    "names_specific_work": True,
                    "quotes": [texts[2].split("\n")[4].split(". ")[0] + "."],
                    "reason": "KDD paper.",
                },
            ]
        }
    )
    p, _ = provider(lambda r: httpx2.Response(200, json=body(verdict.model_dump_json())))
    report = p.check_letters(letters, applicant="Priya Raman", today=date(2026, 11, 20))
    specific = {lr.position: next(f for f in lr.findings if f.code == "specific_work") for lr in report.letters}
    assert [specific[n].passed for n in (1, 2, 3)] == [False, False, True]  # 2: its only quote is not in the letter
    months = [next(f for f in lr.findings if f.code == "months_known").passed for lr in report.letters]
    assert months == [False, False, False]  # 6 months: a local fact, whatever the model says
    assert report.engine == "openai:gpt-4.1-mini" and not report.templated


@pytest.mark.parametrize("status", [429, 500, 401])
def test_api_errors_become_provider_errors(status):
    p, _ = provider(lambda r: httpx2.Response(status, json={"error": {"message": "x", "type": "x"}}))
    with pytest.raises(ProviderError):
        p.suggest_criterion(title="t", proves="p", text=DOC)


def test_upload_falls_back_to_the_local_suggestion_when_the_service_fails(monkeypatch):
    from applications import services

    p, _ = provider(lambda r: httpx2.Response(503, json={"error": {"message": "x", "type": "x"}}))
    monkeypatch.setattr(services, "get_pack_provider", lambda: p)
    suggestion = services._suggest(title="Mentoring", proves="Mentoring outside my job", text=DOC)
    assert suggestion["engine"] == "local" and suggestion["criterion"] == "OC2"


def test_the_provider_follows_the_settings(settings):
    from applications.ai import LocalPackProvider, get_pack_provider

    settings.OPENAI_API_KEY = ""
    assert isinstance(get_pack_provider(), LocalPackProvider)
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_MODEL = "gpt-4.1-mini"
    provider = get_pack_provider()
    assert isinstance(provider, OpenAIPackProvider) and provider.engine == "openai:gpt-4.1-mini"
