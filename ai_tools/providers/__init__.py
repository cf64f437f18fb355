"""AI providers behind one interface. ``get_provider()`` picks OpenAI when OPENAI_API_KEY is set, else local.

provider = get_provider()
analysis = provider.analyse_cv(doc.text, "digital_technology", None, doc.page_count, doc.pages_estimated)
"""

from .base import AIProvider, ProviderError
from .local import LocalProvider


def get_provider() -> AIProvider:
    from django.conf import settings

    if getattr(settings, "OPENAI_API_KEY", ""):
        # Imported here so the embedded default never loads the openai SDK.
        from .openai import OpenAIProvider

        return OpenAIProvider(
            api_key=settings.OPENAI_API_KEY,
            model=settings.OPENAI_MODEL,
            timeout=settings.OPENAI_TIMEOUT_SECONDS,
            max_retries=settings.OPENAI_MAX_RETRIES,
            max_input_chars=getattr(settings, "AI_MAX_INPUT_CHARS", 60_000),
            max_output_tokens=getattr(settings, "OPENAI_MAX_OUTPUT_TOKENS", 4_000),
        )
    return LocalProvider()


__all__ = ["AIProvider", "LocalProvider", "ProviderError", "get_provider"]
