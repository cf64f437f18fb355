"""24 h and 1 h reminders to both sides, each sent exactly once."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from ..models import Booking, ReminderSent
from .core import booking_lock

logger = logging.getLogger("bookings")
S = Booking.Status
DAY, HOUR = dt.timedelta(hours=24), dt.timedelta(hours=1)


def _due_kind(booking: Booking, now: dt.datetime) -> str | None:
    left = booking.start_at - now
    if dt.timedelta(0) < left <= HOUR:
        return ReminderSent.Kind.HOUR
    # The day-before reminder only if the booking existed a day before (else the confirmation just said it).
    if HOUR < left <= DAY and (booking.confirmed_at is None or booking.confirmed_at <= booking.start_at - DAY):
        return ReminderSent.Kind.DAY
    return None


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send the reminders that are due; returns how many emails went out.

    Each (booking, kind, recipient) gets a ReminderSent row created with get_or_create inside
    the transaction that sends the email, under a lock on the booking: a second run (or a
    concurrent worker) finds the row and sends nothing; a failed send rolls the row back so the
    next run tries again. Only confirmed bookings are reminded.
    """
    from ..emails import booking_email_send

    now = now or timezone.now()
    candidates = list(
        Booking.objects.filter(status=S.CONFIRMED, start_at__gt=now, start_at__lte=now + DAY).values_list(
            "pk", flat=True
        )
    )
    done = set(ReminderSent.objects.filter(booking_id__in=candidates).values_list("booking_id", "kind", "recipient"))
    sent = 0
    for booking_id in candidates:
        with transaction.atomic():
            booking = booking_lock(booking_id=booking_id)
            if booking.status != S.CONFIRMED:
                continue
            kind = _due_kind(booking, now)
            if kind is None:
                continue
            for recipient in (ReminderSent.Recipient.CLIENT, ReminderSent.Recipient.EXPERT):
                if (booking_id, kind, recipient) in done:
                    continue
                _, created = ReminderSent.objects.get_or_create(
                    booking=booking, kind=kind, recipient=recipient, defaults={"sent_at": now}
                )
                if created:
                    booking_email_send(
                        booking_id=booking.pk, template="booking_reminder", recipients=[recipient], extra={"kind": kind}
                    )
                    sent += 1
    return sent
