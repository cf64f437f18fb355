"""Celery tasks of the kernel."""

from celery import shared_task

from . import idempotency


@shared_task(name="core.idempotency_keys_purge", time_limit=300, soft_time_limit=240)
def idempotency_keys_purge_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): forget idempotency keys past any re-delivery."""
    return idempotency.keys_purge()
