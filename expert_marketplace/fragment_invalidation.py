"""Which marketplace writes make the cached directory and profile fragments stale (core.fragments).

The public directory's results are keyed on DIRECTORY; an expert's public profile on the expert
scope and TAXONOMY. Receivers on our own models cover every save and delete, whichever service,
admin form or shell made it; writes that send no signals (`.update()`, `bulk_update()`) bump
explicitly where they are made (expert_next_slot_refresh, seed_demo_experts). Bookings and reviews
bump the profiles they show on from their own apps (bookings/consultations fragment_invalidation).

- ExpertProfile saved or deleted (approval, rating, photo, availability, next_slot_at): DIRECTORY + the expert.
- SessionType saved or deleted: DIRECTORY + the expert (and the previous expert if it moved).
- Expertise areas or languages of an expert changed (m2m): DIRECTORY + the expert.
- ExpertiseArea / Language saved or deleted: DIRECTORY + TAXONOMY.
- AvailabilityOverride saved or deleted: the expert (and the previous one if it moved).

Clock-driven changes (a slot passing its minimum notice) are bounded by FRAGMENT_SECONDS.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import m2m_changed

from core import fragments

from .models import AvailabilityOverride, ExpertiseArea, ExpertProfile, Language, SessionType

TAXONOMY = fragments.TAXONOMY
_UID = "expert_marketplace.fragments."


def bump_directory(*, expert_ids: Iterable[int] = ()) -> None:
    """The directory, plus these experts' profiles."""
    fragments.bump(fragments.DIRECTORY, *(fragments.expert_scope(pk) for pk in set(expert_ids)))


def _expert_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        bump_directory(expert_ids=[instance.pk])
    elif pk_set is None:  # area.experts.clear(): whichever experts had it
        fragments.bump(fragments.DIRECTORY, TAXONOMY)
    else:
        bump_directory(expert_ids=pk_set)


def connect() -> None:
    """Called from ExpertMarketplaceConfig.ready()."""

    def moved(previous_expert):
        return [fragments.DIRECTORY, fragments.expert_scope(previous_expert)]

    fragments.follow(ExpertProfile, lambda expert: [fragments.DIRECTORY, fragments.expert_scope(expert.pk)])
    fragments.follow(
        SessionType, lambda session: [fragments.DIRECTORY, fragments.expert_scope(session.expert_id)], moved=moved
    )
    fragments.follow(AvailabilityOverride, lambda row: [fragments.expert_scope(row.expert_id)], moved=moved)
    for model in (ExpertiseArea, Language):
        fragments.follow(model, lambda _row: [fragments.DIRECTORY, TAXONOMY])
    for field in ("expertise_areas", "languages"):
        through = getattr(ExpertProfile, field).through
        m2m_changed.connect(_expert_m2m_changed, sender=through, dispatch_uid=f"{_UID}{field}.m2m")
