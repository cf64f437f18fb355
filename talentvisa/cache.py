"""Django's Redis cache backend, with one Redis client per connection pool instead of one per call,
and reads and writes that degrade instead of failing when Redis is unreachable.

django.core.cache.backends.redis builds a new `redis.Redis` object around the pool for every
cache operation (~50 µs here, a third of a GET). A `redis.Redis` on a connection pool is safe to
share between threads, so this backend keeps one per pool.

Degrading (issue 19: during a Redis outage `/experts/` and profiles answered 500): everything in
this cache can be rebuilt from the database, so an unreachable Redis is treated as an empty cache
that forgets what it is given — `get` misses, `set` does nothing, `add` reports "not added",
`incr` reports a missing key (ValueError). Callers render from the database: cached fragments,
site settings, sessions (`cached_db` reads the database on a miss). After a failure the backend
does not try Redis again for OUTAGE_RETRY_SECONDS, so an outage where each connect would wait
for a timeout costs one wait per worker every few seconds, not one per cache call. /healthz still
reports the cache as down (its write-then-read probe comes back empty). Rate limits built on this
cache fail open — see core/ratelimit.py.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE_RETRY_SECONDS = 2.0
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class _SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class CacheUnavailable(ValueError):
    """Raised by incr() while Redis is unreachable: callers treat it like a missing key."""


def _degrades(fallback):
    """Run the cache call; while Redis is unreachable return fallback(*args) instead of raising."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._down_until > time.monotonic():
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except _UNREACHABLE as exc:
                if not self._down_until:  # log the start of an outage, not every call in it
                    logger.warning("Redis cache unreachable (%s): serving without it", type(exc).__name__)
                self._down_until = time.monotonic() + OUTAGE_RETRY_SECONDS
                return fallback(*args, **kwargs)
            if self._down_until:
                self._down_until = 0.0
                logger.warning("Redis cache reachable again")
            return result

        return wrapper

    return decorate


def _raise_missing(*args, **kwargs):
    raise CacheUnavailable("cache unavailable")


def _default(key, default=None, *args, **kwargs):
    return default


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClientRedisCacheClient
        self._down_until = 0.0  # monotonic time before which Redis is not tried again

    add = _degrades(lambda *a, **k: False)(RedisCache.add)
    get = _degrades(_default)(RedisCache.get)
    set = _degrades(lambda *a, **k: None)(RedisCache.set)
    touch = _degrades(lambda *a, **k: False)(RedisCache.touch)
    delete = _degrades(lambda *a, **k: False)(RedisCache.delete)
    get_many = _degrades(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _degrades(lambda *a, **k: False)(RedisCache.has_key)
    incr = _degrades(_raise_missing)(RedisCache.incr)
    set_many = _degrades(lambda *a, **k: [])(RedisCache.set_many)
    delete_many = _degrades(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _degrades(lambda *a, **k: False)(RedisCache.clear)
