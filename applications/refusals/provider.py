"""Which refusal engine answers: the local one, or OpenAI when the pack's tools use OpenAI (same result model)."""

from __future__ import annotations

from .engine import ENGINE, Pack, review_local
from .results import RefusalReview


class LocalRefusalProvider:
    name = "local"
    engine = ENGINE

    def review(self, letter: str, pack: Pack) -> RefusalReview:
        return review_local(letter, pack)


def get_refusal_provider():
    """OpenAI when OPENAI_API_KEY is set (through the pack's provider), else the local engine."""
    from ..ai import get_pack_provider
    from ..ai.openai_provider import OpenAIPackProvider

    pack_provider = get_pack_provider()
    if isinstance(pack_provider, OpenAIPackProvider):
        from .openai_provider import OpenAIRefusalProvider

        return OpenAIRefusalProvider(pack_provider)
    return LocalRefusalProvider()
