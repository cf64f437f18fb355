"""The Stripe gateway: the only module in the project that imports `stripe`.

Every POST carries a deterministic idempotency key built from our own row ids, so a retry
after a timeout (ours or the SDK's own max_network_retries) can never charge, refund or
pay out twice.
"""

from __future__ import annotations

import json
from typing import Any

import stripe

from .base import CheckoutSession, GatewayError, GatewayNotFound, GatewayRefund, PaymentGateway

MAX_NETWORK_RETRIES = 2  # StripeClient's default is 0; the legacy global default was 2.


class WebhookSignatureInvalid(Exception):
    """Missing, wrong or stale Stripe-Signature header; the body must not be trusted."""


def webhook_verify(*, payload: bytes, sig_header: str | None, secret: str) -> dict[str, Any]:
    """Check the signature on the raw body and return the event as plain JSON data."""
    if not sig_header or not secret:
        raise WebhookSignatureInvalid("missing signature or secret")
    try:
        # Only the signature: construct_event would also build an Event, which crashes (500) on
        # a signed body that is valid JSON but not an object, e.g. an array.
        stripe.WebhookSignature.verify_header(payload, sig_header, secret, stripe.Webhook.DEFAULT_TOLERANCE)
    except stripe.SignatureVerificationError as exc:
        raise WebhookSignatureInvalid(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise WebhookSignatureInvalid("payload is not UTF-8") from exc
    try:
        # Plain dicts are easier to store and read than StripeObjects.
        return json.loads(payload)
    except ValueError as exc:
        raise WebhookSignatureInvalid("payload is not valid JSON") from exc


def _field(obj: Any, name: str, default: Any = None) -> Any:
    # StripeObject is not a dict in stripe 16 (no .get); expanded fields may be ids or objects.
    try:
        value = obj[name]
    except (KeyError, TypeError):
        return default
    return default if value is None else value


def _session_from_stripe(session: Any) -> CheckoutSession:
    payment_intent = _field(session, "payment_intent", "")
    payment_intent_id, charge_id, receipt_url = "", "", ""
    if isinstance(payment_intent, str):
        payment_intent_id = payment_intent
    elif payment_intent:
        payment_intent_id = _field(payment_intent, "id", "")
        charge = _field(payment_intent, "latest_charge", "")
        if isinstance(charge, str):
            charge_id = charge
        elif charge:
            charge_id = _field(charge, "id", "")
            receipt_url = _field(charge, "receipt_url", "")
    metadata = _field(session, "metadata", {})
    return CheckoutSession(
        id=session["id"],
        url=_field(session, "url", ""),
        status=_field(session, "status", ""),
        payment_status=_field(session, "payment_status", ""),
        amount_total=int(_field(session, "amount_total", 0)),
        currency=_field(session, "currency", ""),
        client_reference_id=_field(session, "client_reference_id", ""),
        metadata=metadata.to_dict() if hasattr(metadata, "to_dict") else dict(metadata),
        payment_intent_id=payment_intent_id,
        charge_id=charge_id,
        receipt_url=receipt_url,
    )


class StripeGateway(PaymentGateway):
    name = "stripe"

    def __init__(self, *, api_key: str, api_base: str = "", http_client: stripe.HTTPClient | None = None):
        base_addresses = {"api": api_base, "connect": api_base} if api_base else None
        self.client = stripe.StripeClient(
            api_key,
            http_client=http_client,
            max_network_retries=MAX_NETWORK_RETRIES,
            base_addresses=base_addresses,
        )

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except stripe.StripeError as exc:
            if exc.http_status == 404:  # e.g. a session of another environment sharing the account
                raise GatewayNotFound(f"Stripe: {exc.user_message or exc}") from exc
            raise GatewayError(f"Stripe: {exc.user_message or exc}") from exc

    def checkout_create(
        self,
        *,
        payment_id,
        amount_pence,
        currency,
        description,
        purpose,
        customer_email,
        success_url,
        cancel_url,
        metadata,
        transfer_group="",
    ):
        payment_intent_data: dict[str, Any] = {"metadata": metadata, "description": description}
        if transfer_group:
            payment_intent_data["transfer_group"] = transfer_group
        params = {
            "mode": "payment",
            "client_reference_id": str(payment_id),
            "customer_email": customer_email,
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency,
                        "unit_amount": amount_pence,
                        "product_data": {"name": description},
                    },
                }
            ],
            "metadata": metadata,
            "payment_intent_data": payment_intent_data,
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        session = self._call(
            self.client.v1.checkout.sessions.create,
            params=params,
            options={"idempotency_key": f"checkout-payment-{payment_id}"},
        )
        return _session_from_stripe(session)

    def checkout_retrieve(self, *, session_id):
        session = self._call(
            self.client.v1.checkout.sessions.retrieve,
            session_id,
            params={"expand": ["payment_intent.latest_charge"]},
        )
        return _session_from_stripe(session)

    def checkout_expire(self, *, session_id):
        session = self._call(self.client.v1.checkout.sessions.expire, session_id)
        return _session_from_stripe(session)

    def checkout_find_by_payment_intent(self, *, payment_intent_id):
        page = self._call(
            self.client.v1.checkout.sessions.list, params={"payment_intent": payment_intent_id, "limit": 1}
        )
        sessions = list(page["data"])
        if not sessions:
            return None
        # The list item is not expanded; retrieve it to learn the charge and receipt.
        return self.checkout_retrieve(session_id=sessions[0]["id"])

    def refund_create(self, *, payment_intent_id, amount_pence, refund_id, metadata):
        refund = self._call(
            self.client.v1.refunds.create,
            params={"payment_intent": payment_intent_id, "amount": amount_pence, "metadata": metadata},
            options={"idempotency_key": f"refund-{refund_id}"},
        )
        return GatewayRefund(id=refund["id"], status=refund["status"], amount=int(refund["amount"]))

    def connect_account_create(self, *, reference, email, country="GB"):
        account = self._call(
            self.client.v1.accounts.create,
            params={
                "type": "express",
                "country": country,
                "email": email,
                "capabilities": {"transfers": {"requested": True}},
                "metadata": {"reference": reference},
            },
            options={"idempotency_key": f"account-{reference}"},
        )
        return account["id"]

    def connect_onboarding_link_create(self, *, account_id, refresh_url, return_url):
        link = self._call(
            self.client.v1.account_links.create,
            params={
                "account": account_id,
                "refresh_url": refresh_url,
                "return_url": return_url,
                "type": "account_onboarding",
            },
        )
        return link["url"]

    def transfer_create(
        self,
        *,
        reference,
        amount_pence,
        currency,
        destination_account_id,
        source_charge_id="",
        transfer_group="",
        metadata=None,
    ):
        params: dict[str, Any] = {
            "amount": amount_pence,
            "currency": currency,
            "destination": destination_account_id,
            "metadata": {"reference": reference, **(metadata or {})},
        }
        if source_charge_id:
            # Ties the transfer to the charge so it waits for those funds to be available.
            params["source_transaction"] = source_charge_id
        if transfer_group:
            params["transfer_group"] = transfer_group
        transfer = self._call(
            self.client.v1.transfers.create, params=params, options={"idempotency_key": f"transfer-{reference}"}
        )
        return transfer["id"]

    def transfer_reverse(self, *, transfer_id, reference, amount_pence=None):
        params: dict[str, Any] = {"metadata": {"reference": reference}}
        if amount_pence is not None:
            params["amount"] = amount_pence
        reversal = self._call(
            self.client.v1.transfers.reversals.create,
            transfer_id,
            params=params,
            options={"idempotency_key": f"reversal-{reference}"},
        )
        return reversal["id"]
