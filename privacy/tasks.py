"""Celery tasks of the privacy app. Idempotent: safe to run twice."""

from celery import shared_task

from . import retention


@shared_task(name="privacy.retention_run", soft_time_limit=540, time_limit=600)
def retention_run_task() -> dict:
    """E-mail users whose uploads will be deleted in a month; delete the uploads whose notice date passed."""
    return retention.retention_run()
