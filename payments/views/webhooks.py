"""Stripe webhook endpoints: verify, store by event id, process once, answer.

Answers: 400 when the signature is missing/wrong/stale, or the signed body is not a storable
event (a JSON array, a NUL or an over-long id) — nothing stored; 200 once the event is processed
(or was already), including events no retry could fix, which are recorded "needs attention" for
staff; 500 when a handler failed transiently (error kept on the row) so Stripe retries, and the
retry processes it again from scratch.
"""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import metrics

from ..gateways.stripe import WebhookSignatureInvalid, webhook_verify
from ..models import WebhookEvent
from ..webhooks.processing import webhook_event_process, webhook_event_record

logger = logging.getLogger(__name__)


def _malformed(body: bytes, event) -> str:
    """Why a verified body cannot be stored as an event ("" when it can)."""
    if not isinstance(event, dict):
        return "not an event object"
    event_id, event_type = event.get("id"), event.get("type")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= 255 or not event_id.isprintable():
        return "bad event id"
    if not isinstance(event_type, str) or not 0 < len(event_type) <= 100:
        return "bad event type"
    if b"\\u0000" in body:  # PostgreSQL's jsonb cannot hold a NUL character anywhere
        return "NUL character in the payload"
    return ""


def _handle(request, *, secret: str, endpoint: str) -> HttpResponse:
    response = _answer(request, secret=secret, endpoint=endpoint)
    if response.status_code == 400:
        outcome = "refused"
    elif response.status_code >= 500:
        outcome = "failed"
    else:
        outcome = "duplicate" if response.content == b"already processed" else "processed"
    metrics.webhook_outcome(source=f"stripe-{endpoint}", outcome=outcome)
    return response


def _answer(request, *, secret: str, endpoint: str) -> HttpResponse:
    try:
        event = webhook_verify(payload=request.body, sig_header=request.headers.get("Stripe-Signature"), secret=secret)
    except WebhookSignatureInvalid as exc:
        logger.warning("Rejected Stripe webhook on %s endpoint: %s", endpoint, exc)
        return HttpResponseBadRequest("invalid signature")
    problem = _malformed(request.body, event)
    if problem:
        # Signed, so it came from Stripe (or whoever holds the secret), but no retry will fix it.
        logger.warning("Refused a signed but malformed Stripe webhook on %s endpoint: %s", endpoint, problem)
        return HttpResponseBadRequest(problem)
    row = webhook_event_record(event=event, endpoint=endpoint)
    if row.processed_at is not None:
        return HttpResponse("already processed")
    try:
        webhook_event_process(webhook_event_id=row.pk)
    except Exception:
        logger.exception("Stripe webhook %s (%s) failed; Stripe will retry", row.event_id, row.type)
        return HttpResponse("handler failed", status=500)
    return HttpResponse("ok")


@csrf_exempt
@require_POST
def stripe_webhook(request):
    return _handle(request, secret=settings.STRIPE_WEBHOOK_SECRET, endpoint=WebhookEvent.Endpoint.ACCOUNT)


@csrf_exempt
@require_POST
def stripe_connect_webhook(request):
    return _handle(request, secret=settings.STRIPE_CONNECT_WEBHOOK_SECRET, endpoint=WebhookEvent.Endpoint.CONNECT)
