"""OpenAI provider: the only module that imports ``openai``.

The model judges (criteria, risks, category, suggestions, edits) through strict structured output;
facts that are simply true or false (page count, dated roles, evidence age, word counts, clichés)
come from the local engine, so they never depend on a model's mood. Quotes the model returns are
kept only if they really are in the applicant's text.
"""

import json
import logging
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import openai
import pydantic
from openai import OpenAI
from pydantic import BaseModel

from ai_tools import rules
from ai_tools.results import (
    CategorySuggestion,
    CriterionAssessment,
    CVAnalysis,
    FlaggedSentence,
    Risk,
    StatementDraft,
    StatementFacts,
    StatementReview,
    SuggestedEdit,
    Suggestion,
)

from .base import AIProvider, ProviderError, utc_today
from .local import LocalProvider
from .local.checks import penalty
from .local.diffing import apply_edits, unified_sentence_diff, word_diff
from .local.risks import risk_penalty
from .local.scoring import readiness_score
from .local.statement_draft import PLACEHOLDER
from .local.text import word_count

logger = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

MSG_TIMEOUT = "The AI service took too long to answer. Please try again in a few minutes."
MSG_BUSY = "The AI service is busy right now. Please try again in a few minutes."
MSG_UNAVAILABLE = "The AI service is not available right now. Please try again later."
MSG_REFUSED = "The AI service declined to process this text. Check that you pasted your CV or statement, then retry."
MSG_MALFORMED = "The AI service returned an answer we could not read. Please try again."


# --- what the model is asked to return ----------------------------------------------------------


class CVJudgement(BaseModel):
    summary: str
    criteria: list[CriterionAssessment]
    risks: list[Risk]
    category: CategorySuggestion
    suggestions: list[Suggestion]


class DraftText(BaseModel):
    text: str


class StatementCoaching(BaseModel):
    unsupported_claims: list[FlaggedSentence]
    suggested_edits: list[SuggestedEdit]


def _rules_brief() -> str:
    criteria = "\n".join(f"- {c.code} ({c.name}): {c.summary}" for c in rules.CRITERIA.values())
    return (
        "You assess applications for the UK Global Talent visa, digital technology route (Tech Nation).\n"
        f"Criteria (the MC plus {rules.OPTIONAL_CRITERIA_TO_MEET} of the 4 optional criteria are needed):\n{criteria}\n"
        "Usually not eligible: service or process delivery, outsourcing, consultancy (including ERP), systems "
        "administration, corporate roles in non-technical organisations. Eligible: hands-on technical people, or "
        "business people in product-led digital companies. Evidence older than "
        f"{rules.MC_EVIDENCE_MAX_AGE_YEARS} years is weak for the MC; internal awards, LinkedIn/Medium posts and "
        "training certificates are weak evidence. Talent: a recognised leader. Promise: an emerging leader, "
        f"typically under ~{rules.PROMISE_TYPICAL_MAX_YEARS_IN_TECH} years in technology.\n"
        "Never invent facts, achievements, numbers or quotes. Quote the applicant's text verbatim."
    )


# --- client --------------------------------------------------------------------------------------


def build_client(*, api_key: str, timeout: float, max_retries: int, http_client=None) -> OpenAI:
    """The SDK client with explicit limits (its defaults are a 600 s timeout). Tests pass an httpx2 client."""
    return OpenAI(api_key=api_key, timeout=timeout, max_retries=max_retries, http_client=http_client)


def _normalised(text: str) -> str:
    return " ".join(text.split())


