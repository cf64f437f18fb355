"""Calendar feeds: the expert's secret feed address of their bookings, and their own calendar's
busy times (a secret iCal address, synced by a beat task every 15 minutes and on saving)."""

from __future__ import annotations

import datetime as dt
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone as dj_timezone

from core import fragments
from core.timezones import zone_or_default

from ..calendar_import import CalendarImportError, busy_intervals, fetch_ics, normalise_url
from ..models import ExpertProfile
from .availability import expert_next_slot_refresh

# Busy times are read this far ahead: the longest horizon an expert can set (365 days) and a day.
IMPORT_WINDOW = dt.timedelta(days=366)
_BUSY_FIELDS = [
    "calendar_import_busy",
    "calendar_import_status",
    "calendar_import_error",
    "calendar_import_checked_at",
    "calendar_import_synced_at",
    "updated_at",
]


def expert_calendar_feed_token_regenerate(*, expert: ExpertProfile) -> str:
    """A new secret for the expert's bookings feed; the previous address stops working at once."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        ExpertProfile.objects.filter(pk=expert.pk).update(calendar_feed_token=token, updated_at=dj_timezone.now())
    expert.calendar_feed_token = token
    return token


def expert_calendar_import_set(*, expert: ExpertProfile, url: str) -> ExpertProfile:
    """Save (or with "" remove) the address of the expert's own calendar, then sync it after commit.

    Raises CalendarImportError when the address can't be an iCal URL."""
    url = normalise_url(url) if url.strip() else ""
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
        locked.calendar_import_url = url
        locked.calendar_import_busy = []
        locked.calendar_import_status = ""
        locked.calendar_import_error = ""
        locked.calendar_import_checked_at = None
        locked.calendar_import_synced_at = None
        locked.save(update_fields=["calendar_import_url", *_BUSY_FIELDS])
        fragments.bump(fragments.expert_scope(locked.pk))
        if url:
            from ..tasks import expert_calendar_import_sync_task  # tasks import this module

            transaction.on_commit(lambda: expert_calendar_import_sync_task.delay(expert_id=locked.pk))
    if not url:
        expert_next_slot_refresh(expert_ids=[locked.pk])
    return locked


def _own_uid_suffix() -> str:
    """Our booking invitations' UIDs end with this (bookings.ics.booking_uid): the bookings block already."""
    return "@" + (urlsplit(settings.SITE_URL).hostname or "talentvisa")


def expert_calendar_import_sync(*, expert_id: int, now: dt.datetime | None = None) -> bool:
    """Fetch the expert's calendar and store its busy times; False (with the error kept) on failure.

    The download runs outside any transaction; the result is written only if the address did not
    change meanwhile. On failure the busy times of the last good sync stay in force."""
    now = now or dj_timezone.now()
    expert = ExpertProfile.objects.filter(pk=expert_id).only("pk", "timezone", "calendar_import_url").first()
    if expert is None or not expert.calendar_import_url:
        return False
    url = expert.calendar_import_url
    try:
        data = fetch_ics(url, allow_private=settings.CALENDAR_IMPORT_ALLOW_PRIVATE_HOSTS)
        busy = busy_intervals(
            data,
            zone=zone_or_default(expert.timezone),
            start=now - dt.timedelta(days=1),
            end=now + IMPORT_WINDOW,
            skip_uid_suffix=_own_uid_suffix(),
        )
        error = ""
    except CalendarImportError as exc:
        busy, error = None, str(exc)[:300]
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().get(pk=expert_id)
        if locked.calendar_import_url != url:
            return False
        locked.calendar_import_checked_at = now
        changed = False
        if busy is None:
            locked.calendar_import_status, locked.calendar_import_error = "error", error
        else:
            stored = [[start.isoformat(), end.isoformat()] for start, end in busy]
            changed = stored != locked.calendar_import_busy
            locked.calendar_import_busy = stored
            locked.calendar_import_status, locked.calendar_import_error = "ok", ""
            locked.calendar_import_synced_at = now
        locked.save(update_fields=_BUSY_FIELDS)
        if changed:
            fragments.bump(fragments.expert_scope(locked.pk))  # the profile's free times
    if changed:
        expert_next_slot_refresh(expert_ids=[expert_id])
    return busy is not None


def experts_with_calendar_import() -> list[int]:
    """Ids of experts whose own calendar is synced (the beat task fans out over them)."""
    return list(ExpertProfile.objects.exclude(calendar_import_url="").values_list("pk", flat=True))
