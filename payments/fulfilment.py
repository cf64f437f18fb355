"""What a settled payment does, per purpose, registered by the side that owns the purpose.

payments never imports bookings or accounts models: an app registers a handler for its
purpose (e.g. bookings registers "booking" in its AppConfig.ready), and the settlement
services call it inside the same transaction that moves the Payment, so a failing handler
rolls the status move back and the webhook is retried.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .states import UnknownPurpose

if TYPE_CHECKING:
    from .models import Payment, Refund


class FulfilmentHandler:
    """Subclass and override; each hook runs at most once per transition, under a row lock."""

    def on_succeeded(self, *, payment: Payment) -> None:
        raise NotImplementedError

    def on_refunded(self, *, payment: Payment, refund: Refund) -> dict | None:
        """Undo what the refunded amount paid for. `payment.amount_refunded_pence` already
        includes `refund.amount_pence`. May return notes stored on refund.metadata."""
        return None

    def on_failed(self, *, payment: Payment) -> None:
        return None

    def return_link(self, *, payment: Payment) -> tuple[str, str] | None:
        """(label, path) of the page a payment that failed or was cancelled leads back to; None for
        the default (buying points)."""
        return None


def return_link(payment: Payment) -> tuple[str, str] | None:
    """Where the checkout result page offers to go back to for this payment's purpose."""
    handler = _handlers.get(payment.purpose)
    return handler.return_link(payment=payment) if handler is not None else None


_handlers: dict[str, FulfilmentHandler] = {}


def register(purpose: str, handler: FulfilmentHandler) -> None:
    existing = _handlers.get(purpose)
    if existing is not None and type(existing) is not type(handler):
        raise ValueError(f"A different fulfilment handler is already registered for {purpose!r}.")
    _handlers[purpose] = handler


def handler_for(purpose: str) -> FulfilmentHandler:
    try:
        return _handlers[purpose]
    except KeyError:
        raise UnknownPurpose(f"No fulfilment handler is registered for purpose {purpose!r}.") from None


def is_registered(purpose: str) -> bool:
    return purpose in _handlers


# Observers of every purpose (e.g. referrals qualify on a first purchase). They run inside
# the same transaction as the purpose handler, after it, so a failure rolls both back.
_succeeded_observers: list = []
_refunded_observers: list = []


def observe_succeeded(fn) -> None:
    if fn not in _succeeded_observers:
        _succeeded_observers.append(fn)


def observe_refunded(fn) -> None:
    if fn not in _refunded_observers:
        _refunded_observers.append(fn)


def payment_succeeded(*, payment: Payment) -> None:
    handler_for(payment.purpose).on_succeeded(payment=payment)
    for observer in _succeeded_observers:
        observer(payment=payment)


def payment_refunded(*, payment: Payment, refund: Refund) -> dict | None:
    notes = handler_for(payment.purpose).on_refunded(payment=payment, refund=refund)
    for observer in _refunded_observers:
        observer(payment=payment, refund=refund)
    return notes
