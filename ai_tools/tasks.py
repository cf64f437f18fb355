"""Celery tasks of the AI tools. They take ids, call one service, and are safe to run twice."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import services


@shared_task(
    name="ai_tools.run_ai_job",
    acks_late=True,
    soft_time_limit=settings.AI_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.AI_TASK_TIME_LIMIT,
)
def run_ai_job(run_id: int) -> None:
    """Run one queued AI job. A run that is not queued any more (done, or claimed by another worker) is skipped."""
    try:
        services.ai_run_execute(run_id=run_id)
    except SoftTimeLimitExceeded:
        services.ai_run_fail(run_id=run_id, message="This took too long and was stopped. Please try again.")
