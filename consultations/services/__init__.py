"""Writes for consultations. Views, forms, admin actions, Celery tasks and payment hooks call these.

A package because the whole is past ~500 lines: core (the session: completion, no-show, notes),
reviews, disputes, earnings (the ledger) and payouts (transfers and reversals).
"""

from .core import (
    consultation_complete,
    consultation_ensure,
    consultation_notes_update,
    consultation_report_no_show,
    consultations_auto_complete,
)
from .disputes import dispute_kinds_for, dispute_open, dispute_resolve, dispute_respond
from .earnings import (
    earning_adjustment_create,
    earning_create_for_booking,
    earning_create_for_late_cancel,
    earnings_on_payment_refunded,
    earnings_release,
)
from .errors import ConsultationError, InvalidTransition
from .payouts import (
    earning_payout,
    earning_payout_retry,
    earning_reverse_transfer,
    earnings_payout_run,
    transfer_reversed_webhook,
)
from .reviews import expert_rating_refresh, review_create, review_moderate, review_reply

__all__ = [
    "ConsultationError",
    "InvalidTransition",
    "consultation_complete",
    "consultation_ensure",
    "consultation_notes_update",
    "consultation_report_no_show",
    "consultations_auto_complete",
    "dispute_kinds_for",
    "dispute_open",
    "dispute_resolve",
    "dispute_respond",
    "earning_adjustment_create",
    "earning_create_for_booking",
    "earning_create_for_late_cancel",
    "earning_payout",
    "earning_payout_retry",
    "earning_reverse_transfer",
    "earnings_on_payment_refunded",
    "earnings_payout_run",
    "earnings_release",
    "expert_rating_refresh",
    "review_create",
    "review_moderate",
    "review_reply",
    "transfer_reversed_webhook",
]
