"""Which review writes make cached fragments stale (scopes in core.fragments).

A review shows on its client's booking list (the client's user scope) and on the expert's public
profile (the expert scope; the rating recompute saves the ExpertProfile, which bumps the
directory). A review moved to another expert frees the previous profile too. Reviews print the
reviewer's name: a rename bumps fragments.NAMES (accounts.services.user_profile_update, the user
admin), which the profile fragment declares. Connected once from ConsultationsConfig.ready().
"""

from __future__ import annotations

from core import fragments

from .models import Review


def connect() -> None:
    fragments.follow(
        Review,
        lambda review: [fragments.user_scope(review.client_id), fragments.expert_scope(review.expert_id)],
        moved=lambda previous_expert: [fragments.DIRECTORY, fragments.expert_scope(previous_expert)],
    )
