"""Helpers every consultations service uses: locks, who-is-who checks, emails after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from bookings.models import Booking

from .errors import ConsultationError


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def booking_lock(*, booking_id: int) -> Booking:
    """The booking row locked until the surrounding transaction ends (call inside atomic)."""
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("expert", "expert__user", "client", "payment")
        .get(pk=booking_id)
    )


def is_expert_of(booking: Booking, user) -> bool:
    return user is not None and booking.expert.user_id == user.pk


def is_client_of(booking: Booking, user) -> bool:
    return user is not None and booking.client_id == user.pk


def require_staff(actor) -> None:
    if actor is None or not actor.is_staff:
        raise ConsultationError("Only staff can do that.")


def email_on_commit(*, booking_id: int, template: str, recipients: Iterable[str], extra: dict | None = None) -> None:
    """Queue a consultations email (Celery, by id) once the transaction that justified it commits."""
    from ..tasks import consultation_email_task

    args = {"booking_id": booking_id, "template": template, "recipients": list(recipients), "extra": extra or {}}
    transaction.on_commit(lambda: consultation_email_task.delay(**args))
