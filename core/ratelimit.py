"""A small fixed-window rate limiter on the shared cache (Redis in production).

allauth throttles its own forms; this covers ours (contact form, …). The cache must be shared
between workers for the limit to hold across processes, which it is whenever REDIS_URL is set.

Failure direction: OPEN. While Redis is unreachable the cache degrades to empty
(talentvisa/cache.py), so every attempt is allowed — an outage must not lock every user out of
login, signup or contact. What must hold even then is enforced in the database, not here (one
active slot hold per client, points never below zero, each webhook once).
"""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's IP address as our own proxies saw it.

    X-Forwarded-For is a list the client starts and each proxy appends to: only the entries our
    proxies appended can be trusted. With TRUSTED_PROXY_COUNT = n (the one setting, also given to
    allauth as ALLAUTH_TRUSTED_PROXY_COUNT) the client is the n-th entry from the end: behind one
    nginx, the address nginx saw. With 0 (no proxy: runserver, tests) it is REMOTE_ADDR and
    X-Forwarded-For is ignored — a client can write anything there.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if not count:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) >= count:
        return hops[-count]
    return hops[0] if hops else remote  # fewer hops than proxies: misconfigured; the best we have


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
