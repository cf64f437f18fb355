"""Celery tasks of the AI tools. They take ids, call one service, and are safe to run twice."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import services


@shared_task(
    name="ai_tools.run_ai_job",
    acks_late=True,
    # A worker process killed mid-run (OOM, kill -9) puts the message straight back on the queue;
    # the re-delivered run is then failed and refunded (services.ai_run_execute), not run again.
    reject_on_worker_lost=True,
    soft_time_limit=settings.AI_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.AI_TASK_TIME_LIMIT,
)
def run_ai_job(run_id: int) -> None:
    """Run one queued AI job. A run that is not queued any more (done, or claimed by another worker) is skipped."""
    try:
        services.ai_run_execute(run_id=run_id)
    except SoftTimeLimitExceeded:
        services.ai_run_fail(run_id=run_id, message="This took too long and was stopped. Please try again.")


@shared_task(name="ai_tools.stuck_runs_sweep", time_limit=120, soft_time_limit=100)
def stuck_runs_sweep_task() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): fail and refund runs whose worker died (see ai_runs_fail_stuck)."""
    return services.ai_runs_fail_stuck()
