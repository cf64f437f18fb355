"""The refusal review from OpenAI: the model reads the letter into findings; every quote is checked against the
letter (a quote not found verbatim is replaced by the local engine's sentence for that criterion, or the finding
is dropped); everything after the findings (cross-check, outcome, outline) is the shared local code.

The call itself goes through the pack's OpenAI provider (its client, limits and error mapping), so this module
does not touch the SDK or ai_tools' provider module at all.
"""

from __future__ import annotations

import logging

from pydantic import BaseModel

from ..ai.openai_provider import OpenAIPackProvider
from . import rules
from .engine import Pack, RawFinding, complete, is_verbatim, read_letter
from .results import Classification, FindingCriterion, RefusalReview

logger = logging.getLogger(__name__)


class ModelFinding(BaseModel):
    criterion: FindingCriterion
    classification: Classification
    quote: str


class ModelReading(BaseModel):
    findings: list[ModelFinding]
    criteria_met: list[FindingCriterion]


def instructions() -> str:
    criteria = "\n".join(f"- {code}: {label}" for code, label in rules.CRITERIA.items())
    classes = "\n".join(f"- {code}: {text}" for code, text in rules.CLASSIFICATION_HELP.items())
    return (
        "You read a UK Global Talent (digital technology) endorsement refusal letter. For every criterion the "
        "letter says was NOT met, return one finding with the criterion code, a classification and the one "
        "sentence of the letter that states the reason, copied exactly. Use ELIGIBILITY for a problem with the "
        "role, the field or the category stated outside a criterion. List the criteria the letter says were met.\n"
        f"Criteria:\n{criteria}\nClassifications:\n{classes}\nNever paraphrase a quote; never invent a finding."
    )


class OpenAIRefusalProvider:
    name = "openai"

    def __init__(self, pack_provider: OpenAIPackProvider):
        self._pack = pack_provider

    @property
    def engine(self) -> str:
        return self._pack.engine

    def review(self, letter: str, pack: Pack) -> RefusalReview:
        reading = self._pack._parse(ModelReading, instructions(), letter)  # ProviderError on any API failure
        local = {f.criterion: f for f in read_letter(letter)[0]}
        findings: list[RawFinding] = []
        seen: set[str] = set()
        for item in reading.findings:
            if item.criterion in seen:
                continue
            quote = item.quote.strip()
            if not is_verbatim(quote, letter):
                fallback = local.get(item.criterion)
                if fallback is None:
                    logger.info("dropped an OpenAI finding on %s: its quote is not in the letter", item.criterion)
                    continue
                quote = fallback.quote
            seen.add(item.criterion)
            findings.append(RawFinding(item.criterion, item.classification, quote))
        met = [c for c in dict.fromkeys(reading.criteria_met) if c not in seen]
        return complete(findings, met, pack, engine=self.engine)
