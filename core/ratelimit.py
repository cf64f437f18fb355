"""A small fixed-window rate limiter on the shared cache (Redis in production).

allauth throttles its own forms; this covers ours (contact form, …). The cache must be shared
between workers for the limit to hold across processes, which it is whenever REDIS_URL is set.

Failure direction: OPEN. While Redis is unreachable the cache degrades to empty
(talentvisa/cache.py), so every attempt is allowed — an outage must not lock every user out of
login, signup or contact. What must hold even then is enforced in the database, not here (one
active slot hold per client, points never below zero, each webhook once).
"""

import time

from django.core.cache import cache


def client_ip(request) -> str:
    # Behind the proxy the first X-Forwarded-For hop is the client (nginx sets it).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


def hit(*, scope: str, key: str, limit: int, period_seconds: int) -> bool:
    """Count one attempt; False when `limit` attempts were already made in this window."""
    window = int(time.time() // period_seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=period_seconds + 5):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period_seconds + 5)
        return True
    return count <= limit
