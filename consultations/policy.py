"""The rules of consultations as pure functions: commission maths and the time windows.

Commission rounding (integer pence, no floats):

    commission = floor(gross × bps / 10,000 + ½)      i.e. round half up
               = (gross × bps + 5,000) // 10,000
    net        = gross − commission

so gross == commission + net for every amount. Examples: 4,999p at 1,750 bps → 874.825 → 875p
commission, 4,124p net; 1p at 2,000 bps → 0.2 → 0p commission, 1p net; 333p at 2,000 bps →
66.6 → 67p commission, 266p net; 25p at 2,000 bps → 5p exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

BPS_DENOMINATOR = 10_000


@dataclass(frozen=True)
class Split:
    gross_pence: int
    commission_pence: int
    net_pence: int


def commission_pence(*, gross_pence: int, bps: int) -> int:
    """Round half up in integer maths: floor(gross × bps / 10,000 + ½)."""
    if gross_pence < 0 or bps < 0 or bps > BPS_DENOMINATOR:
        raise ValueError("gross must be >= 0 and bps within 0..10,000")
    return (gross_pence * bps + BPS_DENOMINATOR // 2) // BPS_DENOMINATOR


def split(*, gross_pence: int, bps: int) -> Split:
    commission = commission_pence(gross_pence=gross_pence, bps=bps)
    return Split(gross_pence=gross_pence, commission_pence=commission, net_pence=gross_pence - commission)


def expert_share_of_refund(*, refund_pence: int, bps: int) -> int:
    """What a (partial) refund takes back from the expert: the refund less the platform's commission on it."""
    return split(gross_pence=refund_pence, bps=bps).net_pence


def dispute_window() -> dt.timedelta:
    from core.conf import setting

    return dt.timedelta(hours=int(setting("DISPUTE_WINDOW_HOURS")))


def auto_complete_after() -> dt.timedelta:
    return dt.timedelta(hours=int(settings.AUTO_COMPLETE_HOURS))


def dispute_deadline(*, booking) -> dt.datetime:
    """The last instant a client may raise a dispute: the session end plus the dispute window."""
    return booking.end_at + dispute_window()


def within_dispute_window(*, booking, now: dt.datetime) -> bool:
    return booking.start_at <= now <= dispute_deadline(booking=booking)
