"""Helpers shared by the booking views."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone as dj_timezone

from core.htmx import wants_partial  # noqa: F401 (the booking views import it from here)
from expert_marketplace.selectors import viewer_timezone


def now() -> dt.datetime:
    """The clock of every booking page (tests may patch it)."""
    return dj_timezone.now()


def client_tz(request) -> zoneinfo.ZoneInfo:
    return viewer_timezone(user=request.user)
