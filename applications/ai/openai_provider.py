"""The pack's OpenAI side: two small structured-output calls. Facts that are simply true or false
(months known, contact details, dates, length, templating) always come from the local checks.

Coupled to ai_tools' provider module by one function only, its client factory ``build_client``.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import TypeVar

import openai
import pydantic
from pydantic import BaseModel

from ai_tools.providers.base import ProviderError
from ai_tools.providers.openai import build_client
from ai_tools.results import CriterionCode

from .. import rules
from .base import LetterInput, PackProvider
from .local import check_letter_set, sentences_of
from .results import Confidence, CriterionSuggestion, LettersReport

logger = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

MSG_RETRY = "The AI service is not available right now. Please try again in a few minutes."
MSG_MALFORMED = "The AI service returned an answer we could not read. Please try again."


class CriterionJudgement(BaseModel):
    criterion: CriterionCode | None
    confidence: Confidence
    quote: str
    reasons: list[str]


class LetterJudgement(BaseModel):
    position: int
    names_specific_work: bool
    quotes: list[str]
    reason: str


class LettersJudgement(BaseModel):
    letters: list[LetterJudgement]


def _brief() -> str:
    criteria = "\n".join(f"- {c.code} ({c.name}): {c.summary}" for c in rules.CRITERIA.values())
    return (
        "You check evidence for the UK Global Talent visa, digital technology route (Tech Nation).\n"
        f"Criteria:\n{criteria}\nNever invent facts. Quote the given text verbatim."
    )


def _normalised(text: str) -> str:
    return " ".join(text.split())


class OpenAIPackProvider(PackProvider):
    name = "openai"

    def __init__(self, *, api_key: str, model: str, timeout: float = 30.0, max_retries: int = 2, client_factory=None):
        self.model = model
        self._client_factory = client_factory or (
            lambda: build_client(api_key=api_key, timeout=timeout, max_retries=max_retries)
        )

    @property
    def engine(self) -> str:
        return f"openai:{self.model}"

    def _parse(self, text_format: type[T], instructions: str, payload: str) -> T:
        try:
            response = self._client_factory().responses.parse(
                model=self.model, instructions=instructions, input=payload[:60_000], text_format=text_format
            )
        except openai.APIError as exc:  # timeouts, connection, rate limits, HTTP errors
            logger.warning("OpenAI call failed: %s", type(exc).__name__)
            raise ProviderError(MSG_RETRY, retryable=True) from exc
        except (pydantic.ValidationError, json.JSONDecodeError, ValueError) as exc:
            raise ProviderError(MSG_MALFORMED, retryable=True) from exc
        if response.output_parsed is None:
            raise ProviderError(MSG_MALFORMED, retryable=True)
        return response.output_parsed

    def suggest_criterion(self, *, title: str, proves: str, text: str) -> CriterionSuggestion:
        judgement = self._parse(
            CriterionJudgement,
            _brief() + "\nWhich ONE criterion does this evidence document best support? Quote the sentence of the "
            "document that shows it (verbatim), or leave the quote empty.",
            f"Title: {title}\nWhat it proves (applicant's words): {proves}\n\nDocument text:\n{text}",
        )
        quote = judgement.quote if _normalised(judgement.quote) in _normalised(text) else ""
        return CriterionSuggestion(**{**judgement.model_dump(), "quote": quote, "engine": self.engine})

    def check_letters(self, letters: list[LetterInput], *, applicant: str, today: date) -> LettersReport:
        report = check_letter_set(letters, today=today, engine=self.engine)
        judgement = self._parse(
            LettersJudgement,
            _brief() + f"\nFor each recommendation letter about {applicant or 'the applicant'}, say whether it names "
            "specific work of the applicant and its impact (not generic praise), with the sentences that do (verbatim).",
            json.dumps([{"position": letter.position, "text": letter.text} for letter in letters]),
        )
        verdicts = {j.position: j for j in judgement.letters}
        texts = {letter.position: letter.text for letter in letters}
        for letter_report in report.letters:
            verdict = verdicts.get(letter_report.position)
            if verdict is None:
                continue
            sentences = {_normalised(s) for s in sentences_of(texts[letter_report.position])}
            quotes = [
                q
                for q in verdict.quotes
                if _normalised(q) in sentences or _normalised(q) in _normalised(texts[letter_report.position])
            ]
            for finding in letter_report.findings:
                if finding.code == "specific_work":
                    finding.passed = verdict.names_specific_work and bool(quotes)
                    finding.message = verdict.reason
                    finding.quotes = quotes[:3]
        return report


__all__ = ["OpenAIPackProvider"]