class OpenAIProvider(AIProvider):
    name = "openai"

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        timeout: float = 30.0,
        max_retries: int = 2,
        max_input_chars: int = 60_000,
        client_factory: Callable[[], OpenAI] | None = None,
        today: date | None = None,
    ):
        self.model = model
        self.max_input_chars = max_input_chars
        self._client_factory = client_factory or (
            lambda: build_client(api_key=api_key, timeout=timeout, max_retries=max_retries)
        )
        self._client: OpenAI | None = None
        self._local = LocalProvider(today=today)
        self._today = today

    @property
    def engine(self) -> str:
        return f"openai:{self.model}"

    def _parse(self, text_format: type[T], instructions: str, payload: str) -> T:
        if self._client is None:
            self._client = self._client_factory()
        try:
            response = self._client.responses.parse(
                model=self.model,
                instructions=instructions,
                input=payload[: self.max_input_chars],
                text_format=text_format,
            )
        except openai.APITimeoutError as exc:  # subclass of APIConnectionError: catch it first
            raise ProviderError(MSG_TIMEOUT, retryable=True) from exc
        except openai.APIConnectionError as exc:
            raise ProviderError(MSG_UNAVAILABLE, retryable=True) from exc
        except openai.RateLimitError as exc:
            raise ProviderError(MSG_BUSY, retryable=True) from exc
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            logger.error("OpenAI rejected our credentials: %s", exc)
            raise ProviderError(MSG_UNAVAILABLE) from exc
        except openai.APIStatusError as exc:
            logger.warning("OpenAI returned HTTP %s", exc.status_code)
            raise ProviderError(MSG_UNAVAILABLE, retryable=exc.status_code >= 500) from exc
        except (pydantic.ValidationError, json.JSONDecodeError, ValueError) as exc:
            logger.warning("OpenAI output did not match %s: %s", text_format.__name__, exc)
            raise ProviderError(MSG_MALFORMED, retryable=True) from exc

        for item in response.output or []:
            for content in getattr(item, "content", None) or []:
                if getattr(content, "type", None) == "refusal":
                    logger.info("OpenAI refused: %s", getattr(content, "refusal", ""))
                    raise ProviderError(MSG_REFUSED)
        parsed = response.output_parsed
        if parsed is None:
            logger.warning("OpenAI response %s had no parsed output (status %s)", response.id, response.status)
            raise ProviderError(MSG_MALFORMED, retryable=True)
        return parsed

    # --- CV ----------------------------------------------------------------------------------

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
        facts = self._local.analyse_cv(text, route, category_hint, page_count, pages_estimated, today=today)
        if not facts.route_available:
            return facts.model_copy(update={"engine": self.engine})
        instructions = _rules_brief() + (
            f"\nToday is {today.isoformat()}. Assess the CV below against MC and OC1-OC4: a 0-100 score, a status "
            f"(strong >= {rules.STRONG_AT}, partial >= {rules.PARTIAL_AT}, else missing), verbatim evidence "
            "sentences and what is missing; eligibility risks; Talent or Promise with reasons; up to 10 "
            "prioritised, concrete suggestions that refer to the CV's own content."
        )
        payload = f"Category the applicant is considering: {category_hint or 'not chosen'}.\n\nCV:\n{text}"
        judgement = self._parse(CVJudgement, instructions, payload)
        criteria = self._verified_criteria(judgement.criteria, text)
        haystack = _normalised(text)
        risks = [
            r.model_copy(update={"quotes": [q for q in r.quotes if _normalised(q) in haystack]})
            for r in judgement.risks
        ]
        category = judgement.category.model_copy(update={"years_in_tech": facts.category.years_in_tech})
        return facts.model_copy(
            update={
                "engine": self.engine,
                "summary": judgement.summary,
                "criteria": criteria,
                "risks": risks,
                "category": category,
                "suggestions": sorted(judgement.suggestions, key=lambda s: s.priority)[:10],
                "overall_score": readiness_score(criteria, penalty(facts.checks) + risk_penalty(risks)),
            }
        )

    def _verified_criteria(self, criteria: list[CriterionAssessment], text: str) -> list[CriterionAssessment]:
        """One assessment per criterion, in order, with quotes that are not in the CV dropped."""
        haystack = _normalised(text)
        by_code = {c.code: c for c in criteria}
        verified = []
        for code in rules.CRITERIA:
            c = by_code.get(code)
            if c is None:
                c = CriterionAssessment(
                    code=code, name=rules.CRITERIA[code].name, score=0, status="missing", evidence=[], missing=[]
                )
            kept = [e for e in c.evidence if _normalised(e.quote) in haystack]
            missing = list(c.missing)
            if len(kept) < len(c.evidence):
                logger.info("Dropped %d non-verbatim quote(s) for %s", len(c.evidence) - len(kept), code)
                missing.append("Some quoted evidence could not be found in your CV and was left out.")
            verified.append(
                c.model_copy(update={"name": rules.CRITERIA[code].name, "evidence": kept, "missing": missing})
            )
        return verified

    # --- Personal Statement --------------------------------------------------------------------

    def generate_statement(self, facts: StatementFacts) -> StatementDraft:
        evidence = {}
        if facts.cv_analysis:
            evidence = {c.code: [e.quote for e in c.evidence] for c in facts.cv_analysis.criteria}
        instructions = _rules_brief() + (
            "\nWrite a first-draft Personal Statement scaffold using ONLY the facts and CV quotes given. Where a "
            "fact is missing, write a placeholder exactly like [Add: what is needed]. Cover why the UK, the planned "
            "occupation, where in the UK, the benefit to the UK digital sector, the MC and the two target criteria. "
            f"Stay well under {rules.STATEMENT_MAX_WORDS} words. Plain, specific language; no superlatives."
        )
        payload = json.dumps(
            {**facts.model_dump(mode="json", exclude={"cv_analysis"}), "cv_evidence_by_criterion": evidence}
        )
        draft = self._parse(DraftText, instructions, payload)
        text = f"{rules.DRAFT_HEADER}\n\n{draft.text.strip()}"
        return StatementDraft(
            text=text,
            word_count=word_count(text),
            word_limit=rules.STATEMENT_MAX_WORDS,
            placeholders=PLACEHOLDER.findall(text),
            notice=f"{rules.DRAFT_NOTICE} {rules.AI_CONTENT_WARNING}",
            engine=self.engine,
        )

    def enhance_statement(self, draft: str, cv_analysis: CVAnalysis | None) -> StatementReview:
        base = self._local.enhance_statement(draft, cv_analysis)
        instructions = _rules_brief() + (
            "\nCoach this Personal Statement draft. List unsupported claims (quote the sentence verbatim) and "
            "suggest edits as (original sentence copied verbatim, suggested sentence, reason). Suggested sentences "
            "may remove filler or ask for a fact with [Add: ...]; they must not add achievements, numbers or "
            "opinions the applicant did not write."
        )
        coaching = self._parse(StatementCoaching, instructions, draft)
        text = draft.replace("\r\n", "\n").strip()
        local_originals = {e.original for e in base.suggested_edits}
        extra_edits = [e for e in coaching.suggested_edits if e.original in text and e.original not in local_originals]
        edits = base.suggested_edits + extra_edits
        known_claims = {c.sentence for c in base.unsupported_claims}
        claims = base.unsupported_claims + [
            c for c in coaching.unsupported_claims if c.sentence in text and c.sentence not in known_claims
        ]
        revised = apply_edits(text, edits)
        return base.model_copy(
            update={
                "unsupported_claims": claims,
                "suggested_edits": edits,
                "revised_text": revised,
                "diff": word_diff(text, revised),
                "unified_diff": unified_sentence_diff(text, revised),
                "engine": self.engine,
            }
        )
