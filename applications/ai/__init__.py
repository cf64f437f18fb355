"""The pack's AI tools behind one interface: local (offline, deterministic) or OpenAI when OPENAI_API_KEY is set."""

from .base import LetterInput, PackProvider
from .local import LocalPackProvider


def get_pack_provider() -> PackProvider:
    from django.conf import settings

    if getattr(settings, "OPENAI_API_KEY", ""):
        from .openai_provider import OpenAIPackProvider

        return OpenAIPackProvider(
            api_key=settings.OPENAI_API_KEY,
            model=settings.OPENAI_MODEL,
            timeout=settings.OPENAI_TIMEOUT_SECONDS,
            max_retries=settings.OPENAI_MAX_RETRIES,
        )
    return LocalPackProvider()


__all__ = ["LetterInput", "LocalPackProvider", "PackProvider", "get_pack_provider"]
