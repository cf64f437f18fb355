"""Reads for the privacy pages."""

from django.utils import timezone

from bookings import policy
from bookings.models import Booking
from core.conf import setting


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
