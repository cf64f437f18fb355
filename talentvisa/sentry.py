"""Error tracking with Sentry, on only when SENTRY_DSN is set (settings call `init`).

No personal data leaves: `send_default_pii=False` (no user, IP, cookies or request bodies), and
`scrub` (before_send / before_send_transaction) walks every event and
- replaces the values of keys that name a person or a secret (name, email, token, password,
  secret, key, authorization, cookie, session, csrf, signature, dsn) with "[Filtered]";
- rewrites email addresses, bearer tokens and Stripe/OpenAI-style keys inside any string
  (exception messages, log lines, local variables) to "[email]" / "[token]".
"""

from __future__ import annotations

import re
from typing import Any

FILTERED = "[Filtered]"
_SENSITIVE_KEY = re.compile(
    r"(name|e-?mail|token|passw|secret|api_?key|^key$|_key$|authori[sz]ation|cookie|session|csrf|signature|dsn|phone|address)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_TOKEN = re.compile(
    r"(Bearer\s+[\w.~+/=-]+|\b(sk|rk|pk|whsec|acct)_(live|test)?_?[\w]{6,}|\bsk-[\w-]{10,}|\beyJ[\w-]+\.[\w-]+\.[\w-]+)",
    re.IGNORECASE,
)
# Keys whose values are structure, not data (Sentry's own fields that merely contain "name").
_STRUCTURAL = {"logger", "module", "function", "filename", "abs_path", "type", "mechanism", "module_name"}


def _scrub_text(text: str) -> str:
    return _TOKEN.sub("[token]", _EMAIL.sub("[email]", text))


def _scrub(value: Any, key: str = "") -> Any:
    if key and key not in _STRUCTURAL and _SENSITIVE_KEY.search(key) and not isinstance(value, dict | list):
        return FILTERED if value not in (None, "") else value
    if isinstance(value, dict):
        return {k: _scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    if isinstance(value, str):
        return _scrub_text(value)
    return value


def scrub(event: dict, hint: dict | None = None) -> dict:
    """before_send: the event without names, emails, tokens or secrets."""
    event = dict(event)
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {k: v for k, v in request.items() if k not in {"cookies", "data", "env"}}
    for part in ("exception", "threads", "breadcrumbs", "extra", "contexts", "request", "tags", "message", "logentry"):
        if part in event:
            event[part] = _scrub(event[part])
    # Frame metadata (module, function, file) keeps its names; its local variables do not.
    return event


def init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=True,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
        before_send_transaction=scrub,
    )
