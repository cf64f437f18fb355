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
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

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


def follow(
    model,
    scopes: Callable[[object], Iterable[str]],
    *,
    moved: Callable[[object], Iterable[str]] | None = None,
    field: str = "expert",
) -> None:
    """Bump `scopes(row)` after every save or delete of a `model` row, whichever service, admin
    form or shell wrote it; with `moved`, also `moved(previous)` when a save changes the row's
    `field` (the previous expert's pages showed the row too). Called from an app's ready(), for its
    own models or a lower app's, never a higher app's (docs/architecture.md)."""
    uid = f"core.fragments.{model._meta.label_lower}.{scopes.__module__}"

    def changed(sender, instance, **kwargs):
        bump(*scopes(instance))

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ".save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ".delete")
    if moved is not None:

        def moving(sender, instance, raw=False, update_fields=None, **kwargs):
            previous = stored_value_if_changed(instance, field, update_fields=update_fields, raw=raw)
            if previous is not None:
                bump(*moved(previous))

        pre_save.connect(moving, sender=model, weak=False, dispatch_uid=uid + ".move")


def stored_value_if_changed(instance, field: str, *, update_fields=None, raw=False):
    """For a pre_save receiver: the value of `field` (a foreign key) stored before this save, when
    the save is about to change it; else None. Saves that cannot change it run no query."""
    if raw or instance._state.adding or instance.pk is None:
        return None
    attname = instance._meta.get_field(field).attname
    if update_fields is not None and not {field, attname} & set(update_fields):
        return None
    stored = type(instance)._base_manager.filter(pk=instance.pk).values_list(attname, flat=True).first()
    return stored if stored is not None and stored != getattr(instance, attname) else None


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
