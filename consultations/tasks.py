"""Celery tasks of consultations: each takes ids (or nothing), calls one service, is safe to run twice."""

from celery import shared_task

from core.idempotency import delivery_key
from payments.gateways import GatewayError


@shared_task(time_limit=300, soft_time_limit=240)
def consultations_auto_complete_task() -> int:
    """Every 15 minutes: complete sessions nobody acted on AUTO_COMPLETE_HOURS after their end."""
    from .services import consultations_auto_complete

    return consultations_auto_complete()


@shared_task(time_limit=300, soft_time_limit=240)
def earnings_release_task() -> int:
    """Every 15 minutes: pending earnings whose dispute window closed (and no open dispute) become available."""
    from .services import earnings_release

    return earnings_release()


@shared_task(time_limit=900, soft_time_limit=840)
def earnings_payout_task() -> dict:
    """Hourly: transfer available earnings; failures are recorded and retried next run (same key)."""
    from .services import earnings_payout_run

    return earnings_payout_run()


@shared_task(autoretry_for=(GatewayError,), retry_backoff=True, max_retries=8, time_limit=120, soft_time_limit=100)
def earning_reverse_task(*, earning_id: int) -> None:
    """Reverse a paid earning's transfer after a full refund (key reversal-earning-<id>)."""
    from .services import earning_reverse_transfer

    earning_reverse_transfer(earning_id=earning_id)


@shared_task(
    bind=True,
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=45,
)
def consultation_email_task(
    self, *, booking_id: int, template: str, recipients: list[str], extra: dict | None = None
) -> int:
    """Each recipient once per message, however often it is delivered (core.idempotency)."""
    from .emails import consultation_email_send

    return consultation_email_send(
        booking_id=booking_id,
        template=template,
        recipients=recipients,
        extra=extra,
        idempotency_key=delivery_key(self),
    )
