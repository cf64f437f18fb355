"""Points packages: buying points with money, and taking unspent points back on a refund.

This is the only place payments touches accounts, and only through accounts.services.
"""

from __future__ import annotations

from accounts.models import LedgerEntry
from accounts.services import InsufficientBalance, Source, points_deduct, points_grant
from core.money import format_pence

from .. import fulfilment
from ..models import Payment, PointsPackage, Refund

PURPOSE = "points_purchase"


def _points_due_for_refunded(*, points: int, refunded_pence: int, amount_pence: int) -> int:
    # Rounded share of the package the refunded money paid for. Computing it on the running
    # total (not per refund) makes several partial refunds add up to exactly all the points.
    return (points * refunded_pence + amount_pence // 2) // amount_pence


class PointsPurchaseFulfilment(fulfilment.FulfilmentHandler):
    def on_succeeded(self, *, payment: Payment) -> None:
        points_grant(
            user=payment.user,
            amount=int(payment.metadata["points"]),
            reason=LedgerEntry.Reason.PURCHASE,
            description=f"Bought {payment.description}",
            # The Checkout Session id: whichever of webhook, success page or replay gets here
            # first credits; every later arrival finds this ledger row.
            idempotency_key=payment.checkout_session_id,
            source=Source("payment", str(payment.pk)),
        )

    def on_refunded(self, *, payment: Payment, refund: Refund) -> dict:
        points = int(payment.metadata["points"])
        before = payment.amount_refunded_pence - refund.amount_pence
        to_remove = _points_due_for_refunded(
            points=points, refunded_pence=payment.amount_refunded_pence, amount_pence=payment.amount_pence
        ) - _points_due_for_refunded(points=points, refunded_pence=before, amount_pence=payment.amount_pence)
        removed = self._deduct_what_is_left(payment=payment, refund=refund, to_remove=to_remove)
        return {"points_to_remove": to_remove, "points_removed": removed, "points_shortfall": to_remove - removed}

    def _deduct_what_is_left(self, *, payment: Payment, refund: Refund, to_remove: int) -> int:
        """Take back up to `to_remove` points, never below zero (some may already be spent)."""
        amount = to_remove
        # A concurrent spend can shrink the balance between attempts; a few tries settle it.
        for _ in range(3):
            if amount <= 0:
                return 0
            shortfall = to_remove - amount
            description = f"Refund of {format_pence(refund.amount_pence, payment.currency)} for {payment.description}"
            if shortfall:
                description += f": {shortfall} points already spent, not taken back"
            try:
                entry = points_deduct(
                    user=payment.user,
                    amount=amount,
                    reason=LedgerEntry.Reason.REVERSAL,
                    description=description,
                    idempotency_key=f"refund-points-{refund.pk}",
                    actor=refund.requested_by,
                )
                return -entry.amount
            except InsufficientBalance as exc:
                amount = min(amount, exc.available)
        return 0


def points_purchase_create(*, user, package: PointsPackage):
    """A Payment for one package; the terms are copied so later package edits don't change it."""
    from ..services import payment_create

    return payment_create(
        user=user,
        purpose=PURPOSE,
        amount_pence=package.price_pence,
        description=f"{package.points} points ({package.name})",
        metadata={"package_id": package.pk, "points": package.points, "package_name": package.name},
    )


def register() -> None:
    fulfilment.register(PURPOSE, PointsPurchaseFulfilment())
