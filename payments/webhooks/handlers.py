"""Built-in handlers for the Stripe events payments itself understands.

Ordering: Stripe may deliver events in any order, so no handler trusts the event body as
the latest state. Checkout events re-read the session from the API and settle from that;
charge.refunded, if it beats checkout.session.completed, first finds and settles the
session behind the charge's PaymentIntent, then books the refund. Together with the
forward-only status map, any order of delivery ends in the same state.
"""

from __future__ import annotations

from ..gateways import ChargeSummary, get_gateway
from ..models import Payment
from ..services import checkout_fulfil, checkout_mark_failed, payment_reconcile_refunds, payment_settle_from_session
from .registry import register_event_handler


def _source(event: dict) -> str:
    return f"webhook {event['id']} ({event['type']})"


def _is_ours(obj: dict) -> bool:
    # Other integrations on the same Stripe account send sessions too; ours carry payment_id.
    return bool((obj.get("metadata") or {}).get("payment_id"))


def on_checkout_session_settle(*, event: dict, webhook_event) -> None:
    session = event["data"]["object"]
    if not _is_ours(session):
        webhook_event.note = "not a TalentVisa checkout session"
        return
    checkout_fulfil(session_id=session["id"], source=_source(event))


def on_checkout_session_async_failed(*, event: dict, webhook_event) -> None:
    session = event["data"]["object"]
    if not _is_ours(session):
        webhook_event.note = "not a TalentVisa checkout session"
        return
    # Settle first from the retrieved session (fills our ids if this event arrives first).
    checkout_fulfil(session_id=session["id"], source=_source(event))
    checkout_mark_failed(session_id=session["id"], source=_source(event), note="delayed payment failed")


def on_charge_refunded(*, event: dict, webhook_event) -> None:
    obj = event["data"]["object"]
    charge = ChargeSummary(
        id=obj["id"],
        payment_intent_id=obj.get("payment_intent") or "",
        amount=int(obj.get("amount") or 0),
        amount_refunded=int(obj.get("amount_refunded") or 0),
        currency=obj.get("currency") or "",
        receipt_url=obj.get("receipt_url") or "",
    )
    if not charge.payment_intent_id:
        webhook_event.note = "charge without a payment intent"
        return
    if not Payment.objects.filter(payment_intent_id=charge.payment_intent_id).exists():
        # Out of order (or not ours): ask Stripe which checkout session this charge paid.
        session = get_gateway("stripe").checkout_find_by_payment_intent(payment_intent_id=charge.payment_intent_id)
        if session is None or not session.metadata.get("payment_id"):
            webhook_event.note = "not a TalentVisa payment"
            return
        payment_settle_from_session(session=session, source=_source(event))
    payment_reconcile_refunds(charge=charge, source=_source(event))


def register() -> None:
    for event_type in (
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.expired",
    ):
        register_event_handler(event_type, on_checkout_session_settle)
    register_event_handler("checkout.session.async_payment_failed", on_checkout_session_async_failed)
    register_event_handler("charge.refunded", on_charge_refunded)
