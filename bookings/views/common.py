"""Helpers shared by the booking views."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone as dj_timezone

from expert_marketplace.selectors import viewer_timezone


def now() -> dt.datetime:
    """The clock of every booking page (tests may patch it)."""
    return dj_timezone.now()


def client_tz(request) -> zoneinfo.ZoneInfo:
    return viewer_timezone(user=request.user)


def wants_partial(request) -> bool:
    """An htmx swap (not a history restore, which needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request
