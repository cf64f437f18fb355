"""Periodic upkeep for the marketplace (Celery; eager in the embedded default)."""

from celery import shared_task

from core.idempotency import delivery_key

from . import services


@shared_task(time_limit=120, soft_time_limit=100)
def expert_next_slots_refresh() -> int:
    """Recompute every listed expert's next_slot_at (the directory's "next available" sort).

    Idempotent. Schedule it with Celery beat, e.g. every 15 minutes:
        CELERY_BEAT_SCHEDULE = {"expert-next-slots": {"task": "expert_marketplace.tasks.expert_next_slots_refresh",
                                                      "schedule": 900}}
    Slots also move as time passes (minimum notice), which is why a periodic refresh is needed
    on top of the refresh after each availability / session-type / booking change.
    """
    return services.expert_next_slot_refresh()


@shared_task(
    bind=True,
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=45,
)
def expert_decision_email_task(self, *, expert_id: int) -> None:
    """Tell an applicant staff's decision (approved or rejected), by id after the decision commits; once per message."""
    services.expert_decision_email_send(expert_id=expert_id, idempotency_key=delivery_key(self))


@shared_task(time_limit=60, soft_time_limit=45)
def expert_calendar_import_sync_task(*, expert_id: int) -> bool:
    """Fetch one expert's own calendar (timeouts and size limit in calendar_import); idempotent."""
    return services.expert_calendar_import_sync(expert_id=expert_id)


@shared_task(time_limit=60, soft_time_limit=45)
def expert_calendar_imports_sync_task() -> int:
    """Beat, every 15 minutes: one sync task per expert with a calendar address."""
    ids = services.experts_with_calendar_import()
    for expert_id in ids:
        expert_calendar_import_sync_task.delay(expert_id=expert_id)
    return len(ids)
