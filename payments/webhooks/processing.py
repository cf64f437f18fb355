"""Store a verified event by id, then process it at most once (dj-stripe's pattern)."""

from __future__ import annotations

import traceback

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..gateways import GatewayNotFound
from ..models import Payment, WebhookEvent
from ..states import PaymentMismatch
from .registry import handlers_for

# Errors no retry can fix: the event is recorded for staff ("needs attention") and answered 2xx,
# instead of 500 on every retry for three days until Stripe disables the endpoint. Anything else
# (the database, a Stripe outage) is worth a retry and still answers 500.
PERMANENT_ERRORS = (PaymentMismatch, GatewayNotFound, Payment.DoesNotExist)


def stripe_key_is_live() -> bool:
    """Whether the secret key in use moves real money (sk_live_/rk_live_); no key means test mode."""
    return "_live_" in (settings.STRIPE_SECRET_KEY or "")[:8]


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
    """Run the handlers once. On a transient failure the error is recorded and re-raised (the view says 500).

    A permanent failure (PERMANENT_ERRORS) rolls the handlers' writes back, marks the event
    processed and needs_attention with the reason, and returns normally (the view says 200).
    An event whose livemode differs from the key in use is recorded the same way, never handled.
    """
    try:
        with transaction.atomic():
            # The row lock makes concurrent deliveries of one event queue up; all but the
            # first then find it processed. Handlers may call the gateway while it is held,
            # a deliberate trade: simple exactly-once over a short lock on one event row.
            row = WebhookEvent.objects.select_for_update().get(pk=webhook_event_id)
            if row.processed_at is not None:
                return row
            row.error = ""
            if row.livemode != stripe_key_is_live():
                event_mode, key_mode = ("live", "test") if row.livemode else ("test", "live")
                row.note = "ignored: livemode mismatch"
                row.needs_attention = True
                row.attention_reason = f"Livemode mismatch: a {event_mode} event, but this site uses a {key_mode} key."
            else:
                handlers = handlers_for(row.type)
                row.note = "" if handlers else "no handler for this event type"
                try:
                    with transaction.atomic():  # a refused event leaves none of its handlers' writes
                        for handler in handlers:
                            handler(event=row.payload, webhook_event=row)
                except PERMANENT_ERRORS as exc:
                    row.needs_attention = True
                    row.attention_reason = f"{type(exc).__name__}: {exc}"[:255]
                    row.error = traceback.format_exc()[-8000:]
                    row.note = "not applied: a retry cannot fix this"
            row.processed_at = timezone.now()
            row.attempts = F("attempts") + 1
            row.save(update_fields=["processed_at", "attempts", "error", "note", "needs_attention", "attention_reason"])
    except Exception:
        WebhookEvent.objects.filter(pk=webhook_event_id).update(
            attempts=F("attempts") + 1, error=traceback.format_exc()[-8000:]
        )
        raise
    row.refresh_from_db()
    return row
