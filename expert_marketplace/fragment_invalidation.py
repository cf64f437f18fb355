"""Which writes make the cached directory and profile fragments stale (see talentvisa.fragments).

The public directory's results are keyed on fragments.DIRECTORY; an expert's public profile on
fragments.expert_scope(expert) and TAXONOMY. Model signals cover every save and delete, whichever
service, admin form or shell made it; writes that send no signals (`.update()`,
`bulk_update()`, `bulk_create()`) bump explicitly where they are made (expert_next_slot_refresh,
seed_demo_experts).

What bumps what:
- ExpertProfile saved or deleted (approval, rejection, activity, tier, verification, rating
  recompute, photo, availability rules, next_slot_at): DIRECTORY + the expert.
- SessionType saved or deleted (names, lengths, prices, active): DIRECTORY + the expert.
- An expert's expertise areas or languages changed (m2m): DIRECTORY + the expert.
- ExpertiseArea / Language saved or deleted (names and filter choices): DIRECTORY + TAXONOMY.
- AvailabilityOverride saved or deleted: the expert (the card's next slot moves through
  expert_next_slot_refresh, which bumps DIRECTORY when a next_slot_at changed).
- Booking saved or deleted (holds, confirmations, cancellations, reschedules, expiries): the
  expert (free slots); likewise next_slot_at through expert_next_slot_refresh.
- Review saved or deleted (new, hidden, shown, replied): the expert; the rating recompute saves
  the ExpertProfile, which bumps DIRECTORY.
- Any of those rows moved to another expert (booking_reassign, admin edits): the previous
  expert too, profile and user scope (pre_save reads the stored expert only when the save may
  change it; bookings.fragment_invalidation relies on this for the expert's user pages).
- A reviewer's name changed (User saved): the experts they reviewed (reviews show the name).

Clock-driven changes (a hold running out, a slot passing its minimum notice) are bounded by the
fragments' timeout (fragments.FRAGMENT_SECONDS).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from talentvisa import fragments

# Expertise-area and language names appear on every profile; bumped when staff edit them.
TAXONOMY = "expert-taxonomy"

_UID = "expert_marketplace.fragments."


def bump_directory(*, expert_ids: Iterable[int] = ()) -> None:
    """The directory, plus these experts' profiles."""
    fragments.bump(fragments.DIRECTORY, *(fragments.expert_scope(pk) for pk in set(expert_ids)))


def bump_experts(*, expert_ids: Iterable[int]) -> None:
    """These experts' profiles only (nothing a directory card shows changed)."""
    scopes = [fragments.expert_scope(pk) for pk in set(expert_ids) if pk is not None]
    if scopes:
        fragments.bump(*scopes)


def _expert_changed(sender, instance, **kwargs):
    bump_directory(expert_ids=[instance.pk])


def _session_type_changed(sender, instance, **kwargs):
    bump_directory(expert_ids=[instance.expert_id])


def _expert_child_changed(sender, instance, **kwargs):
    """Overrides, bookings, reviews: rows with an expert_id that only the profile shows directly."""
    bump_experts(expert_ids=[instance.expert_id])


def _expert_reassigned(sender, instance, raw=False, update_fields=None, **kwargs):
    """A row moved to another expert (staff reassigning a booking, an admin edit): the previous
    expert's page showed it too. Saves that cannot change the expert run no query here."""
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {"expert", "expert_id"} & set(update_fields):
        return
    previous = sender._base_manager.filter(pk=instance.pk).values_list("expert_id", "expert__user_id").first()
    if previous is not None and previous[0] != instance.expert_id:
        bump_directory(expert_ids=[previous[0]])
        # ...and the previous expert's own pages (their consultations list, cached per user).
        fragments.bump(fragments.user_scope(previous[1]))


def _taxonomy_changed(sender, instance, **kwargs):
    fragments.bump(fragments.DIRECTORY, TAXONOMY)


def _expert_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        # area.experts.add(...) / language.experts.clear(): pk_set holds expert ids (None on clear).
        if pk_set is None:
            fragments.bump(fragments.DIRECTORY, TAXONOMY)
        else:
            bump_directory(expert_ids=pk_set)
    else:
        bump_directory(expert_ids=[instance.pk])


def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    """A client's display name is shown on the reviews they wrote (one query per user save)."""
    if created or (update_fields is not None and "full_name" not in update_fields):
        return
    Review = apps.get_model("consultations", "Review")
    expert_ids = Review.objects.filter(client_id=instance.pk).values_list("expert_id", flat=True).distinct()
    bump_experts(expert_ids=list(expert_ids))


def connect() -> None:
    """Called from ExpertMarketplaceConfig.ready()."""
    ExpertProfile = apps.get_model("expert_marketplace", "ExpertProfile")
    receivers = [
        ("expert_marketplace.ExpertProfile", _expert_changed),
        ("expert_marketplace.SessionType", _session_type_changed),
        ("expert_marketplace.AvailabilityOverride", _expert_child_changed),
        ("expert_marketplace.ExpertiseArea", _taxonomy_changed),
        ("expert_marketplace.Language", _taxonomy_changed),
        ("bookings.Booking", _expert_child_changed),
        ("consultations.Review", _expert_child_changed),
    ]
    for label, receiver in receivers:
        model = apps.get_model(label)
        post_save.connect(receiver, sender=model, dispatch_uid=f"{_UID}{label}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{_UID}{label}.delete")
    for label in (
        "expert_marketplace.SessionType",
        "expert_marketplace.AvailabilityOverride",
        "bookings.Booking",
        "consultations.Review",
    ):
        pre_save.connect(_expert_reassigned, sender=apps.get_model(label), dispatch_uid=f"{_UID}{label}.move")
    for field in ("expertise_areas", "languages"):
        through = getattr(ExpertProfile, field).through
        m2m_changed.connect(_expert_m2m_changed, sender=through, dispatch_uid=f"{_UID}{field}.m2m")
    post_save.connect(_user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid=f"{_UID}user.save")
