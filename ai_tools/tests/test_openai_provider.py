"""The OpenAI provider against the real openai SDK, with HTTP answered by httpx2.MockTransport."""

import json

import httpx2
import pytest

from ai_tools.providers import ProviderError
from ai_tools.providers.openai import CVJudgement, OpenAIProvider, StatementCoaching, build_client
from ai_tools.results import StatementFacts

from .builders import cv_text
from .conftest import TODAY

KEYNOTE = 'Keynote, PyCon Africa 2024, Accra: "Reconciling the world\'s ledgers in real time" (1,200 attendees).'


def response_body(payload: str | None = None, *, refusal: str | None = None) -> dict:
    content = (
        {"type": "refusal", "refusal": refusal}
        if refusal
        else {"type": "output_text", "text": payload, "annotations": []}
    )
    return {
        "id": "resp_test",
        "object": "response",
        "created_at": 1780000000,
        "model": "gpt-4.1-mini",
        "status": "completed",
        "output": [
            {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed", "content": [content]}
        ],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }


def judgement_json() -> str:
    criterion = {
        "code": "MC",
        "name": "ignored",
        "score": 88,
        "status": "strong",
        "evidence": [
            {"quote": KEYNOTE, "signals": ["keynote"], "year": 2024},
            {"quote": "Won the Turing Award 2025.", "signals": ["award"], "year": 2025},  # not in the CV
        ],
        "missing": [],
    }
    others = [
        {"code": code, "name": code, "score": score, "status": status, "evidence": [], "missing": ["x"]}
        for code, score, status in (
            ("OC1", 80, "strong"),
            ("OC2", 75, "strong"),
            ("OC3", 90, "strong"),
            ("OC4", 0, "missing"),
        )
    ]
    return CVJudgement.model_validate(
        {
            "summary": "Strong Talent profile.",
            "criteria": [criterion, *others],
            "risks": [],
            "category": {"category": "talent", "confidence": "high", "years_in_tech": 99, "reasons": ["Founder, CTO."]},
            "suggestions": [
                {"priority": 2, "criterion": None, "text": "B"},
                {"priority": 1, "criterion": "MC", "text": "A"},
            ],
        }
    ).model_dump_json()


def provider_with(handler, *, max_retries: int = 0, timeout: float = 5.0) -> tuple[OpenAIProvider, list]:
    calls = []

    def recording(request: httpx2.Request) -> httpx2.Response:
        calls.append(request)
        return handler(request, len(calls))

    def factory():
        http = httpx2.Client(transport=httpx2.MockTransport(recording))
        return build_client(api_key="sk-test", timeout=timeout, max_retries=max_retries, http_client=http)

    return OpenAIProvider(api_key="sk-test", model="gpt-4.1-mini", client_factory=factory, today=TODAY), calls


def analyse(provider):
    return provider.analyse_cv(cv_text("strong_talent"), "digital_technology", None, 2, False)


def test_success_uses_structured_output_and_keeps_only_verbatim_quotes():
    provider, calls = provider_with(lambda req, n: httpx2.Response(200, json=response_body(judgement_json())))
    analysis = analyse(provider)
    sent = json.loads(calls[0].content)
    assert calls[0].url.path.endswith("/responses")
    assert sent["model"] == "gpt-4.1-mini" and sent["text"]["format"]["type"] == "json_schema"
    assert sent["text"]["format"]["strict"] is True
    assert analysis.engine == "openai:gpt-4.1-mini"
    mc = analysis.criterion("MC")
    assert [e.quote for e in mc.evidence] == [KEYNOTE]  # the invented Turing Award quote was dropped
    assert "could not be found in your CV" in mc.missing[-1]
    assert mc.name == "Mandatory criterion: recognition"
    # Facts come from the local engine, not the model.
    assert analysis.category.years_in_tech == pytest.approx(13.1)
    assert {c.code for c in analysis.checks} >= {"page_count", "role_dates"}
    assert [s.text for s in analysis.suggestions] == ["A", "B"]
    assert 0 < analysis.overall_score <= 95


def test_refusal_raises_provider_error():
    body = response_body(refusal="I can't help with that.")
    provider, _ = provider_with(lambda req, n: httpx2.Response(200, json=body))
    with pytest.raises(ProviderError) as info:
        analyse(provider)
    assert "declined" in info.value.user_message and not info.value.retryable


def test_malformed_json_raises_provider_error():
    provider, _ = provider_with(lambda req, n: httpx2.Response(200, json=response_body('{"summary": "cut off')))
    with pytest.raises(ProviderError) as info:
        analyse(provider)
    assert "could not read" in info.value.user_message and info.value.retryable


def test_wrong_shape_raises_provider_error():
    provider, _ = provider_with(lambda req, n: httpx2.Response(200, json=response_body('{"summary": "no criteria"}')))
    with pytest.raises(ProviderError, match="could not read"):
        analyse(provider)


def test_429_is_retried_then_succeeds():
    def handler(request, n):
        if n == 1:
            return httpx2.Response(429, headers={"retry-after-ms": "10"}, json={"error": {"message": "slow down"}})
        return httpx2.Response(200, json=response_body(judgement_json()))

    provider, calls = provider_with(handler, max_retries=2)
    assert analyse(provider).overall_score > 0
    assert len(calls) == 2 and calls[1].headers["x-stainless-retry-count"] == "1"


def test_429_after_all_retries_is_a_busy_error():
    busy = httpx2.Response(429, headers={"retry-after-ms": "1"}, json={"error": {"message": "slow down"}})
    provider, calls = provider_with(lambda req, n: busy, max_retries=1)
    with pytest.raises(ProviderError, match="busy") as info:
        analyse(provider)
    assert info.value.retryable and len(calls) == 2


def test_timeout_raises_provider_error():
    def handler(request, n):
        raise httpx2.ReadTimeout("timed out", request=request)

    provider, _ = provider_with(handler)
    with pytest.raises(ProviderError, match="too long") as info:
        analyse(provider)
    assert info.value.retryable


def test_unavailable_route_makes_no_request():
    provider, calls = provider_with(lambda req, n: httpx2.Response(500))
    analysis = provider.analyse_cv("text " * 50, "science_medicine", None, 1, False)
    assert not analysis.route_available and calls == []


def test_generate_statement_marks_the_draft():
    payload = json.dumps({"text": "Why the UK. [Add: why the UK]\n\nI plan to work as a data engineer in Leeds."})
    provider, calls = provider_with(lambda req, n: httpx2.Response(200, json=response_body(payload)))
    draft = provider.generate_statement(StatementFacts(planned_occupation="data engineer", where_in_uk="Leeds"))
    assert draft.text.startswith("[DRAFT") and draft.placeholders == ["[Add: why the UK]"]
    assert "own words" in draft.notice and draft.engine == "openai:gpt-4.1-mini"
    assert '"where_in_uk": "Leeds"' in json.loads(calls[0].content)["input"]


def test_enhance_statement_merges_verbatim_model_edits_with_local_checks():
    draft = "I am passionate about AI. I built a tool that other teams use. I plan to work as an engineer in Leeds."
    coaching = StatementCoaching.model_validate(
        {
            "unsupported_claims": [{"sentence": "Not in the draft.", "phrase": "x", "reason": "y"}],
            "suggested_edits": [
                {
                    "original": "I built a tool that other teams use.",
                    "suggested": "I built a tool used by [Add: number] teams.",
                    "reason": "Quantify.",
                },
                {"original": "Invented sentence.", "suggested": "Whatever.", "reason": "Not in the draft."},
            ],
        }
    ).model_dump_json()
    provider, _ = provider_with(lambda req, n: httpx2.Response(200, json=response_body(coaching)))
    review = provider.enhance_statement(draft, None)
    originals = [e.original for e in review.suggested_edits]
    assert "I am passionate about AI." in originals  # local cliché check
    assert "I built a tool that other teams use." in originals  # model edit, verbatim
    assert "Invented sentence." not in originals
    assert all(c.sentence in draft for c in review.unsupported_claims)
    assert "[Add: number] teams" in review.revised_text
