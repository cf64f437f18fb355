"""The one map of allowed Payment status moves, and the domain errors of payments."""

from .models import Payment

S = Payment.Status

# A payment only ever moves forward: a late or replayed event can never undo a later state
# (e.g. a stale "completed, unpaid" snapshot cannot drag a paid payment back to pending).
PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    # created -> succeeded covers a webhook that beats our own "session created" write.
    S.CREATED: frozenset({S.PENDING, S.SUCCEEDED, S.FAILED, S.CANCELLED}),
    S.PENDING: frozenset({S.SUCCEEDED, S.FAILED, S.CANCELLED}),
    S.SUCCEEDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}

REFUNDABLE_STATUSES = frozenset({S.SUCCEEDED, S.PARTIALLY_REFUNDED})


class PaymentError(Exception):
    """Base class of the payments domain errors."""


class InvalidPaymentTransition(PaymentError):
    def __init__(self, *, payment_id: int, from_status: str, to_status: str):
        self.payment_id, self.from_status, self.to_status = payment_id, from_status, to_status
        super().__init__(f"Payment {payment_id} cannot move from {from_status} to {to_status}.")


class PaymentMismatch(PaymentError):
    """The gateway reports an amount/currency/owner that does not match our Payment row."""


class RefundNotAllowed(PaymentError):
    """The payment cannot be refunded by that amount (wrong status, or more than remains)."""


class UnknownPurpose(PaymentError):
    """No fulfilment handler is registered for the payment's purpose."""
