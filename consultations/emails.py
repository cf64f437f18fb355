"""Consultation emails: `consultations/email/<name>.subject.txt`, `.txt`, `.html`.

Services queue them with services.common.email_on_commit (a Celery task by booking id), so an
email only goes out once the change it announces is committed. Recipients: "client", "expert",
"staff" (the support inbox).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from bookings.emails import local_moment, local_when
from bookings.models import Booking
from core.mailer import absolute_url, send_email
from core.money import format_pence

from .models import Dispute


def consultation_email_send(
    *, booking_id: int, template: str, recipients, extra: dict | None = None, idempotency_key: str | None = None
) -> int:
    """Send `template` to each recipient ("client", "expert", "staff"); with `idempotency_key`, once each."""
    extra = dict(extra or {})
    booking = Booking.objects.select_related("client", "expert", "expert__user", "session_type").get(pk=booking_id)
    dispute = None
    if extra.get("dispute_id"):
        dispute = Dispute.objects.filter(pk=extra["dispute_id"]).first()
    sent = 0
    for recipient in recipients:
        if recipient == "client":
            email, name, zone, url = (
                booking.client.email,
                booking.client.full_name,
                booking.client.timezone,
                reverse("bookings:detail", args=[booking.pk]),
            )
        elif recipient == "expert":
            email, name, zone, url = (
                booking.expert.user.email,
                booking.expert.display_name,
                booking.expert.timezone,
                reverse("consultations:expert_detail", args=[booking.pk]),
            )
        elif recipient == "staff":
            email, name, zone = settings.SUPPORT_EMAIL, "TalentVisa team", "Europe/London"
            url = reverse("admin:consultations_dispute_change", args=[dispute.pk]) if dispute else "/admin/"
        else:
            raise ValueError(f"unknown recipient {recipient!r}")
        context = {
            "booking": booking,
            "dispute": dispute,
            "recipient": recipient,
            "name": name,
            "client_name": booking.client.full_name or "Your client",
            "expert_name": booking.expert.display_name,
            "when": local_when(booking.start_at, booking.end_at, zone),
            "action_url": absolute_url(url),
            "refund": format_pence(int(extra.get("refund_pence") or 0), booking.currency),
            **extra,
        }
        if extra.get("deadline_at"):  # a moment, shown in the recipient's own zone
            context["deadline"] = local_moment(dt.datetime.fromisoformat(extra["deadline_at"]), zone)
        if send_email(
            template=f"consultations/email/{template}",
            to=email,
            context=context,
            idempotency_key=f"{idempotency_key}:{recipient}" if idempotency_key else None,
        ):
            sent += 1
    return sent
