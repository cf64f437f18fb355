"""Which review writes make cached fragments stale (scopes in core.fragments).

A review shows on its client's booking list (the client's user scope) and on the expert's public
profile (the expert scope; the rating recompute saves the ExpertProfile, which bumps the
directory). A review moved to another expert frees the previous profile too. Reviews print the
reviewer's name: a user renamed bumps the experts they reviewed. Connected once from
ConsultationsConfig.ready().
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save

from core import fragments

from .models import Review


def user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A client's display name is shown on the reviews they wrote (one query per user save)."""
    if created or (update_fields is not None and "full_name" not in update_fields):
        return
    expert_ids = Review.objects.filter(client_id=instance.pk).values_list("expert_id", flat=True).distinct()
    scopes = [fragments.expert_scope(pk) for pk in expert_ids]
    if scopes:
        fragments.bump(*scopes)


def connect() -> None:
    fragments.follow(
        Review,
        lambda review: [fragments.user_scope(review.client_id), fragments.expert_scope(review.expert_id)],
        moved=lambda previous_expert: [fragments.DIRECTORY, fragments.expert_scope(previous_expert)],
    )
    post_save.connect(user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="consultations.fragments.user-save")
