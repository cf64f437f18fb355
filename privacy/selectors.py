"""Reads for the privacy pages."""

from django.conf import settings
from django.utils import timezone

from bookings import policy
from bookings.models import Booking
from core.conf import setting
from referrals.selectors import REFERRAL_COOKIE
from referrals.views import THIRTY_DAYS

COOKIE_NOTICE_SEEN = "tv_cookies_ok"
ONE_YEAR = 60 * 60 * 24 * 365


def upcoming_bookings_with_refunds(*, user) -> list[tuple[Booking, object]]:
    """The user's upcoming bookings (as client, then as expert) with what cancelling each now would do."""
    now = timezone.now()
    upcoming = Booking.objects.filter(status__in=Booking.ACTIVE_STATUSES, end_at__gt=now).select_related(
        "expert", "session_type", "payment"
    )
    rows = [
        (b, policy.cancellation_outcome(booking=b, by=policy.CLIENT, now=now)) for b in upcoming.filter(client=user)
    ]
    rows += [
        (b, policy.cancellation_outcome(booking=b, by=policy.EXPERT, now=now))
        for b in upcoming.filter(expert__user=user)
    ]
    return rows


def terms_context() -> dict:
    """The numbers the terms quote: the same site settings the booking policy and retention enforce."""
    return {
        "policy": policy.windows(),
        "dispute_window_hours": setting("DISPUTE_WINDOW_HOURS"),
        "support_email": setting("SUPPORT_EMAIL"),
        "retention_months": setting("DOCUMENT_RETENTION_MONTHS"),
    }


def _days(seconds: int) -> str:
    days = seconds // 86400
    return "1 year" if days == 365 else (f"{days // 7} weeks" if days % 7 == 0 else f"{days} days")


# Every cookie the site sets: (name, what for, how long). The durations come from the settings that set them.
COOKIES = [
    (settings.SESSION_COOKIE_NAME, "Keeps you signed in.", _days(settings.SESSION_COOKIE_AGE)),
    (settings.CSRF_COOKIE_NAME, "Protects forms against forgery.", _days(settings.CSRF_COOKIE_AGE)),
    (
        REFERRAL_COOKIE,
        "Remembers the referral link you followed, so the friend who shared it gets their reward when you sign up. "
        "Set only when you open a referral link; a banner tells you.",
        _days(THIRTY_DAYS),
    ),
    (COOKIE_NOTICE_SEEN, "Remembers that you have seen the referral cookie notice.", _days(ONE_YEAR)),
]
