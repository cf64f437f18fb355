"""Which booking writes make cached fragments stale (scopes in core.fragments).

A booking shows on its client's pages (list, dashboard card: the client's user scope) and takes
time off its expert's public profile (the expert scope). Every write path saves the Booking row
(services, admin, factories), so receivers on our own model cover them all; a reassignment also
frees the previous expert's profile. A list row also prints the expert's display name and the
session type's name, and whether an expired booking is listed depends on its payment: we listen to
those lower apps' rows too (they never import us). Connected once from BookingsConfig.ready().
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save

from core import fragments

from .models import Booking


def _bump_clients_after_commit(**booking_filter) -> None:
    """After the commit: bump every client with a booking matching the filter (one query)."""

    def bump_clients() -> None:
        client_ids = Booking.objects.filter(**booking_filter).values_list("client_id", flat=True).distinct()
        fragments.bump(*(fragments.user_scope(pk) for pk in client_ids))

    transaction.on_commit(bump_clients)


def expert_profile_changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    # Clients' lists and cards print the expert's display name.
    if not created and (update_fields is None or "display_name" in update_fields):
        _bump_clients_after_commit(expert_id=instance.pk)


def session_type_changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    # Clients' list rows print the session type's name.
    if not created and (update_fields is None or "name" in update_fields):
        _bump_clients_after_commit(session_type_id=instance.pk)


def connect() -> None:
    from expert_marketplace.models import ExpertProfile, SessionType
    from payments.models import Payment

    fragments.follow(
        Booking,
        lambda booking: [fragments.user_scope(booking.client_id), fragments.expert_scope(booking.expert_id)],
        moved=lambda previous_expert: [fragments.DIRECTORY, fragments.expert_scope(previous_expert)],
    )
    # A late payment decides whether an expired booking is listed (bookings_for_client).
    fragments.follow(Payment, lambda payment: [fragments.user_scope(payment.user_id)])
    uid = "bookings.fragment_invalidation."
    post_save.connect(expert_profile_changed, sender=ExpertProfile, dispatch_uid=uid + "expert-save")
    post_save.connect(session_type_changed, sender=SessionType, dispatch_uid=uid + "session-type-save")
