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

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from core import fragments

from .models import AvailabilityOverride, ExpertiseArea, ExpertProfile, Language, SessionType

TAXONOMY = fragments.TAXONOMY
_UID = "expert_marketplace.fragments."


def bump_directory(*, expert_ids: Iterable[int] = ()) -> None:
    """The directory, plus these experts' profiles."""
    fragments.bump(fragments.DIRECTORY, *(fragments.expert_scope(pk) for pk in set(expert_ids)))


def _expert_changed(sender, instance, **kwargs):
    bump_directory(expert_ids=[instance.pk])


def _session_type_changed(sender, instance, **kwargs):
    bump_directory(expert_ids=[instance.expert_id])


def _override_changed(sender, instance, **kwargs):
    fragments.bump(fragments.expert_scope(instance.expert_id))


def _expert_moving(sender, instance, raw=False, update_fields=None, **kwargs):
    previous = fragments.stored_value_if_changed(instance, "expert", update_fields=update_fields, raw=raw)
    if previous is not None:
        bump_directory(expert_ids=[previous])


def _taxonomy_changed(sender, instance, **kwargs):
    fragments.bump(fragments.DIRECTORY, TAXONOMY)


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
    receivers = [
        (ExpertProfile, _expert_changed),
        (SessionType, _session_type_changed),
        (AvailabilityOverride, _override_changed),
        (ExpertiseArea, _taxonomy_changed),
        (Language, _taxonomy_changed),
    ]
    for model, receiver in receivers:
        name = model._meta.model_name
        post_save.connect(receiver, sender=model, dispatch_uid=f"{_UID}{name}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{_UID}{name}.delete")
    for model in (SessionType, AvailabilityOverride):
        pre_save.connect(_expert_moving, sender=model, dispatch_uid=f"{_UID}{model._meta.model_name}.move")
    for field in ("expertise_areas", "languages"):
        through = getattr(ExpertProfile, field).through
        m2m_changed.connect(_expert_m2m_changed, sender=through, dispatch_uid=f"{_UID}{field}.m2m")
