"""Calendar invitations for a booking: an .ics (RFC 5545, via icalendar) and add-to-calendar links.

Times are written in UTC (…Z), so every calendar shows them in its owner's zone. The UID is
stable per booking and SEQUENCE grows with every change (reschedule, reassign, and once more
on cancel), so calendars update the one event instead of adding another.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//TalentVisa//Bookings//EN"


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def booking_url(*, booking, name: str = "bookings:detail") -> str:
    """Absolute URL of a booking page (the wizard's `bookings:detail`; a fixed path until it exists)."""
    try:
        path = reverse(name, args=[booking.pk])
    except NoReverseMatch:
        path = f"/bookings/{booking.pk}/"
    return _site() + path


def booking_uid(booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "talentvisa"
    return f"booking-{booking.pk}@{host}"


def _title(booking, *, expert=None, session_type=None) -> str:
    expert, session_type = expert or booking.expert, session_type or booking.session_type
    return f"{session_type.name} with {expert.display_name} ({booking.reference})"


def booking_description(booking, *, for_expert: bool = False, expert=None) -> str:
    """The event's text; its links go to the reader's own page of the booking (the expert's is not the
    client's; a previous `expert` of a reassigned booking gets their list, the booking is no longer theirs)."""
    if expert is not None and expert.pk != booking.expert_id:
        manage = _site() + reverse("consultations:expert_list")
    else:
        manage = booking_url(booking=booking, name="consultations:expert_detail" if for_expert else "bookings:detail")
    lines = [
        f"TalentVisa consultation {booking.reference}: {booking.session_type.name}, {booking.duration_minutes} minutes.",
        f"Expert: {(expert or booking.expert).display_name}. Client: {booking.client.get_full_name()}.",
    ]
    if booking.meeting_url:
        lines.append(f"Join the video call: {booking.meeting_url}")
    lines += [
        f"Manage this booking: {manage}",
    ]
    if not for_expert:
        lines += [f"Reschedule: {manage}#reschedule", f"Cancel: {manage}#cancel"]
    return "\n".join(lines)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def _address(email: str, name: str, *, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name or email)
    if role:
        address.params["ROLE"] = vText(role)
        address.params["PARTSTAT"] = vText("ACCEPTED")
    return address


def _event(booking, *, cancelled: bool, for_expert: bool, expert=None, session_type=None) -> Event:
    expert = expert or booking.expert
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", _utc(timezone.now()))
    event.add("dtstart", _utc(booking.start_at))
    event.add("dtend", _utc(booking.end_at))
    event.add("summary", _title(booking, expert=expert, session_type=session_type))
    event.add("description", booking_description(booking, for_expert=for_expert, expert=expert))
    event.add("sequence", booking.calendar_sequence + (1 if cancelled else 0))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event["organizer"] = _address(settings.SUPPORT_EMAIL, settings.SITE_NAME)
    event.add(
        "attendee", _address(booking.client.email, booking.client.get_full_name(), role="REQ-PARTICIPANT"), encode=0
    )
    event.add("attendee", _address(expert.user.email, expert.display_name, role="REQ-PARTICIPANT"), encode=0)
    if booking.meeting_url:
        event.add("url", booking.meeting_url)
        event.add("location", booking.meeting_url)
    return event


def booking_ics(*, booking, method: str = "REQUEST", for_expert: bool = False, expert=None, session_type=None) -> bytes:
    """The booking as an iCalendar invitation (method REQUEST) or cancellation (method CANCEL).

    `expert` and `session_type` describe the event as it was for a previous expert (the CANCEL a
    reassignment sends them names them and their session, not the new expert's)."""
    method = method.upper()
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError('method must be "REQUEST" or "CANCEL"')
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(
        _event(booking, cancelled=method == "CANCEL", for_expert=for_expert, expert=expert, session_type=session_type)
    )
    return calendar.to_ical()


def expert_feed_ics(*, bookings, cancelled_statuses) -> bytes:
    """An expert's subscription feed (no METHOD: calendars poll it): one event per booking, with the
    invitation's UID and SEQUENCE so the two never show as separate events; cancelled ones carry
    STATUS:CANCELLED."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.SITE_NAME} consultations")
    calendar.add("x-published-ttl", "PT15M")  # Outlook and Apple read this as the refresh interval
    calendar.add("refresh-interval", dt.timedelta(minutes=15), parameters={"VALUE": "DURATION"})
    for booking in bookings:
        calendar.add_component(_event(booking, cancelled=booking.status in cancelled_statuses, for_expert=True))
    return calendar.to_ical()


def _compact(value: dt.datetime) -> str:
    return _utc(value).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(*, booking, for_expert: bool = False) -> str:
    params = {
        "action": "TEMPLATE",
        "text": _title(booking),
        "dates": f"{_compact(booking.start_at)}/{_compact(booking.end_at)}",
        "details": booking_description(booking, for_expert=for_expert),
        "location": booking.meeting_url,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def outlook_calendar_url(*, booking, for_expert: bool = False) -> str:
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": _title(booking),
        "startdt": _utc(booking.start_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": _utc(booking.end_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": booking_description(booking, for_expert=for_expert),
        "location": booking.meeting_url,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(params)
