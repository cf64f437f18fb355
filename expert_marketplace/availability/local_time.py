"""Turning "09:00–17:00 on 29 March 2026 in Europe/London" into real (UTC) time, DST included.

The rule: an instant is inside a local interval when the expert's own clock, at that instant,
shows that date and a time within [start, end). It follows that

* on a spring-forward date, clock times in the gap never occur, so they cover nothing: an
  interval 00:30–03:30 on 29 March 2026 in London is 00:30 GMT → 03:30 BST, two real hours,
  and an interval inside the gap is empty;
* on a fall-back date, the repeated clock times occur twice and both passes are covered: the
  same interval on 25 October 2026 is 00:30 BST → 03:30 GMT, four real hours.

An interval can therefore map to more than one stretch of real time (01:15–01:45 on a fall-back
night is two separate half hours), each returned as pieces of constant UTC offset so callers can
lay a local-clock grid over them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_RESOLUTION = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class OffsetPiece:
    """Real time [start, end) (aware UTC) during which the expert's clock runs at UTC + `offset`."""

    start: datetime
    end: datetime
    offset: timedelta


def utc_offset_at(instant: datetime, zone: ZoneInfo) -> timedelta:
    return instant.astimezone(zone).utcoffset()


def _both_readings(wall: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants zoneinfo gives a naive wall time with fold=0 and fold=1.

    They differ only near a transition: for a repeated time they are its two occurrences; for a
    time in a gap they straddle it (PEP 495), which still brackets every instant we look for.
    """
    return (
        wall.replace(tzinfo=zone, fold=0).astimezone(UTC),
        wall.replace(tzinfo=zone, fold=1).astimezone(UTC),
    )


def _offset_changes(start: datetime, end: datetime, zone: ZoneInfo) -> list[OffsetPiece]:
    """Split real time [start, end) into pieces of constant UTC offset.

    Offsets at both ends equal means no transition in between (real zones never have two that
    cancel out within a day). Otherwise bisect down to the microsecond where the offset changes.
    """
    pieces = []
    while start < end:
        first = utc_offset_at(start, zone)
        if utc_offset_at(end - _RESOLUTION, zone) == first:
            pieces.append(OffsetPiece(start, end, first))
            break
        same, changed = start, end - _RESOLUTION  # invariant: offset(same) == first != offset(changed)
        while changed - same > _RESOLUTION:
            middle = same + (changed - same) // 2
            if utc_offset_at(middle, zone) == first:
                same = middle
            else:
                changed = middle
        pieces.append(OffsetPiece(start, changed, first))
        start = changed
    return pieces


def wall_interval_pieces(wall_start: datetime, wall_end: datetime, zone: ZoneInfo) -> list[list[OffsetPiece]]:
    """Real time covered by the naive local interval [wall_start, wall_end) in `zone`.

    Returns the covered stretches in UTC order; each stretch is a list of its constant-offset
    pieces, which touch end to start (a stretch crossing a spring-forward gap has two).
    """
    lower = min(_both_readings(wall_start, zone))
    upper = max(_both_readings(wall_end, zone))
    stretches: list[list[OffsetPiece]] = []
    for segment in _offset_changes(lower, upper, zone):
        # Within a segment the clock reads instant + offset, so the covered part is a plain clip.
        start = max(segment.start, (wall_start - segment.offset).replace(tzinfo=UTC))
        end = min(segment.end, (wall_end - segment.offset).replace(tzinfo=UTC))
        if start >= end:
            continue
        piece = OffsetPiece(start, end, segment.offset)
        if stretches and stretches[-1][-1].end == start:
            stretches[-1].append(piece)
        else:
            stretches.append([piece])
    return stretches
