"""The interface every payment gateway implements, and the plain values it returns.

Services only ever see these dataclasses, never SDK objects, so the stripe package stays
inside payments/gateways/stripe.py.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field


class GatewayError(Exception):
    """The gateway refused or could not be reached; nothing on our side was changed by it."""


class GatewayNotFound(GatewayError):
    """The gateway does not know this object (HTTP 404): asking again will not change the answer."""


class GatewayUnavailable(GatewayError):
    """No usable gateway is configured (e.g. test mode disabled in production without Stripe)."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    amount_total: int
    currency: str
    client_reference_id: str = ""
    metadata: dict = field(default_factory=dict)
    payment_intent_id: str = ""
    charge_id: str = ""
    receipt_url: str = ""

    @property
    def is_paid(self) -> bool:
        return self.payment_status in ("paid", "no_payment_required")

    @property
    def is_expired(self) -> bool:
        return self.status == "expired"


@dataclass(frozen=True)
class GatewayRefund:
    id: str
    status: str  # succeeded | pending | failed | ...
    amount: int


@dataclass(frozen=True)
class ChargeSummary:
    """What a charge.refunded event tells us, in our words."""

    id: str
    payment_intent_id: str
    amount: int
    amount_refunded: int
    currency: str
    receipt_url: str = ""


class PaymentGateway(abc.ABC):
    name: str

    @abc.abstractmethod
    def checkout_create(
        self,
        *,
        payment_id: int,
        amount_pence: int,
        currency: str,
        description: str,
        purpose: str,
        customer_email: str,
        success_url: str,
        cancel_url: str,
        metadata: dict[str, str],
        transfer_group: str = "",
    ) -> CheckoutSession:
        """Start a hosted checkout for one payment. Idempotent per payment id."""

    @abc.abstractmethod
    def checkout_retrieve(self, *, session_id: str) -> CheckoutSession: ...

    @abc.abstractmethod
    def checkout_expire(self, *, session_id: str) -> CheckoutSession:
        """Expire an open checkout session so it can no longer be paid (e.g. a slot hold ran out).

        Raises GatewayError if the session is not open any more (already paid or expired)."""

    @abc.abstractmethod
    def checkout_find_by_payment_intent(self, *, payment_intent_id: str) -> CheckoutSession | None: ...

    @abc.abstractmethod
    def refund_create(
        self, *, payment_intent_id: str, amount_pence: int, refund_id: int, metadata: dict[str, str]
    ) -> GatewayRefund:
        """Refund part or all of a payment. Idempotent per our Refund row id."""

    @abc.abstractmethod
    def connect_account_create(self, *, reference: str, email: str, country: str = "GB") -> str:
        """Create an Express connected account; returns its id. Idempotent per reference."""

    @abc.abstractmethod
    def connect_onboarding_link_create(self, *, account_id: str, refresh_url: str, return_url: str) -> str: ...

    @abc.abstractmethod
    def transfer_create(
        self,
        *,
        reference: str,
        amount_pence: int,
        currency: str,
        destination_account_id: str,
        source_charge_id: str = "",
        transfer_group: str = "",
        metadata: dict[str, str] | None = None,
    ) -> str:
        """Pay a connected account; returns the transfer id. Idempotent per reference (e.g. earning-12)."""

    @abc.abstractmethod
    def transfer_reverse(self, *, transfer_id: str, reference: str, amount_pence: int | None = None) -> str:
        """Take back all or part of a transfer; returns the reversal id. Idempotent per reference."""
