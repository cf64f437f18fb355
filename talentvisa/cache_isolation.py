"""A Redis cache for the test settings that can only delete its own keys.

Django's RedisCache.clear() is FLUSHDB: it wipes the whole database, whoever wrote the keys
(a developer's sessions, a Celery queue). The tests' cache deletes only keys under its own prefix,
and conftest.py refuses to run at all against a Redis database that holds other keys.
"""

from __future__ import annotations

from talentvisa.cache import SharedClientRedisCache


class PrefixScopedRedisCache(SharedClientRedisCache):
    """The Redis cache whose clear() removes only this cache's keys (KEY_PREFIX), never FLUSHDB."""

    def _own_pattern(self) -> str:
        if not self.key_prefix:
            raise RuntimeError("PrefixScopedRedisCache needs a KEY_PREFIX.")
        return f"{self.key_prefix}:*"

    def clear(self):
        client = self._cache.get_client(write=True)
        batch = []
        for key in client.scan_iter(match=self._own_pattern(), count=500):
            batch.append(key)
            if len(batch) >= 500:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True

    def foreign_keys(self, *, limit: int = 3) -> list[str]:
        """Up to `limit` keys in this Redis database that are not this cache's."""
        client = self._cache.get_client()
        own = f"{self.key_prefix}:".encode()
        found = []
        for key in client.scan_iter(count=500):
            if not key.startswith(own):
                found.append(key.decode(errors="replace"))
                if len(found) >= limit:
                    break
        return found

    def location(self) -> str:
        """The Redis URL without a password, for messages."""
        url = self._servers[0]
        if "@" in url:
            scheme, rest = url.split("://", 1)
            url = f"{scheme}://…@{rest.split('@', 1)[1]}"
        return url
