"""Typed results shared by every AI provider (local and OpenAI) and by the reports.

These pydantic models are what the rest of the site stores (``model_dump(mode="json")`` into a
JSONField) and renders. Fields carry no defaults on purpose where a provider must decide the value:
it keeps the models usable as OpenAI strict structured-output schemas and makes every result explicit.
"""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

CriterionCode = Literal["MC", "OC1", "OC2", "OC3", "OC4"]
OptionalCriterionCode = Literal["OC1", "OC2", "OC3", "OC4"]
CriterionStatus = Literal["strong", "partial", "missing"]
Severity = Literal["high", "medium", "low"]
CategoryCode = Literal["talent", "promise"]
OrgKind = Literal["product", "services", "unknown"]
FieldVerdict = Literal["digital_technology", "likely_ineligible", "not_digital_technology"]


# --- CV analysis ---------------------------------------------------------------------------


class EvidenceQuote(BaseModel):
    quote: str = Field(description="A sentence copied verbatim from the CV.")
    signals: list[str] = Field(description="What in the sentence counts, e.g. 'keynote', 'number: 40k users'.")
    year: int | None = Field(description="The latest year the sentence mentions, if any.")


class CriterionAssessment(BaseModel):
    code: CriterionCode
    name: str
    score: int = Field(ge=0, le=100)
    status: CriterionStatus
    evidence: list[EvidenceQuote]
    missing: list[str] = Field(description="What is missing or weak, in plain words.")


class Risk(BaseModel):
    code: str = Field(description="Stable key, e.g. consultancy_role, no_product_company, no_external_recognition.")
    severity: Severity
    message: str
    quotes: list[str] = Field(description="CV sentences that raised the risk.")


class HardCheck(BaseModel):
    code: str = Field(description="page_count, role_dates, unquantified_claims, stale_evidence, undated_talks")
    passed: bool
    message: str
    details: list[str]


class CategorySuggestion(BaseModel):
    category: CategoryCode
    confidence: Literal["low", "medium", "high"]
    years_in_tech: float | None = Field(description="From dated technology roles; None when no role has dates.")
    reasons: list[str]


class Suggestion(BaseModel):
    priority: int = Field(ge=1, description="1 is the most important.")
    criterion: CriterionCode | None
    text: str


class RoleEntry(BaseModel):
    label: str = Field(description="The role line from the CV (title, organisation).")
    start: str = Field(description="YYYY-MM")
    end: str | None = Field(description="YYYY-MM, or None when current.")
    is_current: bool
    is_tech: bool
    # Added with the structured parse; stored results from before read the defaults.
    title: str = ""
    organisation: str = ""
    org_kind: OrgKind = "unknown"
    corrected: bool = Field(default=False, description="True when the applicant corrected or added this role.")


# --- "What we read": the structured parse of a CV, shown (and correctable) before any charge ----------


class ParsedRole(BaseModel):
    title: str
    organisation: str
    start: str | None = Field(description="YYYY-MM, or None when the CV gives no date.")
    end: str | None = Field(description="YYYY-MM, or None when current or undated.")
    is_current: bool
    is_tech: bool
    org_kind: OrgKind
    line_no: int | None = Field(description="The CV line the role header starts on; None for a role the user added.")
    source: str = Field(description="The header line(s) as read from the CV.")
    corrected: bool = False

    @property
    def label(self) -> str:
        return ", ".join(part for part in (self.title, self.organisation) if part) or self.source

    @property
    def dated(self) -> bool:
        return self.start is not None


class ParsedCV(BaseModel):
    sections: list[str] = Field(description="Section keys found, in order (experience, education, talks...).")
    roles: list[ParsedRole]
    education: list[str]
    publications: list[str]
    talks: list[str]
    awards: list[str]
    links: list[str]
    injection_lines: list[str] = Field(
        default_factory=list, description="Lines that read as instructions to an AI; treated as text, flagged."
    )
    warnings: list[str] = Field(default_factory=list, description="Extraction and parsing warnings for the user.")

    @property
    def dated_roles(self) -> list[ParsedRole]:
        return [r for r in self.roles if r.dated]


