"""When a booking becomes paid, share the findings its client handed off (the hand-off's one click).

The receiver only enqueues, after commit, a task that calls one service; the bookings app knows nothing of it.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save

logger = logging.getLogger(__name__)


def _booking_saved(sender, instance, created, update_fields=None, **kwargs):
    from bookings.selectors import SHARED_WITH_EXPERT_STATUSES

    if instance.status not in SHARED_WITH_EXPERT_STATUSES:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    booking_id = instance.pk

    def enqueue():
        from .tasks import refusal_share_for_booking_task

        try:
            refusal_share_for_booking_task.delay(booking_id)
        except Exception:  # noqa: BLE001 - a broker outage must never fail the booking's payment
            logger.exception("could not enqueue the refusal share for booking %s", booking_id)

    transaction.on_commit(enqueue)


def connect() -> None:
    from bookings.models import Booking

    post_save.connect(_booking_saved, sender=Booking, dispatch_uid="refusals_share_on_paid_booking")
