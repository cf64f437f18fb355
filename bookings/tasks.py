"""Celery tasks of bookings: each takes ids, calls one service, and is safe to run twice."""

from celery import shared_task

from core.idempotency import delivery_key
from payments.gateways import GatewayError


@shared_task(time_limit=120, soft_time_limit=100)
def holds_expire_task() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): release unpaid holds, expire their checkout sessions."""
    from .services import holds_expire

    return holds_expire()


@shared_task(time_limit=240, soft_time_limit=200)
def reminders_send_task() -> int:
    """Every 5 minutes: 24 h and 1 h reminders, each exactly once (ReminderSent)."""
    from .services import reminders_send

    return reminders_send()


@shared_task(
    bind=True,
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=45,
)
def booking_email_task(
    self, *, booking_id: int, template: str, recipients: list[str], extra: dict | None = None
) -> int:
    """Each recipient once per message, however often it is delivered (core.idempotency)."""
    from .emails import booking_email_send

    return booking_email_send(
        booking_id=booking_id,
        template=template,
        recipients=recipients,
        extra=extra,
        idempotency_key=delivery_key(self),
    )


@shared_task(autoretry_for=(GatewayError,), retry_backoff=True, max_retries=8, time_limit=120, soft_time_limit=100)
def booking_late_refund_task(*, booking_id: int, payment_id: int) -> None:
    """Refund a payment that arrived for a slot we could not keep (idempotency key booking-<id>-late)."""
    from .services import booking_late_refund

    booking_late_refund(booking_id=booking_id, payment_id=payment_id)


@shared_task(
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=45,
)
def booking_messages_notify_task(*, booking_id: int, recipient: str) -> int:
    """Email the other side about new messages, once per burst; safe to run twice (BookingMessage.notified_at)."""
    from .services.messages import messages_notify

    return messages_notify(booking_id=booking_id, recipient=recipient)