class CVAnalysis(BaseModel):
    route: str
    route_available: bool
    engine: str = Field(description="'local' or 'openai:<model>'.")
    rules_reviewed_on: date
    analysed_on: date
    summary: str
    overall_score: int = Field(ge=0, le=100)
    criteria: list[CriterionAssessment]
    risks: list[Risk]
    checks: list[HardCheck]
    category: CategorySuggestion | None
    suggestions: list[Suggestion]
    sections_found: list[str]
    roles: list[RoleEntry]
    page_count: int
    pages_estimated: bool
    # Added with the field check; stored results from before read the defaults.
    field_verdict: FieldVerdict = Field(
        default="digital_technology",
        description="digital_technology, likely_ineligible (services/consultancy as written) or "
        "not_digital_technology (then category is None).",
    )
    field_reasons: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="What we could not read well, for the user.")

    def criterion(self, code: str) -> CriterionAssessment | None:
        return next((c for c in self.criteria if c.code == code), None)

    @property
    def failed_checks(self) -> list[HardCheck]:
        return [c for c in self.checks if not c.passed]


# --- Personal Statement --------------------------------------------------------------------------


class StatementFacts(BaseModel):
    """What the applicant tells us; the draft is built from these facts and nothing else."""

    name: str | None = None
    why_uk: str = ""
    planned_occupation: str = ""
    where_in_uk: str = ""
    benefit_to_uk: str = ""
    target_criteria: list[OptionalCriterionCode] = Field(default_factory=list, max_length=2)
    category: CategoryCode | None = None
    cv_analysis: CVAnalysis | None = None


class StatementDraft(BaseModel):
    text: str
    word_count: int
    word_limit: int
    placeholders: list[str] = Field(description="Every [Add: ...] placeholder left for the applicant to fill.")
    notice: str = Field(description="Draft notice plus the AI-content warning; show it with the draft.")
    engine: str


class ElementCheck(BaseModel):
    code: str = Field(description="why_uk, occupation, where_in_uk, benefit, criteria")
    label: str
    present: bool
    sentence: str | None = Field(description="The sentence that covers it, when present.")
    advice: str | None


class CriterionArgument(BaseModel):
    """One criterion in the statement: the sentence that argues it (evidence plus a specific), or advice."""

    code: CriterionCode
    name: str
    argued: bool
    sentence: str | None
    advice: str | None


class FlaggedSentence(BaseModel):
    sentence: str
    phrase: str
    reason: str


EditKind = Literal["cliche", "ai_phrase", "claim", "repeat", "model"]


class DiffSegment(BaseModel):
    op: Literal["equal", "insert", "delete"]
    text: str


class SuggestedEdit(BaseModel):
    original: str = Field(description="A sentence (or paragraph) copied verbatim from the draft.")
    suggested: str = Field(description="The sentence after the edit; empty means delete it.")
    reason: str
    kind: EditKind = "model"
    every_repeat: bool = Field(default=False, description="Delete every occurrence after the first.")
    diff: list[DiffSegment] = Field(default_factory=list, description="Word-level diff original -> suggested.")


class AILikenessReport(BaseModel):
    verdict: Literal["reads_as_ai", "some_signs", "reads_human"]
    score: int = Field(ge=0, le=100)
    message: str
    reasons: list[str]


class ParagraphLength(BaseModel):
    number: int = Field(description="1-based paragraph number.")
    words: int
    opening: str = Field(description="The first words, to recognise the paragraph.")
    repeat_of: int | None = Field(description="The paragraph number this one repeats, if any.")
    criteria: list[CriterionCode]
    elements: list[str]


class CutStep(BaseModel):
    action: str = Field(description="Plain-words instruction, e.g. 'Delete paragraph 4 (a repeat of paragraph 2)'.")
    paragraph: int
    words_saved: int
    words_after: int


class LengthHelp(BaseModel):
    paragraphs: list[ParagraphLength]
    cut_plan: list[CutStep]
    words_after_plan: int
    reaches_limit: bool


class StatementReview(BaseModel):
    text: str = Field(default="", description="The draft as reviewed (line endings normalised); edits apply to it.")
    word_count: int
    word_limit: int
    over_limit: bool
    elements: list[ElementCheck]
    criteria: list[CriterionArgument] = Field(default_factory=list)
    criteria_covered: list[CriterionCode]
    unsupported_claims: list[FlaggedSentence]
    generic_phrases: list[FlaggedSentence] = Field(description="Clichés and AI-typical phrases, one per hit.")
    ai_likeness: AILikenessReport | None = None
    repeated_sentences: list[str] = Field(default_factory=list)
    repeated_paragraphs: list[str] = Field(default_factory=list)
    length: LengthHelp | None = Field(default=None, description="Only when over the word limit.")
    suggested_edits: list[SuggestedEdit]
    revised_text: str = Field(
        description="The draft with every suggested edit applied (downloads use only accepted ones)."
    )
    notice: str
    engine: str

    @property
    def missing_elements(self) -> list[ElementCheck]:
        return [e for e in self.elements if not e.present]
