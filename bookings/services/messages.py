"""Messages per booking: a thread between the client and the expert, open from payment until
MESSAGE_WINDOW after the session, with an email to the other side once per burst.

A burst: messages the recipient has not read yet. The first one is emailed at once; more while the
recipient still has an unread message emailed less than QUIET_PERIOD ago send nothing (that email
already told them). Reading the thread ends the burst.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..models import Booking, BookingMessage
from ..selectors import SHARED_WITH_EXPERT_STATUSES
from .core import booking_lock
from .errors import BookingError

MESSAGE_WINDOW = dt.timedelta(days=14)
QUIET_PERIOD = dt.timedelta(minutes=15)
MAX_BODY_CHARS = 5000
Role = BookingMessage.Role


def message_role(*, booking: Booking, user) -> str | None:
    """ "client" or "expert" when ``user`` is that side of the booking, else None."""
    if user is None or not user.is_authenticated:
        return None
    if booking.client_id == user.pk:
        return Role.CLIENT
    if booking.expert.user_id == user.pk:
        return Role.EXPERT
    return None


def messaging_open(*, booking: Booking, now: dt.datetime | None = None) -> bool:
    """Paid (and not cancelled or refunded) and less than MESSAGE_WINDOW after the session's end."""
    now = now or timezone.now()
    return (
        booking.status in SHARED_WITH_EXPERT_STATUSES
        and booking.payment_id is not None
        and now < booking.end_at + MESSAGE_WINDOW
    )


def _clean_body(body: str) -> str:
    return "\n".join(
        line.rstrip() for line in (body or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ).strip()


def message_send(
    *, booking: Booking, sender, body: str = "", upload=None, now: dt.datetime | None = None
) -> BookingMessage:
    """Add a message (and its attachment, validated as every uploaded document) to the booking's thread,
    and queue the other side's notification once committed. Raises BookingError when refused."""
    from ai_tools.documents.sniffing import DocumentRejected
    from ai_tools.services import document_create

    from ..tasks import booking_messages_notify_task

    now = now or timezone.now()
    role = message_role(booking=booking, user=sender)
    if role is None:
        raise BookingError("Only the client and the expert of this booking can write here.")
    body = _clean_body(body)
    if not body and upload is None:
        raise BookingError("Write a message or attach a file.")
    if len(body) > MAX_BODY_CHARS:
        raise BookingError(f"A message can be at most {MAX_BODY_CHARS} characters.")
    with transaction.atomic():
        locked = booking_lock(booking_id=booking.pk)
        if not messaging_open(booking=locked, now=now):
            raise BookingError("Messages for this booking are closed.")
        attachment = None
        if upload is not None:
            try:
                attachment = document_create(owner=sender, upload=upload)
            except DocumentRejected as exc:
                raise BookingError(str(exc)) from exc
        message = BookingMessage.objects.create(
            booking=locked, sender=sender, sender_role=role, body=body, attachment=attachment, created_at=now
        )
        recipient = Role.EXPERT if role == Role.CLIENT else Role.CLIENT
        transaction.on_commit(
            lambda: booking_messages_notify_task.delay(booking_id=locked.pk, recipient=str(recipient))
        )
    return message


def messages_mark_read(*, booking: Booking, reader, now: dt.datetime | None = None) -> int:
    """The reader has seen the thread: the other side's messages to them are read (one UPDATE)."""
    role = message_role(booking=booking, user=reader)
    if role is None:
        return 0
    return (
        BookingMessage.objects.filter(booking=booking, read_at__isnull=True)
        .exclude(sender_role=role)
        .update(read_at=now or timezone.now())
    )


def messages_notify(*, booking_id: int, recipient: str, now: dt.datetime | None = None) -> int:
    """Email ``recipient`` ("client"/"expert") about unread messages not yet announced; returns emails sent (0/1).

    Under a lock on the booking: the messages are marked notified in the transaction that sends,
    so a re-delivered or concurrent task finds nothing left to announce, and a failed send rolls the
    mark back for the retry. Skipped (and left unannounced) while the recipient has an unread
    message emailed within QUIET_PERIOD: that email covers the burst.
    """
    from ..emails import booking_email_send

    now = now or timezone.now()
    sender_role = Role.CLIENT if recipient == Role.EXPERT else Role.EXPERT
    with transaction.atomic():
        booking_lock(booking_id=booking_id)
        unread = BookingMessage.objects.filter(booking_id=booking_id, sender_role=sender_role, read_at__isnull=True)
        if unread.filter(notified_at__gt=now - QUIET_PERIOD).exists():
            return 0
        pending = list(unread.filter(notified_at__isnull=True).values_list("pk", flat=True))
        if not pending:
            return 0
        BookingMessage.objects.filter(pk__in=pending).update(notified_at=now)
        booking_email_send(
            booking_id=booking_id,
            template="booking_message",
            recipients=[recipient],
            extra={"message_count": len(pending)},
        )
    return 1
