"""The interface of the pack's AI tools; ``get_pack_provider()`` picks OpenAI when OPENAI_API_KEY is set."""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

from .results import CriterionSuggestion, LettersReport


@dataclass(frozen=True)
class LetterInput:
    """One recommendation letter as the checks read it (a snapshot stored in the run's input)."""

    position: int
    name: str
    role: str
    organisation: str
    relationship: str
    months_known: int
    email: str
    phone: str
    text: str

    @classmethod
    def from_dict(cls, data: dict) -> "LetterInput":
        return cls(**{field: data[field] for field in cls.__dataclass_fields__})


class PackProvider(ABC):
    name: str

    @abstractmethod
    def suggest_criterion(self, *, title: str, proves: str, text: str) -> CriterionSuggestion:
        """Which one criterion a document supports, with the sentence that says so. The user decides."""

    @abstractmethod
    def check_letters(self, letters: list[LetterInput], *, applicant: str, today: date) -> LettersReport:
        """Every check on the three letters, including templating across them."""
