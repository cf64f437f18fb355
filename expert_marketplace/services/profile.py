"""The expert's own edits: profile, photo, session types."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError

from core import fragments

from ..models import (
    ExpertEvent,
    ExpertiseArea,
    ExpertProfile,
    Language,
    SessionType,
)
from .availability import expert_next_slot_refresh
from .staff_review import _unique_slug

# --- the expert's own edits ------------------------------------------------------------------


def expert_profile_update(
    *,
    expert: ExpertProfile,
    display_name: str,
    headline: str,
    bio: str,
    expertise_areas: Iterable[ExpertiseArea],
    languages: Iterable[Language],
    years_experience: int,
    adviser_status: str,
    adviser_number: str,
    photo: ContentFile | None = None,
    remove_photo: bool = False,
) -> ExpertProfile:
    """Save what the expert edits. Changing an adviser registration removes its verification."""
    old_photo_name = ""
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
        adviser_number = adviser_number.strip() if adviser_status != ExpertProfile.AdviserStatus.NONE else ""
        adviser_changed = (adviser_status, adviser_number) != (locked.adviser_status, locked.adviser_number)
        if adviser_changed and locked.adviser_verified:
            locked.adviser_verified = False
            locked.adviser_verified_at = None
            ExpertEvent.record(
                locked,
                action=ExpertEvent.Action.ADVISER_UNVERIFIED,
                actor=locked.user,
                note="The expert changed their registration; staff need to verify it again.",
            )
        if display_name.strip() != locked.display_name:
            locked.slug = _unique_slug(display_name, exclude_pk=locked.pk)
            fragments.bump(fragments.NAMES)  # printed on clients' booking lists
        locked.display_name = display_name.strip()
        locked.headline = headline.strip()
        locked.bio = bio.strip()
        locked.years_experience = years_experience
        locked.adviser_status = adviser_status
        locked.adviser_number = adviser_number
        if photo is not None or remove_photo:
            old_photo_name = locked.photo.name if locked.photo else ""
            if photo is not None:
                locked.photo.save(photo.name, photo, save=False)  # storage picks a free name
            else:
                locked.photo = ""
        locked.save()
        locked.expertise_areas.set(expertise_areas)
        locked.languages.set(languages)
        fragments.bump(*fragments.expert_pages(locked.pk))
        if old_photo_name:
            storage = locked.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo_name))
    return locked


def session_type_create(
    *, expert: ExpertProfile, name: str, duration_minutes: int, price_pence: int, description: str = ""
) -> SessionType:
    with transaction.atomic():
        fragments.bump(*fragments.expert_pages(expert.pk))  # the sessions and "from" price
        row = SessionType.objects.create(
            expert=expert,
            name=name.strip(),
            description=description.strip(),
            duration_minutes=duration_minutes,
            price_pence=price_pence,
        )
    expert_next_slot_refresh(expert_ids=[expert.pk])
    return row


def session_type_update(
    *,
    session_type: SessionType,
    name: str,
    duration_minutes: int,
    price_pence: int,
    is_active: bool,
    description: str = "",
) -> SessionType:
    with transaction.atomic():
        if name.strip() != session_type.name:
            fragments.bump(fragments.NAMES)  # printed on clients' booking lists
        session_type.name = name.strip()
        session_type.description = description.strip()
        session_type.duration_minutes = duration_minutes
        session_type.price_pence = price_pence
        session_type.is_active = is_active
        session_type.save(update_fields=["name", "description", "duration_minutes", "price_pence", "is_active"])
        fragments.bump(*fragments.expert_pages(session_type.expert_id))
    expert_next_slot_refresh(expert_ids=[session_type.expert_id])
    return session_type


def session_type_delete(*, session_type: SessionType) -> bool:
    """Delete a session type; one that bookings reference is deactivated instead (their history
    keeps its name and price). True when the row was deleted."""
    expert_id = session_type.expert_id
    with transaction.atomic():
        try:
            with transaction.atomic():
                session_type.delete()
            deleted = True
        except ProtectedError:
            session_type.is_active = False
            session_type.save(update_fields=["is_active"])
            deleted = False
        fragments.bump(*fragments.expert_pages(expert_id))
    expert_next_slot_refresh(expert_ids=[expert_id])
    return deleted
