"""A fake OpenAI Responses API for the real openai SDK: httpx2.MockTransport answering canned bodies.

Used by the provider tests and by bench/eval/statements.py (scripted model answers, including
answers that invent facts, to show the verification removes them).
"""

from collections.abc import Callable

import httpx2

from ai_tools.providers.openai import OpenAIProvider, build_client


def response_body(payload: str | None = None, *, refusal: str | None = None, status: str = "completed") -> dict:
    content = (
        {"type": "refusal", "refusal": refusal}
        if refusal
        else {"type": "output_text", "text": payload, "annotations": []}
    )
    return {
        "id": "resp_test",
        "object": "response",
        "created_at": 1780000000,
        "model": "gpt-4.1-mini",
        "status": status,
        "output": [
            {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed", "content": [content]}
        ],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }


def provider_with(
    handler: Callable[[httpx2.Request, int], httpx2.Response], *, max_retries: int = 0, timeout: float = 5.0, today=None
) -> tuple[OpenAIProvider, list[httpx2.Request]]:
    """An OpenAIProvider whose HTTP goes to ``handler(request, call_number)``; also returns the requests made."""
    calls: list[httpx2.Request] = []

    def recording(request: httpx2.Request) -> httpx2.Response:
        calls.append(request)
        return handler(request, len(calls))

    def factory():
        http = httpx2.Client(transport=httpx2.MockTransport(recording))
        return build_client(api_key="sk-test", timeout=timeout, max_retries=max_retries, http_client=http)

    return OpenAIProvider(api_key="sk-test", model="gpt-4.1-mini", client_factory=factory, today=today), calls


def answering(payload: str) -> Callable[[httpx2.Request, int], httpx2.Response]:
    return lambda request, n: httpx2.Response(200, json=response_body(payload))
