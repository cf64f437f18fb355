"""Reading an expert's own calendar (a secret iCal address) into busy intervals. No Django models.

The one module that talks to outside calendar servers. `fetch_ics` downloads with timeouts, a size
limit and an SSRF guard: only http(s) (webcal:// is read as https://), every host the URL or a
redirect names is resolved and refused when any address is private, loopback, link-local,
multicast or reserved, and the connection is made to the address that was checked (so a DNS
answer cannot change between the check and the connect). `busy_intervals` turns the file into
UTC intervals: recurring events (RRULE, RDATE, EXDATE, moved occurrences) through
recurring-ical-events, TZID and X-WR-TIMEZONE zones, floating times and all-day events in the
expert's zone; free (TRANSP:TRANSPARENT) and cancelled events are skipped.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import socket
import ssl
import time
import zoneinfo
from urllib.parse import urljoin, urlsplit

import recurring_ical_events
from icalendar import Calendar

MAX_BYTES = 2 * 1024 * 1024  # 2 MB: a busy personal calendar exported for a year is well under
CONNECT_TIMEOUT = 5.0  # seconds, per connection
TOTAL_TIMEOUT = 20.0  # seconds for the whole download, redirects included
MAX_REDIRECTS = 3
MAX_INTERVALS = 5000  # more than anyone's year of meetings; bounds what a hostile file can cost
USER_AGENT = "TalentVisa-calendar-sync/1.0"


class CalendarImportError(Exception):
    """A download or parse problem, with a message the expert can act on."""


def normalise_url(raw: str) -> str:
    """The URL as we fetch it (webcal:// → https://); CalendarImportError when it can't be one."""
    url = (raw or "").strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):
        url = "https" + url[len(parts.scheme) :]
        parts = urlsplit(url)
        scheme = "https"
    if scheme not in ("http", "https") or not parts.hostname:
        raise CalendarImportError("Use the calendar's iCal address: it starts with https:// or webcal://.")
    if parts.username or parts.password:
        raise CalendarImportError("The address must not contain a user name or password.")
    return url


def _public_address(host: str, port: int, *, allow_private: bool) -> str:
    """One resolved address of `host` that is safe to connect to (all of them must be)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise CalendarImportError(f"We could not find the server {host}.") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise CalendarImportError(f"We could not find the server {host}.")
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not ip.is_global or ip.is_multicast:
                raise CalendarImportError(f"{host} is not a public internet address.")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch_ics(url: str, *, allow_private: bool = False, max_bytes: int = MAX_BYTES) -> bytes:
    """The body of `url` (at most max_bytes), following up to MAX_REDIRECTS redirects."""
    deadline = time.monotonic() + TOTAL_TIMEOUT
    url = normalise_url(url)
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        address = _public_address(parts.hostname, port, allow_private=allow_private)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CalendarImportError("The calendar server took too long to answer.")
        connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
        connection = connection_class(parts.hostname, port, address=address, timeout=min(CONNECT_TIMEOUT, remaining))
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*"})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = normalise_url(urljoin(url, response.getheader("Location")))
                continue
            if response.status != 200:
                raise CalendarImportError(f"The calendar server answered {response.status}; check the address.")
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise CalendarImportError(_too_big(max_bytes))
            chunks, size = [], 0
            while chunk := response.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise CalendarImportError(_too_big(max_bytes))
                if time.monotonic() > deadline:
                    raise CalendarImportError("The calendar server took too long to answer.")
                chunks.append(chunk)
            return b"".join(chunks)
        except TimeoutError as exc:
            raise CalendarImportError("The calendar server took too long to answer.") from exc
        except ssl.SSLError as exc:
            raise CalendarImportError("The calendar server's HTTPS certificate could not be verified.") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise CalendarImportError("We could not connect to the calendar server.") from exc
        finally:
            connection.close()
    raise CalendarImportError("The calendar address redirects too many times.")


def _too_big(max_bytes: int) -> str:
    return f"The calendar is larger than {max_bytes // (1024 * 1024)} MB; share a calendar with fewer events."


def _as_utc(value, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(dt.UTC)
    # An all-day date: the whole day on the expert's clock.
    return dt.datetime.combine(value, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


def busy_intervals(
    data: bytes,
    *,
    zone: zoneinfo.ZoneInfo,
    start: dt.datetime,
    end: dt.datetime,
    skip_uid_suffix: str = "",
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Busy (start, end) pairs in UTC that overlap [start, end), sorted and merged.

    `zone` reads floating times and all-day dates (the calendar's X-WR-TIMEZONE wins for floating
    times). Events whose UID ends with `skip_uid_suffix` (our own booking invitations) are left out:
    the bookings already block their time.
    """
    try:
        calendar = Calendar.from_ical(data)
    except Exception as exc:  # icalendar raises ValueError and friends on anything unreadable
        raise CalendarImportError("That address did not return an iCal calendar (.ics).") from exc
    if calendar.name != "VCALENDAR":
        raise CalendarImportError("That address did not return an iCal calendar (.ics).")
    try:
        occurrences = recurring_ical_events.of(calendar, skip_bad_series=True).between(
            start.astimezone(zone), end.astimezone(zone)
        )
    except Exception as exc:
        raise CalendarImportError(f"The calendar could not be read ({type(exc).__name__}).") from exc
    found: list[tuple[dt.datetime, dt.datetime]] = []
    for event in occurrences:
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        if skip_uid_suffix and str(event.get("UID", "")).endswith(skip_uid_suffix):
            continue
        begin = event.get("DTSTART")
        if begin is None:
            continue
        finish = event.get("DTEND")
        begin_utc = _as_utc(begin.dt, zone)
        if finish is not None:
            end_utc = _as_utc(finish.dt, zone)
        elif event.get("DURATION") is not None:
            end_utc = begin_utc + event["DURATION"].dt
        elif not isinstance(begin.dt, dt.datetime):
            end_utc = _as_utc(begin.dt + dt.timedelta(days=1), zone)
        else:
            continue  # a moment, not a stretch of time (RFC 5545: zero duration)
        if end_utc <= begin_utc or end_utc <= start or begin_utc >= end:
            continue
        found.append((begin_utc, end_utc))
        if len(found) > MAX_INTERVALS * 4:
            break
    found.sort()
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for begin_utc, end_utc in found:
        if merged and begin_utc <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end_utc))
        else:
            merged.append((begin_utc, end_utc))
    return merged[:MAX_INTERVALS]
