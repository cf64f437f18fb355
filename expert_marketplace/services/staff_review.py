"""Applying to be an expert and the staff review: the profile's state machine, adviser checks, tiers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.text import slugify

from accounts.models import User
from core import fragments
from core.mailer import absolute_url, send_email
from core.transitions import StateMachine

from ..models import (
    ExpertEvent,
    ExpertiseArea,
    ExpertProfile,
    ExpertTier,
    Language,
)
from .availability import expert_next_slot_refresh


class ExpertError(Exception):
    """A request the marketplace refuses; nothing was changed."""


class InvalidTransition(ExpertError):
    def __init__(self, *, current: str, target: str):
        self.current, self.target = current, target
        super().__init__(f"An expert profile cannot go from {current} to {target}.")


RESERVED_SLUGS = {"apply", "timezone"}  # public URLs under /experts/ that a profile slug must not shadow


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:120] or "expert"
    if base in RESERVED_SLUGS:
        base = f"{base}-expert"
    slug, n = base, 2
    qs = ExpertProfile.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _default_tier() -> ExpertTier | None:
    return ExpertTier.objects.filter(slug="standard").first() or ExpertTier.objects.order_by("-commission_bps").first()


# --- applying, staff review ------------------------------------------------------------------


def expert_apply(
    *,
    user: User,
    display_name: str,
    headline: str = "",
    bio: str = "",
    expertise_areas: Iterable[ExpertiseArea] = (),
    languages: Iterable[Language] = (),
    years_experience: int = 0,
    adviser_status: str = ExpertProfile.AdviserStatus.NONE,
    adviser_number: str = "",
    actor: User | None = None,
) -> ExpertProfile:
    """Create an unapproved profile for a user (their own application, or staff creating it)."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # one application per user, even when double-submitted
        if ExpertProfile.objects.filter(user=user).exists():
            raise ExpertError("You already have an expert profile.")
        expert = ExpertProfile.objects.create(
            user=user,
            display_name=display_name.strip(),
            slug=_unique_slug(display_name),
            headline=headline.strip(),
            bio=bio.strip(),
            years_experience=years_experience,
            adviser_status=adviser_status,
            adviser_number=adviser_number.strip() if adviser_status != ExpertProfile.AdviserStatus.NONE else "",
            timezone=user.timezone or "Europe/London",
            tier=_default_tier(),
        )
        expert.expertise_areas.set(expertise_areas)
        expert.languages.set(languages)
        is_self = actor is None or actor.pk == user.pk
        ExpertEvent.record(
            expert,
            action=ExpertEvent.Action.APPLIED if is_self else ExpertEvent.Action.CREATED,
            actor=actor or user,
            to_status=expert.status,
        )
    return expert


EXPERT = StateMachine(
    allowed=ExpertProfile.TRANSITIONS,
    events=ExpertEvent,
    refuse=lambda expert, current, target: InvalidTransition(current=current, target=target),
    scopes=lambda expert: fragments.expert_pages(expert.pk),  # listed, unlisted
)


def _transition(*, expert: ExpertProfile, target: str, action: str, actor, note: str = "", reason: str = ""):
    locked = EXPERT.lock(ExpertProfile, pk=expert.pk)
    EXPERT.move(
        locked,
        target,
        actor=actor,
        note=note,
        fields={"status_changed_at": dj_timezone.now(), "rejection_reason": reason},
        event={"action": action},
    )
    return locked


def expert_approve(*, expert: ExpertProfile, actor: User | None) -> ExpertProfile:
    """List the expert publicly (if also active) and give their user the expert role."""
    with transaction.atomic():
        locked = _transition(
            expert=expert, target=ExpertProfile.Status.APPROVED, action=ExpertEvent.Action.APPROVED, actor=actor
        )
        User.objects.filter(pk=locked.user_id, role=User.Role.CLIENT).update(role=User.Role.EXPERT)
        _decision_email_on_commit(expert=locked)
    expert_next_slot_refresh(expert_ids=[locked.pk])
    return locked


def expert_reject(*, expert: ExpertProfile, actor: User | None, reason: str) -> ExpertProfile:
    reason = (reason or "").strip()
    if not reason:
        raise ExpertError("Give a reason: the applicant sees it.")
    with transaction.atomic():
        locked = _transition(
            expert=expert,
            target=ExpertProfile.Status.REJECTED,
            action=ExpertEvent.Action.REJECTED,
            actor=actor,
            note=reason,
            reason=reason,
        )
        _decision_email_on_commit(expert=locked)
    return locked


def _decision_email_on_commit(*, expert: ExpertProfile) -> None:
    from ..tasks import expert_decision_email_task

    expert_id = expert.pk
    transaction.on_commit(lambda: expert_decision_email_task.delay(expert_id=expert_id))


def expert_decision_email_send(*, expert_id: int, idempotency_key: str | None = None) -> None:
    """The approval or rejection email (whichever the profile's status now is; nothing otherwise)."""
    expert = ExpertProfile.objects.select_related("user").get(pk=expert_id)
    template = {
        ExpertProfile.Status.APPROVED: "expert_approved",
        ExpertProfile.Status.REJECTED: "expert_rejected",
    }.get(expert.status)
    if template is None:
        return
    send_email(
        template=f"expert_marketplace/email/{template}",
        to=expert.user.email,
        context={
            "expert": expert,
            "name": expert.user.get_full_name(),
            "dashboard_url": absolute_url(reverse("expert_area:dashboard")),
        },
        idempotency_key=idempotency_key,
    )


def expert_adviser_verify(*, expert: ExpertProfile, actor: User | None, note: str = "") -> ExpertProfile:
    """Staff checked the OISC/SRA register: show the badge."""
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
        if locked.adviser_status == ExpertProfile.AdviserStatus.NONE or not locked.adviser_number:
            raise ExpertError(f"{locked} has no OISC or SRA number to verify.")
        if locked.adviser_verified:
            return locked
        locked.adviser_verified = True
        locked.adviser_verified_at = dj_timezone.now()
        locked.save(update_fields=["adviser_verified", "adviser_verified_at", "updated_at"])
        fragments.bump(*fragments.expert_pages(locked.pk))  # the badge
        ExpertEvent.record(
            locked,
            action=ExpertEvent.Action.ADVISER_VERIFIED,
            actor=actor,
            note=note or f"{locked.get_adviser_status_display()} {locked.adviser_number}",
        )
    return locked


def expert_tier_set(*, expert: ExpertProfile, actor: User | None, tier: ExpertTier) -> ExpertProfile:
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
        old = locked.tier
        locked.tier = tier
        locked.save(update_fields=["tier", "updated_at"])
        ExpertEvent.record(locked, action=ExpertEvent.Action.TIER_SET, actor=actor, note=f"{old or '—'} → {tier}")
    return locked


def expert_staff_edit_record(
    *, expert: ExpertProfile, actor: User | None, changed: Sequence[str], created: bool
) -> None:
    """Admin change form saves: record who changed what (the form itself saves the fields)."""
    with transaction.atomic():
        if created:
            ExpertEvent.record(expert, action=ExpertEvent.Action.CREATED, actor=actor, to_status=expert.status)
        elif changed:
            ExpertEvent.record(
                expert, action=ExpertEvent.Action.STAFF_EDIT, actor=actor, note="Changed: " + ", ".join(changed)
            )
    expert_next_slot_refresh(expert_ids=[expert.pk])
