"""The refusal review's OpenAI side against the real openai SDK (HTTP answered by httpx2.MockTransport)."""

import json

import httpx2
import pytest

from ai_tools.providers.base import ProviderError
from applications.ai.openai_provider import OpenAIPackProvider
from applications.refusals.engine import Pack, is_verbatim
from applications.refusals.openai_provider import ModelReading, OpenAIRefusalProvider

from .test_openai_provider import body
from .test_openai_provider import provider as pack_openai

LETTER = (
    "Mandatory criterion: not met. The applicant has not demonstrated recognition as a leading talent.\n"
    "Optional criterion 2: not met. No evidence was provided of work outside the applicant's occupation.\n"
    "Optional criterion 3: met.\n"
)
EMPTY = Pack(documents=[], letters=[])


def provider(handler):
    pack_provider, calls = pack_openai(handler)
    return OpenAIRefusalProvider(pack_provider), calls


def test_quotes_are_kept_only_when_verbatim_else_the_local_sentence_or_nothing():
    reading = ModelReading.model_validate(
        {
            "findings": [
                # verbatim (whitespace differs): kept
                {
                    "criterion": "MC",
                    "classification": "insufficient",
                    "quote": "The applicant has not  demonstrated recognition as a leading talent.",
                },
                # paraphrased: replaced by the local engine's sentence for OC2
                {
                    "criterion": "OC2",
                    "classification": "not_considered",
                    "quote": "There was no evidence of side projects.",
                },
                # invented criterion with an invented quote: dropped
                {"criterion": "OC4", "classification": "insufficient", "quote": "Papers were not cited."},
            ],
            "criteria_met": ["OC3"],
        }
    )
    p, calls = provider(lambda r: httpx2.Response(200, json=body(reading.model_dump_json())))
    review = p.review(LETTER, EMPTY)
    assert [(f.criterion, f.classification) for f in review.findings] == [
        ("MC", "insufficient"),
        ("OC2", "not_considered"),
    ]
    assert review.findings[1].quote == "No evidence was provided of work outside the applicant's occupation."
    assert all(is_verbatim(f.quote, LETTER) for f in review.findings)
    assert review.criteria_met == ["OC3"] and review.engine == "openai:gpt-4.1-mini"
    request = json.loads(calls[0].content)
    assert (
        len(calls) == 1 and request["model"] == "gpt-4.1-mini" and "Never paraphrase a quote" in request["instructions"]
    )
    assert request["input"] == LETTER


@pytest.mark.parametrize("status", [429, 500])
def test_api_errors_become_a_provider_error(status):
    p, _calls = provider(lambda r: httpx2.Response(status, json={"error": {"message": "nope"}}))
    with pytest.raises(ProviderError) as exc:
        p.review(LETTER, EMPTY)
    assert "not available" in exc.value.user_message


def test_a_malformed_answer_is_a_provider_error():
    p, _calls = provider(lambda r: httpx2.Response(200, json=body('{"findings": "oops"}')))
    with pytest.raises(ProviderError):
        p.review(LETTER, EMPTY)


def test_the_openai_engine_is_chosen_with_a_key(settings):
    from applications.refusals.provider import LocalRefusalProvider, get_refusal_provider

    settings.OPENAI_API_KEY = ""
    assert isinstance(get_refusal_provider(), LocalRefusalProvider)
    settings.OPENAI_API_KEY = "sk-test"
    chosen = get_refusal_provider()
    assert isinstance(chosen, OpenAIRefusalProvider) and isinstance(chosen._pack, OpenAIPackProvider)
