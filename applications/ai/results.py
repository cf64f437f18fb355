"""Typed results of the pack's AI tools, shared by the local and OpenAI providers and stored as JSON."""

from typing import Literal

from pydantic import BaseModel, Field

from ai_tools.results import CriterionCode

Confidence = Literal["low", "medium", "high"]


class CriterionSuggestion(BaseModel):
    criterion: CriterionCode | None = Field(description="None when nothing in the text points to a criterion.")
    confidence: Confidence
    quote: str = Field(description="The sentence of the document (verbatim) that drove the suggestion; may be empty.")
    reasons: list[str]
    engine: str


class LetterFinding(BaseModel):
    code: str = Field(
        description="months_known, contacts, specific_work, how_known, addressed, dated, length, ai_phrasing"
    )
    passed: bool
    message: str
    quotes: list[str] = Field(description="Sentences of the letter behind the finding (verbatim).")


class LetterReport(BaseModel):
    position: int
    recommender: str
    word_count: int
    findings: list[LetterFinding]

    @property
    def failed(self) -> list[LetterFinding]:
        return [f for f in self.findings if not f.passed]


class TextSegment(BaseModel):
    text: str
    shared: bool


class LetterPair(BaseModel):
    first: int
    second: int
    score: float = Field(description="Share of the shorter letter's 5-word runs found in the other (0..1).")
    templated: bool
    passages: list[str]
    segments_first: list[TextSegment]
    segments_second: list[TextSegment]


class SetFinding(BaseModel):
    code: str = Field(description="count, not_all_line_managers, not_one_organisation, templating")
    passed: bool
    message: str


class LettersReport(BaseModel):
    letters: list[LetterReport]
    set_findings: list[SetFinding]
    pairs: list[LetterPair]
    threshold: float
    templated: bool
    engine: str

    @property
    def problems(self) -> int:
        return sum(len(letter.failed) for letter in self.letters) + sum(1 for f in self.set_findings if not f.passed)
