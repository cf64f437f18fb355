"""Celery tasks of the applications app (autodiscovered here)."""

from .refusals.tasks import refusal_reminders_send_task, refusal_share_for_booking_task

__all__ = ["refusal_reminders_send_task", "refusal_share_for_booking_task"]
