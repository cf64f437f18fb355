"""The expert's calendar feed: a secret iCal address Google, Outlook and Apple Calendar subscribe to."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from expert_marketplace.selectors import expert_by_feed_token

from .. import ics, selectors
from .common import now


@require_GET
def expert_feed(request, token: str):
    """No login (calendar servers fetch it): the token is the secret; a wrong one is 404."""
    expert = expert_by_feed_token(token=token)
    bookings = selectors.expert_feed_bookings(expert_id=expert.pk, now=now())
    response = HttpResponse(
        ics.expert_feed_ics(bookings=bookings, cancelled_statuses=selectors.FEED_CANCELLED),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="talentvisa-consultations.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
