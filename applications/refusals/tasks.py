"""Celery tasks of the refusal review (found through applications.tasks). Idempotent: safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="applications.refusal_reminders_send", soft_time_limit=240, time_limit=300)
def refusal_reminders_send_task() -> int:
    """Send the review-deadline reminders that are due (7 and 2 days before); each goes out once."""
    return services.refusal_reminders_send()


@shared_task(name="applications.refusal_share_for_booking", soft_time_limit=60, time_limit=90)
def refusal_share_for_booking_task(booking_id: int) -> int:
    return len(services.refusal_share_for_booking(booking_id=booking_id))
