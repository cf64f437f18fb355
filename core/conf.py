"""Product settings that staff can change at run time (SiteSettings), read from the cache.

Other apps call `setting("SIGNUP_BONUS_POINTS")` instead of reading django.conf.settings for
these values. The row is cached in the shared cache (Redis in production) for SHARED_SECONDS, and
each worker also keeps the copy it read for LOCAL_SECONDS: every page reads it (the maintenance
banner), and a Redis round trip per request was a tenth of a cached page. So a staff change
through the admin (site_settings_update) reaches the worker that saved it at once and every other
worker within LOCAL_SECONDS, without a restart; a change that bypasses the service (a data
migration, a shell `.update()`) is seen everywhere within SHARED_SECONDS + LOCAL_SECONDS.

The environment variables of the same names (SIGNUP_BONUS_POINTS, AI_PRICE_*, ...) only seed the
row when it is first created; after that the row is the truth.
"""

from __future__ import annotations

import time

from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction

from .models import SiteSettings, SiteSettingsChange

# v2: the row is core.SiteSettings now; a v1 entry (a pickled site_admin.SiteSettings, cached without
# expiry by the previous release) would fail to unpickle after the deploy, so it is never read.
CACHE_KEY = "site-settings:v2"
SHARED_SECONDS = 60  # bounds how long an edit that bypasses site_settings_update stays invisible
LOCAL_SECONDS = 5
_local: tuple[SiteSettings, float] | None = None  # (row, monotonic expiry) in this process

# Setting name (as in django.conf.settings / the env) -> SiteSettings field.
FIELDS = {
    "SIGNUP_BONUS_POINTS": "signup_bonus_points",
    "AI_PRICE_CV_ANALYSIS": "price_cv_analysis",
    "AI_PRICE_STATEMENT_GENERATE": "price_statement_generate",
    "AI_PRICE_STATEMENT_ENHANCE": "price_statement_enhance",
    "AI_PRICE_LETTERS_CHECK": "price_letters_check",
    "AI_PRICE_REFUSAL_REVIEW": "price_refusal_review",
    "REFERRAL_REWARD_REFERRER": "referral_reward_referrer",
    "REFERRAL_REWARD_REFERRED": "referral_reward_referred",
    "REFERRAL_MONTHLY_REWARD_CAP": "referral_monthly_reward_cap",
    "REFERRAL_REQUIRE_PURCHASE": "referral_require_purchase",
    "BOOKING_FULL_REFUND_HOURS": "booking_full_refund_hours",
    "BOOKING_PARTIAL_REFUND_HOURS": "booking_partial_refund_hours",
    "BOOKING_PARTIAL_REFUND_PERCENT": "booking_partial_refund_percent",
    "BOOKING_RESCHEDULE_MIN_HOURS": "booking_reschedule_min_hours",
    "BOOKING_MAX_RESCHEDULES": "booking_max_reschedules",
    "BOOKING_HOLD_MINUTES": "booking_hold_minutes",
    "BOOKING_LATE_CANCEL_EXPERT_PERCENT": "booking_late_cancel_expert_percent",
    "DISPUTE_WINDOW_HOURS": "dispute_window_hours",
    "PLATFORM_DEFAULT_COMMISSION_BPS": "platform_default_commission_bps",
    "SUPPORT_EMAIL": "support_email",
    "DOCUMENT_RETENTION_MONTHS": "document_retention_months",
}


def _defaults_from_env() -> dict:
    return {field: getattr(django_settings, name) for name, field in FIELDS.items() if hasattr(django_settings, name)}


def site_settings() -> SiteSettings:
    global _local
    local, now = _local, time.monotonic()
    if local is not None and local[1] > now:
        return local[0]
    row = cache.get(CACHE_KEY)
    if row is None:
        row, _ = SiteSettings.objects.get_or_create(pk=1, defaults=_defaults_from_env())
        cache.set(CACHE_KEY, row, timeout=SHARED_SECONDS)
    _local = (row, now + LOCAL_SECONDS)
    return row


def forget_local_copy() -> None:
    """Drop this process's copy (a save does it; tests do it between tests)."""
    global _local
    _local = None


def setting(name: str):
    """The current value of a staff-editable product setting, by its settings name."""
    return getattr(site_settings(), FIELDS[name])


def site_settings_update(*, actor, changes: dict) -> SiteSettings:
    """Apply field changes, record each one, and replace the cached copy for every worker."""
    with transaction.atomic():
        row, _ = SiteSettings.objects.select_for_update().get_or_create(pk=1, defaults=_defaults_from_env())
        changed = []
        for field, value in changes.items():
            old = getattr(row, field)
            if old != value:
                SiteSettingsChange.objects.create(field=field, old_value=str(old), new_value=str(value), actor=actor)
                setattr(row, field, value)
                changed.append(field)
        if changed:
            row.full_clean()
            row.save(update_fields=[*changed, "updated_at"])
        # Dropped now (later reads in this transaction see the change) and again after the
        # commit, so a worker that re-cached the old row in between is corrected.
        cache.delete(CACHE_KEY)
        forget_local_copy()
        transaction.on_commit(lambda: (cache.delete(CACHE_KEY), forget_local_copy()))
    return row
