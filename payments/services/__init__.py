"""Writes for payments. Views, admin actions, webhooks and other apps call these."""

from .checkout import checkout_fulfil, checkout_mark_failed, checkout_start, payment_create, payment_settle_from_session
from .refunds import payment_reconcile_refunds, refund_create
from .transitions import payment_transition

__all__ = [
    "checkout_fulfil",
    "checkout_mark_failed",
    "checkout_start",
    "payment_create",
    "payment_reconcile_refunds",
    "payment_settle_from_session",
    "payment_transition",
    "refund_create",
]
