"""Once per key: the side effects of a Celery task survive re-delivery (acks_late + a lost worker
runs the same message again, possibly while the first delivery is still running).

    with transaction.atomic():
        if claim(f"{task_key}:{recipient}"):
            send the email / call the gateway

`claim` inserts an `IdempotencyKey` row in the caller's transaction. A second delivery's insert
waits on the unique index until the first commits (PostgreSQL; SQLite serialises writers) and then
finds the key: nothing happens twice. If the side effect raises, the transaction rolls back and
takes the key with it, so a retry sends. The window left is a crash after the side effect and
before the commit (at-least-once there, never lost).

`delivery_key(task)` names one Celery message: its id stays the same across re-deliveries and
`autoretry_for` retries, so the key does too.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import IdempotencyKey


def claim(key: str) -> bool:
    """Record `key` in the current transaction. False when it is already recorded (done before)."""
    if not connection.in_atomic_block:
        raise RuntimeError("claim() must run inside the transaction of the side effect it guards.")
    key = key[:255]
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a duplicate
            IdempotencyKey.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def delivery_key(task) -> str | None:
    """`<task name>:<message id>` of a bound Celery task's current message (None outside a worker call)."""
    request_id = getattr(getattr(task, "request", None), "id", None)
    return f"{task.name}:{request_id}" if request_id else None


def keys_purge(*, now: dt.datetime | None = None) -> int:
    """Delete keys older than IDEMPOTENCY_KEY_DAYS (far past any re-delivery or retry); returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.IDEMPOTENCY_KEY_DAYS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
