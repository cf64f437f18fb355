"""Booking emails: `bookings/email/<name>.subject.txt`, `.txt`, `.html`, in each recipient's own zone.

Services queue them with services.core.email_on_commit (a Celery task by booking id), so an
email only goes out once the change it announces is committed.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from core.mailer import Attachment, absolute_url, send_email
from core.money import format_pence
from core.timezones import zone_or_default
from expert_marketplace.models import ExpertProfile, SessionType

from . import policy
from .ics import booking_ics, booking_url, google_calendar_url, outlook_calendar_url
from .models import Booking

# Which invitation each email carries (None: no attachment).
ICS_METHOD = {
    "booking_confirmed": "REQUEST",
    "booking_rescheduled": "REQUEST",
    "booking_reassigned": "REQUEST",
    "booking_cancelled": "CANCEL",
    "booking_reassigned_away": "CANCEL",
    "booking_refunded": "CANCEL",
    "booking_reminder": None,
    "booking_late_refund": None,
    "booking_message": None,
}


def local_moment(value: dt.datetime, zone_name: str) -> str:
    """'Friday 5 March 2027, 11:00 GMT (Europe/London)' in the given zone."""
    zone = zone_or_default(zone_name or "UTC")
    local = value.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {local:%Z} ({zone.key})"


def local_when(start: dt.datetime, end: dt.datetime, zone_name: str) -> str:
    """'Monday 26 October 2026, 15:30–16:30 IST (Asia/Kolkata)' in the given zone."""
    zone = zone_or_default(zone_name or "UTC")
    s, e = start.astimezone(zone), end.astimezone(zone)
    day = f"{s:%A} {s.day} {s:%B %Y}"
    end_text = f"{e:%H:%M}" if e.date() == s.date() else f"{e:%A} {e.day} {e:%B} {e:%H:%M}"
    return f"{day}, {s:%H:%M}–{end_text} {e:%Z} ({zone.key})"


def _recipient(booking: Booking, recipient: str, extra: dict) -> tuple:
    """(user, display name, zone name, is_expert, their page of this booking) of one recipient."""
    if recipient == "client":
        client = booking.client
        return client, client.get_full_name(), client.timezone, False, booking_url(booking=booking)
    expert_page = booking_url(booking=booking, name="consultations:expert_detail")
    if recipient == "expert":
        return booking.expert.user, booking.expert.display_name, booking.expert.timezone, True, expert_page
    if recipient == "old_expert":  # the booking is no longer theirs: their list, not its page
        old = ExpertProfile.objects.select_related("user").get(pk=extra["old_expert_id"])
        return old.user, old.display_name, old.timezone, True, absolute_url(reverse("consultations:expert_list"))
    raise ValueError(f"unknown recipient {recipient!r}")


def booking_email_send(
    *, booking_id: int, template: str, recipients, extra: dict | None = None, idempotency_key: str | None = None
) -> int:
    """Render and send `template` to each recipient ("client", "expert", "old_expert"); returns how many.

    With `idempotency_key` (the Celery message's), each recipient gets it once however often it runs."""
    extra = dict(extra or {})
    booking = Booking.objects.select_related("client", "expert", "expert__user", "session_type").get(pk=booking_id)
    method = ICS_METHOD[template]
    sent = 0
    for recipient in recipients:
        user, name, zone_name, is_expert, manage_url = _recipient(booking, recipient, extra)
        # Each side's invitation links to their own page of the booking; a previous expert's
        # cancellation describes the event as it was in their calendar.
        was = {}
        if recipient == "old_expert":
            old_session = SessionType.objects.filter(pk=extra.get("old_session_type_id")).first()
            was = {"expert": user.expert_profile, "session_type": old_session or booking.session_type}
        ics = booking_ics(booking=booking, method=method, for_expert=is_expert, **was) if method else None
        context = {
            "booking": booking,
            "recipient": recipient,
            "is_expert": is_expert,
            "name": name,
            "client_name": booking.client.get_full_name(),
            "expert_name": booking.expert.display_name,
            "when": local_when(booking.start_at, booking.end_at, zone_name),
            "when_utc": f"{booking.start_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC",
            "zone_name": zone_name,
            "price": format_pence(booking.price_pence, booking.currency),
            "manage_url": manage_url,
            "google_url": google_calendar_url(booking=booking, for_expert=is_expert),
            "outlook_url": outlook_calendar_url(booking=booking, for_expert=is_expert),
            "policy_summary": policy.policy_summary(),
            "session_name": was["session_type"].name if was else booking.session_type.name,
            **extra,
        }
        for key in ("refund", "forfeit", "expert_share"):
            if f"{key}_pence" in extra:
                context[key] = format_pence(int(extra[f"{key}_pence"]), booking.currency)
        if extra.get("old_start"):
            old_start = dt.datetime.fromisoformat(extra["old_start"])
            context["old_when"] = local_when(old_start, old_start + (booking.end_at - booking.start_at), zone_name)
        if send_email(
            template=f"bookings/email/{template}",
            to=user.email,
            context=context,
            attachments=[Attachment(f"{booking.reference}.ics", ics, f"text/calendar; method={method}; charset=UTF-8")]
            if ics is not None
            else (),
            idempotency_key=f"{idempotency_key}:{recipient}" if idempotency_key else None,
        ):
            sent += 1
    return sent
