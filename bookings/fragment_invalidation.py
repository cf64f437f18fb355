"""Cached page fragments that show bookings get a new generation when a booking changes.

The client's booking list and dashboard card are cached under the client's user scope
(talentvisa.fragments). Every write path saves the Booking row (services, admin, factories), so
model signals cover them all; the expert's user scope is bumped too, for the expert's own pages.
The expert marketplace registers its own receivers for the expert scope, and its pre_save
receiver bumps the previous expert (profile and user scope) when a booking is reassigned.

Besides the booking row, a list row prints the expert's display name and the session type's name,
and whether an expired booking is listed depends on its payment: those writes bump the clients too.
Connected once from BookingsConfig.ready().
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from talentvisa import fragments

from .models import Booking


def _expert_user_id(booking: Booking) -> int | None:
    if Booking.expert.is_cached(booking):
        return booking.expert.user_id
    from expert_marketplace.models import ExpertProfile

    return ExpertProfile.objects.filter(pk=booking.expert_id).values_list("user_id", flat=True).first()


def booking_changed(sender, instance: Booking, **kwargs) -> None:
    scopes = [fragments.user_scope(instance.client_id)]
    expert_user_id = _expert_user_id(instance)
    if expert_user_id is not None:
        scopes.append(fragments.user_scope(expert_user_id))
    fragments.bump(*scopes)


def payment_changed(sender, instance, **kwargs) -> None:
    # A late payment decides whether an expired booking is listed (bookings_for_client).
    fragments.bump(fragments.user_scope(instance.user_id))


def review_changed(sender, instance, **kwargs) -> None:
    fragments.bump(fragments.user_scope(instance.client_id))


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
    from consultations.models import Review
    from expert_marketplace.models import ExpertProfile, SessionType
    from payments.models import Payment

    uid = "bookings.fragment_invalidation."
    post_save.connect(booking_changed, sender=Booking, dispatch_uid=uid + "booking-save")
    post_delete.connect(booking_changed, sender=Booking, dispatch_uid=uid + "booking-delete")
    post_save.connect(payment_changed, sender=Payment, dispatch_uid=uid + "payment-save")
    post_save.connect(review_changed, sender=Review, dispatch_uid=uid + "review-save")
    post_delete.connect(review_changed, sender=Review, dispatch_uid=uid + "review-delete")
    post_save.connect(expert_profile_changed, sender=ExpertProfile, dispatch_uid=uid + "expert-save")
    post_save.connect(session_type_changed, sender=SessionType, dispatch_uid=uid + "session-type-save")
