"""Generation counters for cached page fragments.

Pages cache their expensive HTML with Django's `{% cache %}` tag. A fragment's key includes
the *generation* of every scope its data comes from ("user:42", "expert:7", "directory"), and
code that changes that data calls `bump(scope)`. The bump runs after the transaction commits,
so a reader can never cache data from before the commit under the new generation; old entries
are simply never read again and age out.

Every fragment also has a short timeout (FRAGMENT_SECONDS). It bounds what generations cannot
see: changes that come from the clock rather than a write (a booking moving from "upcoming" to
"past", a hold expiring) and any write path that forgot to bump.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

FRAGMENT_SECONDS = 60
_PREFIX = "fragment-gen:"


def generation(*scopes: str) -> str:
    """The current generations of these scopes as one string for a cache key (one cache read)."""
    keys = [_PREFIX + scope for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # First read since a cache flush: start a generation; if another worker just did,
            # theirs wins and ours is re-read.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return ".".join(str(found[key]) for key in keys)


def bump(*scopes: str) -> None:
    """Start new generations for these scopes once the current transaction commits."""
    values = {_PREFIX + scope: time.time_ns() for scope in scopes}
    transaction.on_commit(lambda: cache.set_many(values, timeout=None))


def user_scope(user_or_id) -> str:
    return f"user:{getattr(user_or_id, 'pk', user_or_id)}"


def expert_scope(expert_or_id) -> str:
    return f"expert:{getattr(expert_or_id, 'pk', expert_or_id)}"


DIRECTORY = "directory"
