"""The refusal review's result: both providers return it; it is stored as JSON on the AI run."""

from typing import Literal

from pydantic import BaseModel, Field

FindingCriterion = Literal["MC", "OC1", "OC2", "OC3", "OC4", "LETTERS", "DOCUMENTS", "ELIGIBILITY"]
Classification = Literal["not_considered", "insufficient", "eligibility"]
Recommendation = Literal["request_review", "reapply", "change_category"]


class Passage(BaseModel):
    """A passage of a pack document (or letter) that may answer the assessor's point."""

    source: Literal["document", "letter", "cv"]
    number: int = Field(description="Document position in the pack, letter slot (1-3), or 0 for the CV.")
    title: str
    page: int | None = Field(default=None, description="1-based; None for letters.")
    page_estimated: bool = False
    text: str = Field(description="Verbatim from the document's text.")
    overlap: list[str] = Field(default_factory=list, description="The assessor's words the passage shares.")


class Finding(BaseModel):
    criterion: FindingCriterion
    classification: Classification
    quote: str = Field(description="The refusal letter's sentence, verbatim.")
    documents: list[str] = Field(default_factory=list, description="Pack documents on this criterion (titles).")
    passages: list[Passage] = Field(default_factory=list)


class OutlineItem(BaseModel):
    """One point of the review request: the facts filled in, the argument left to the applicant."""

    criterion: FindingCriterion
    quote: str
    evidence: list[str] = Field(description="'Document 3 “…”, page 2' references; empty means none found.")
    placeholder: str = Field(description="A bracketed placeholder for the applicant's own words.")


class Gap(BaseModel):
    criterion: FindingCriterion
    classification: Classification
    action: str


class RefusalReview(BaseModel):
    findings: list[Finding]
    criteria_met: list[FindingCriterion]
    recommendation: Recommendation
    reasons: list[str]
    outline: list[OutlineItem]
    reapplication: list[Gap]
    pack_checked: bool = Field(description="False when the user had no pack to cross-check.")
    engine: str

    @property
    def not_considered(self) -> list[Finding]:
        return [f for f in self.findings if f.classification == "not_considered"]
