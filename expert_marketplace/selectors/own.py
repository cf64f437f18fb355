"""The expert's own pages: their profile, overrides, session types, completeness, commission."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone as dj_timezone

from ..models import DAY_KEYS, AvailabilityOverride, ExpertProfile, SessionType

# --- the expert's own pages --------------------------------------------------------------------


def expert_for_user(*, user) -> ExpertProfile | None:
    if not user.is_authenticated:
        return None
    return ExpertProfile.objects.select_related("tier").filter(user=user).first()


def expert_override_get(*, expert: ExpertProfile, override_id: int) -> AvailabilityOverride:
    """One of this expert's overrides; another expert's id is Http404."""
    row = AvailabilityOverride.objects.filter(expert=expert, pk=override_id).first()
    if row is None:
        raise Http404("No such date.")
    return row


def expert_session_type_get(*, expert: ExpertProfile, session_type_id: int) -> SessionType:
    row = SessionType.objects.filter(expert=expert, pk=session_type_id).first()
    if row is None:
        raise Http404("No such session type.")
    return row


def expert_upcoming_overrides(*, expert: ExpertProfile, now: dt.datetime | None = None) -> list[AvailabilityOverride]:
    local_today = (now or dj_timezone.now()).astimezone(zoneinfo.ZoneInfo(expert.timezone)).date()
    return list(expert.overrides.filter(day__gte=local_today).order_by("day"))


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    hint: str
    url_name: str


BIO_MIN_CHARS = 200


def expert_completeness(*, expert: ExpertProfile) -> list[ChecklistItem]:
    """What a complete profile needs, in the order an expert would do it."""
    counts = ExpertProfile.objects.filter(pk=expert.pk).aggregate(
        areas=Count("expertise_areas", distinct=True),
        langs=Count("languages", distinct=True),
        sessions=Count("session_types", filter=Q(session_types__is_active=True), distinct=True),
    )
    has_hours = any(expert.weekly_schedule.get(day) for day in DAY_KEYS) if expert.weekly_schedule else False
    return [
        ChecklistItem(
            "photo", "Profile photo", bool(expert.photo), "A friendly, recent headshot.", "expert_area:profile"
        ),
        ChecklistItem(
            "bio",
            f"Bio of at least {BIO_MIN_CHARS} characters",
            len(expert.bio.strip()) >= BIO_MIN_CHARS,
            f"{len(expert.bio.strip())} of {BIO_MIN_CHARS} characters so far.",
            "expert_area:profile",
        ),
        ChecklistItem(
            "expertise", "Expertise areas", counts["areas"] > 0, "What you can help with.", "expert_area:profile"
        ),
        ChecklistItem(
            "languages", "Languages", counts["langs"] > 0, "Languages you consult in.", "expert_area:profile"
        ),
        ChecklistItem(
            "sessions",
            "At least one session type",
            counts["sessions"] > 0,
            "Length and price of what clients book.",
            "expert_area:sessions",
        ),
        ChecklistItem(
            "availability", "Weekly availability", has_hours, "When clients can book you.", "expert_area:availability"
        ),
        ChecklistItem(
            "payouts",
            "Payouts set up",
            expert.payouts_enabled,
            "Connect a Stripe account to be paid.",
            "expert_area:dashboard",
        ),
    ]


def commission_bps_for(*, expert: ExpertProfile) -> int:
    """The platform's cut for this expert in basis points: override > tier > default."""
    return expert.commission_bps


FEED_TOKEN_MIN_LENGTH = 32


def expert_by_feed_token(*, token: str) -> ExpertProfile:
    """The expert whose calendar feed this secret opens, or Http404 (empty and short tokens never match)."""
    if len(token or "") < FEED_TOKEN_MIN_LENGTH:
        raise Http404("No such calendar feed.")
    expert = ExpertProfile.objects.filter(calendar_feed_token=token).select_related("user").first()
    if expert is None:
        raise Http404("No such calendar feed.")
    return expert
