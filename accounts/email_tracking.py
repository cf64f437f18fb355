"""The email provider's tracking webhook (django-anymail): a hard bounce or a spam complaint
suppresses the address (accounts.services.email_suppress), so core.mailer sends it nothing more and
its user sees a banner asking them to fix their email.

The URLs are anymail's own tracking views (`/anymail/<esp>/tracking/`, HTTP basic auth with
ANYMAIL_WEBHOOK_SECRET = "user:password", which anymail checks), answering 404 while no secret is
configured. The receiver is connected to anymail's `tracking` signal in AccountsConfig.ready.
"""

from __future__ import annotations

import logging

from anymail.signals import EventType
from anymail.webhooks.amazon_ses import AmazonSESTrackingWebhookView
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from django.conf import settings
from django.http import Http404
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from core import metrics

from . import services
from .models import EmailSuppression

logger = logging.getLogger("accounts.email")

SUPPRESSING = {
    EventType.BOUNCED: EmailSuppression.Reason.BOUNCED,
    EventType.COMPLAINED: EmailSuppression.Reason.COMPLAINED,
}


def _soft_bounce(event) -> bool:
    """anymail calls some temporary failures "bounced" too: Postmark's SoftBounce, SES's Transient."""
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    bounce = raw.get("bounce") if isinstance(raw.get("bounce"), dict) else {}
    return raw.get("Type") == "SoftBounce" or bounce.get("bounceType") in {"Transient", "Undetermined"}


def tracking_received(sender, event, esp_name, **kwargs) -> None:
    """anymail `tracking` signal: suppress hard-bounced and complained addresses; the rest is only counted."""
    reason = SUPPRESSING.get(event.event_type)
    if reason == EmailSuppression.Reason.BOUNCED and _soft_bounce(event):
        reason = None
    metrics.webhook_outcome(source=f"email-{esp_name.lower()}", outcome=event.event_type or "unknown")
    if reason is None or not event.recipient:
        return
    detail = event.description or event.mta_response or ""
    if services.email_suppress(
        email=event.recipient, reason=reason, detail=str(detail), provider_event_id=str(event.event_id or "")
    ):
        logger.info("email address suppressed after %s (%s)", event.event_type, esp_name)


def _secret_required(view_class):
    inner = view_class.as_view()

    @csrf_exempt
    def view(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            raise Http404("Email tracking is not configured.")
        return inner(request, *args, **kwargs)

    return view


urlpatterns = [
    path("postmark/tracking/", _secret_required(PostmarkTrackingWebhookView), name="postmark_tracking_webhook"),
    path("amazon_ses/tracking/", _secret_required(AmazonSESTrackingWebhookView), name="amazon_ses_tracking_webhook"),
]
