"""What each AI tool costs: staff-editable site settings (AI_PRICE_*). One free AI use pays for any tool."""

from core.conf import setting

PRICE_SETTINGS = {
    "cv_analysis": "AI_PRICE_CV_ANALYSIS",
    "statement_generate": "AI_PRICE_STATEMENT_GENERATE",
    "statement_enhance": "AI_PRICE_STATEMENT_ENHANCE",
    "letters_check": "AI_PRICE_LETTERS_CHECK",
    "refusal_review": "AI_PRICE_REFUSAL_REVIEW",
}


def tool_price(tool: str) -> int:
    return int(setting(PRICE_SETTINGS[tool]))


def tool_prices() -> dict[str, int]:
    return {tool: tool_price(tool) for tool in PRICE_SETTINGS}
