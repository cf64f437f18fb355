"""Generation counters for cached page fragments.

Pages cache their expensive HTML with Django's `{% cache %}` tag. A fragment's key includes
the *generation* of every scope its data comes from ("user:42", "expert:7", "directory"), and
the service that changes that data calls `bump(scope)` (status moves: `StateMachine(scopes=...)`;
staff edits: `BumpingAdminMixin`). There are no signal receivers: a write that bypasses the
services (a shell `.update()`, a data migration, a test factory) must bump itself or wait for the
timeout. The bump runs after the transaction commits, so a reader can never cache data from
before the commit under the new generation; old entries are simply never read again and age out.

Scopes and who bumps them:
- user:<id> (dashboard, booking list, AI history): the ledger, document upload, AI run create and
  moves, booking create/move/reschedule/reassign/payment link, payment moves, review create/move.
- expert:<id> (profile body and slots) and DIRECTORY (directory results): expert moves, profile,
  session-type, availability and override services, adviser verification, rating recompute,
  booking writes (the expert's slots), next-slot refresh (DIRECTORY only, when it changed).
- TAXONOMY (area and language names): their admins.
- NAMES: renames of a user, an expert or a session type (services and admins).

Every fragment also has a short timeout (FRAGMENT_SECONDS). It bounds what generations cannot
see: changes that come from the clock rather than a write (a booking moving from "upcoming" to
"past", a hold expiring) and any write path that forgot to bump.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

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
    if not scopes:
        return
    values = {_PREFIX + scope: time.time_ns() for scope in scopes}
    transaction.on_commit(lambda: cache.set_many(values, timeout=None))


def fragment_context(*scopes: str) -> dict:
    """What a template's `{% cache fragment_seconds name fragment_gen ... %}` reads."""
    return {"fragment_gen": generation(*scopes), "fragment_seconds": FRAGMENT_SECONDS}


def page_number(raw) -> int:
    """A ?page= value as a page number for a cache key: anything that is not a positive integer is 1."""
    raw = str(raw or "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10**6 else 1


def user_scope(user_or_id) -> str:
    return f"user:{getattr(user_or_id, 'pk', user_or_id)}"


def expert_scope(expert_or_id) -> str:
    return f"expert:{getattr(expert_or_id, 'pk', expert_or_id)}"


DIRECTORY = "directory"


def booking_scopes(booking) -> list[str]:
    """A booking shows on its client's pages and takes time off its expert's public profile."""
    return [user_scope(booking.client_id), expert_scope(booking.expert_id)]


def expert_pages(*expert_ids) -> list[str]:
    """The public directory and these experts' profiles."""
    return [DIRECTORY, *(expert_scope(pk) for pk in expert_ids)]


TAXONOMY = "expert-taxonomy"  # expertise-area and language names, printed on every profile
# Names printed on *other* people's pages: a client's full name on the reviews of an expert's
# profile, an expert's display name and a session type's name on clients' booking lists and
# dashboard cards. Renames are rare, so one shared scope is cheaper than finding every reader.
NAMES = "display-names"


class BumpingAdminMixin:
    """For a ModelAdmin whose rows show in cached fragments: the admin's saves and deletes bump
    `fragment_scopes(obj)` (after the commit, like every bump). The services bump for their own
    writes; this covers staff editing a row by hand."""

    def fragment_scopes(self, obj) -> Iterable[str]:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump(*self.fragment_scopes(obj))

    def delete_model(self, request, obj):
        bump(*self.fragment_scopes(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        bump(*{scope for obj in queryset for scope in self.fragment_scopes(obj)})
        super().delete_queryset(request, queryset)


def html_refreshed_by_one(key: str, render, *, fresh_seconds: int, keep_seconds: int = 3600) -> str:
    """Cached HTML that is recomputed by one request at a time (for expensive, read-only figures).

    When the copy is older than fresh_seconds, the request that wins a short lock renders it
    again; concurrent requests meanwhile get the previous copy (up to keep_seconds old) instead
    of all running the same expensive queries at once. Only the very first render, with no
    previous copy anywhere, is done by every request that arrives before it finishes.
    """
    fresh_key, previous_key, lock_key = f"{key}:fresh", f"{key}:previous", f"{key}:lock"
    found = cache.get_many([fresh_key, previous_key])
    if fresh_key in found:
        return found[fresh_key]
    if previous_key in found and not cache.add(lock_key, 1, timeout=max(fresh_seconds, 30)):
        return found[previous_key]  # another request is rendering the new copy
    try:
        html = render()
        cache.set(fresh_key, html, timeout=fresh_seconds)
        cache.set(previous_key, html, timeout=keep_seconds)
    finally:
        cache.delete(lock_key)
    return html
