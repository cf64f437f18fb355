"""Writes for the expert marketplace. Views, forms, admin actions, tasks and webhooks call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone as dj_timezone
from django.utils.text import slugify

from accounts.models import User
from core.transitions import StateMachine

from . import fragment_invalidation, selectors
from .availability import ScheduleInvalid, override_from_json, schedule_from_json
from .models import (
    DAY_KEYS,
    AvailabilityOverride,
    ExpertEvent,
    ExpertiseArea,
    ExpertProfile,
    ExpertTier,
    Language,
    SessionType,
)


class ExpertError(Exception):
    """A request the marketplace refuses; nothing was changed."""


class InvalidTransition(ExpertError):
    def __init__(self, *, current: str, target: str):
        self.current, self.target = current, target
        super().__init__(f"An expert profile cannot go from {current} to {target}.")


RESERVED_SLUGS = {"apply"}  # public URLs under /experts/ that a profile slug must not shadow


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
    return locked


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
        if old_photo_name:
            storage = locked.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo_name))
    return locked


def session_type_create(
    *, expert: ExpertProfile, name: str, duration_minutes: int, price_pence: int, description: str = ""
) -> SessionType:
    with transaction.atomic():
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
        session_type.name = name.strip()
        session_type.description = description.strip()
        session_type.duration_minutes = duration_minutes
        session_type.price_pence = price_pence
        session_type.is_active = is_active
        session_type.save(update_fields=["name", "description", "duration_minutes", "price_pence", "is_active"])
    expert_next_slot_refresh(expert_ids=[session_type.expert_id])
    return session_type


def session_type_delete(*, session_type: SessionType) -> None:
    # Bookings (next issue) will reference session types; it should turn this into
    # "deactivate when booked" so history keeps its prices.
    expert_id = session_type.expert_id
    with transaction.atomic():
        session_type.delete()
    expert_next_slot_refresh(expert_ids=[expert_id])


# --- availability ------------------------------------------------------------------------------


def expert_availability_update(
    *,
    expert: ExpertProfile,
    weekly_schedule: dict,
    timezone: str,
    buffer_minutes: int,
    min_notice_hours: int,
    horizon_days: int,
) -> ExpertProfile:
    """Save the weekly hours and booking rules. Raises ScheduleInvalid (with .errors) on bad hours."""
    schedule_from_json(weekly_schedule, timezone=timezone)  # the engine is the one judge of validity
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
        locked.weekly_schedule = {day: weekly_schedule.get(day, []) for day in DAY_KEYS}
        locked.timezone = timezone
        locked.buffer_minutes = buffer_minutes
        locked.min_notice_hours = min_notice_hours
        locked.horizon_days = horizon_days
        locked.availability_updated_at = dj_timezone.now()
        locked.save(
            update_fields=[
                "weekly_schedule",
                "timezone",
                "buffer_minutes",
                "min_notice_hours",
                "horizon_days",
                "availability_updated_at",
                "updated_at",
            ]
        )
    expert_next_slot_refresh(expert_ids=[locked.pk])
    return locked


def availability_override_create(
    *, expert: ExpertProfile, day: dt.date, kind: str, intervals: list[list[str]] | None = None, note: str = ""
) -> AvailabilityOverride:
    """Add (or replace) the override for one date. Extra hours need at least one interval."""
    intervals = intervals or []
    if kind == AvailabilityOverride.Kind.EXTRA:
        if not intervals:
            raise ScheduleInvalid(["Add at least one time range for extra hours."])
    else:
        intervals = []
    override_from_json(day=day, kind=kind, intervals=intervals)  # the engine judges validity
    with transaction.atomic():
        row, _ = AvailabilityOverride.objects.update_or_create(
            expert=expert, day=day, defaults={"kind": kind, "intervals": intervals, "note": note.strip()}
        )
    expert_next_slot_refresh(expert_ids=[expert.pk])
    return row


def availability_override_delete(*, override: AvailabilityOverride) -> None:
    expert_id = override.expert_id
    with transaction.atomic():
        override.delete()
    expert_next_slot_refresh(expert_ids=[expert_id])


def expert_next_slot_refresh(*, expert_ids: Iterable[int] | None = None, now: dt.datetime | None = None) -> int:
    """Recompute the next_slot_at cache used to sort the directory; returns how many changed.

    Called after every availability, override or session-type change, by the periodic task
    tasks.expert_next_slots_refresh (all listed experts), and by bookings once a slot is taken.
    """
    now = now or dj_timezone.now()
    qs = selectors.listed_experts() if expert_ids is None else ExpertProfile.objects.filter(pk__in=list(expert_ids))
    experts = list(qs.prefetch_related(selectors.upcoming_overrides_prefetch(now=now)))
    next_slots = selectors.experts_next_slot(experts=experts, now=now)
    changed = [e for e in experts if e.next_slot_at != next_slots.get(e.pk)]
    for e in changed:
        e.next_slot_at = next_slots.get(e.pk)
    if changed:
        ExpertProfile.objects.bulk_update(changed, ["next_slot_at"], batch_size=500)
        # bulk_update sends no signals: the cards show next_slot_at (and sort by it).
        fragment_invalidation.bump_directory()
    return len(changed)


# --- Stripe Connect ----------------------------------------------------------------------------


def connect_reference(*, expert: ExpertProfile) -> str:
    return f"expert-{expert.pk}"


def expert_connect_onboarding_link(*, expert: ExpertProfile, refresh_url: str, return_url: str) -> str:
    """Create the Express account once (reused afterwards) and a fresh onboarding link."""
    from payments.gateways import GatewayUnavailable, get_gateway
    from payments.gateways.test_mode import test_mode_enabled

    gateway = get_gateway()
    if gateway.name == "test_mode" and not test_mode_enabled():
        # payments' test-mode gateway does not guard Connect itself; never hand out fake accounts live.
        raise GatewayUnavailable("Payouts are not available: Stripe is not configured and test mode is off.")
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().select_related("user").get(pk=expert.pk)
        if not locked.stripe_account_id:
            # The gateway call carries an idempotency key from our id, so a retry after a crash
            # between Stripe answering and this commit gets the same account back.
            locked.stripe_account_id = gateway.connect_account_create(
                reference=connect_reference(expert=locked), email=locked.user.email
            )
            locked.save(update_fields=["stripe_account_id", "updated_at"])
            ExpertEvent.record(
                locked,
                action=ExpertEvent.Action.CONNECT_CREATED,
                actor=locked.user,
                note=locked.stripe_account_id,
            )
    expert.stripe_account_id = locked.stripe_account_id
    return gateway.connect_onboarding_link_create(
        account_id=locked.stripe_account_id, refresh_url=refresh_url, return_url=return_url
    )


def expert_connect_account_sync(
    *,
    account_id: str,
    charges_enabled: bool,
    payouts_enabled: bool,
    details_submitted: bool,
    requirements_due: list[str],
    as_of: dt.datetime | None = None,
) -> ExpertProfile | None:
    """Apply an account's state (from account.updated, or the test-mode page). Idempotent.

    `as_of` is when Stripe produced that state (the event's `created`): an older event arriving
    after a newer one is ignored, so out-of-order delivery cannot roll the state back.
    """
    as_of = as_of or dj_timezone.now()
    with transaction.atomic():
        expert = ExpertProfile.objects.select_for_update().filter(stripe_account_id=account_id).first()
        if expert is None:
            return None
        if expert.connect_updated_at and as_of < expert.connect_updated_at:
            return expert  # an older state than the one already applied
        state = (charges_enabled, payouts_enabled, details_submitted, sorted(requirements_due))
        before = (
            expert.charges_enabled,
            expert.payouts_enabled,
            expert.details_submitted,
            sorted(expert.requirements_due),
        )
        expert.charges_enabled, expert.payouts_enabled, expert.details_submitted = state[:3]
        expert.requirements_due = state[3]
        expert.connect_updated_at = as_of
        expert.save(
            update_fields=[
                "charges_enabled",
                "payouts_enabled",
                "details_submitted",
                "requirements_due",
                "connect_updated_at",
                "updated_at",
            ]
        )
        if state != before:
            ExpertEvent.record(
                expert,
                action=ExpertEvent.Action.CONNECT_UPDATED,
                note=f"charges={charges_enabled} payouts={payouts_enabled} details={details_submitted}"
                + (f" due: {', '.join(state[3])}" if state[3] else ""),
            )
    return expert


def _stripe_field(obj, name, default=None):
    value = obj.get(name, default) if isinstance(obj, dict) else default
    return default if value is None else value


def handle_account_updated(*, event: dict, webhook_event=None) -> None:
    """payments' webhook registry calls this for account.updated on the Connect endpoint."""
    account = event["data"]["object"]
    requirements = _stripe_field(account, "requirements", {}) or {}
    due = list(
        dict.fromkeys(
            list(_stripe_field(requirements, "past_due", []) or [])
            + list(_stripe_field(requirements, "currently_due", []) or [])
        )
    )
    created = event.get("created")
    as_of = dt.datetime.fromtimestamp(created, tz=dt.UTC) if created else None
    expert = expert_connect_account_sync(
        account_id=account["id"],
        charges_enabled=bool(_stripe_field(account, "charges_enabled", False)),
        payouts_enabled=bool(_stripe_field(account, "payouts_enabled", False)),
        details_submitted=bool(_stripe_field(account, "details_submitted", False)),
        requirements_due=due,
        as_of=as_of,
    )
    if expert is None and webhook_event is not None:
        webhook_event.note = f"no expert with account {account['id']}"
