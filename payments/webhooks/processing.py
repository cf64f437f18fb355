"""Store a verified event by id, then process it at most once (dj-stripe's pattern)."""

from __future__ import annotations

import traceback

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import WebhookEvent
from .registry import handlers_for


def webhook_event_record(*, event: dict, endpoint: str) -> WebhookEvent:
    """Save the event before acting on it; a redelivery finds the existing row."""
    row, _ = WebhookEvent.objects.get_or_create(
        event_id=event["id"],
        defaults={
            "endpoint": endpoint,
            "type": event.get("type", "")[:100],
            "payload": event,
            "livemode": bool(event.get("livemode", False)),
        },
    )
    return row


def webhook_event_process(*, webhook_event_id: int) -> WebhookEvent:
    """Run the handlers once. On failure the error is recorded and re-raised (so the view says 500)."""
    try:
        with transaction.atomic():
            # The row lock makes concurrent deliveries of one event queue up; all but the
            # first then find it processed. Handlers may call the gateway while it is held,
            # a deliberate trade: simple exactly-once over a short lock on one event row.
            row = WebhookEvent.objects.select_for_update().get(pk=webhook_event_id)
            if row.processed_at is not None:
                return row
            handlers = handlers_for(row.type)
            row.note = "" if handlers else "no handler for this event type"
            for handler in handlers:
                handler(event=row.payload, webhook_event=row)
            row.processed_at = timezone.now()
            row.attempts = F("attempts") + 1
            row.error = ""
            row.save(update_fields=["processed_at", "attempts", "error", "note"])
    except Exception:
        WebhookEvent.objects.filter(pk=webhook_event_id).update(
            attempts=F("attempts") + 1, error=traceback.format_exc()[-8000:]
        )
        raise
    row.refresh_from_db()
    return row
