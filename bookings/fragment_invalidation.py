"""Which booking writes make cached fragments stale (scopes in core.fragments).

A booking shows on its client's pages (list, dashboard card: the client's user scope) and takes
time off its expert's public profile (the expert scope). Every write path saves the Booking row
(services, admin, factories), so receivers on our own model cover them all; a reassignment also
frees the previous expert's profile. Lower apps announce their own changes from their services:
a late payment bumps its payer (payments.services.transitions.PAYMENT), a renamed expert or
session type bumps fragments.NAMES. Connected once from BookingsConfig.ready().
"""

from __future__ import annotations

from core import fragments

from .models import Booking


def connect() -> None:
    fragments.follow(
        Booking,
        lambda booking: [fragments.user_scope(booking.client_id), fragments.expert_scope(booking.expert_id)],
        moved=lambda previous_expert: [fragments.DIRECTORY, fragments.expert_scope(previous_expert)],
    )
