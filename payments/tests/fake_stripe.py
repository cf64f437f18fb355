"""An in-process fake of the few Stripe endpoints we use, plugged under the real SDK.

The real stripe-python library builds every request (form encoding, headers, idempotency
keys, retries); this HTTPClient answers them from memory, so tests assert on exactly what
would go over the wire and never touch the network.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import stripe


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("Idempotency-Key")


@dataclass
class FakeStripeState:
    sessions: dict[str, dict] = field(default_factory=dict)
    refunds: dict[str, dict] = field(default_factory=dict)
    charges: dict[str, dict] = field(default_factory=dict)
    accounts: dict[str, dict] = field(default_factory=dict)
    transfers: dict[str, dict] = field(default_factory=dict)
    idempotent_responses: dict[str, tuple[str, int]] = field(default_factory=dict)


class FakeStripe(stripe.HTTPClient):
    name = "fake-stripe"

    def __init__(self):
        super().__init__()
        self.state = FakeStripeState()
        self.requests: list[RecordedRequest] = []
        self.fail_next: list[int] = []  # status codes to answer the next requests with
        self._ids = itertools.count(1)
        self._lock = threading.RLock()

    # --- stripe.HTTPClient ---------------------------------------------------------------
    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        params.update(parse_qsl(body, keep_blank_values=True))
        with self._lock:
            recorded = RecordedRequest(method.upper(), parts.path, params, dict(headers or {}))
            self.requests.append(recorded)
            if self.fail_next:
                return self._error(self.fail_next.pop(0), "injected failure")
            key = recorded.idempotency_key if recorded.method == "POST" else None
            if key and key in self.state.idempotent_responses:
                body_out, status = self.state.idempotent_responses[key]
                return body_out, status, {"Idempotent-Replayed": "true", "Request-Id": "req_replay"}
            body_out, status, rheaders = self._route(recorded)
            if key:
                self.state.idempotent_responses[key] = (body_out, status)
            return body_out, status, rheaders

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):
        raise NotImplementedError("streaming is not used by the payments gateway")

    def close(self):
        pass

    # --- routing ------------------------------------------------------------------------
    def _route(self, r: RecordedRequest):
        segments = r.path.strip("/").split("/")[1:]  # drop "v1"
        match (r.method, segments):
            case ("POST", ["checkout", "sessions"]):
                return self._ok(self._session_create(r.params))
            case ("GET", ["checkout", "sessions"]):
                found = [
                    s for s in self.state.sessions.values() if s["payment_intent"] == r.params.get("payment_intent")
                ]
                return self._ok(
                    {"object": "list", "data": found[:1], "has_more": False, "url": "/v1/checkout/sessions"}
                )
            case ("GET", ["checkout", "sessions", session_id]):
                if session_id not in self.state.sessions:
                    return self._error(404, f"No such checkout.session: '{session_id}'")
                return self._ok(self._session_view(session_id, expand="expand[0]" in r.params))
            case ("POST", ["checkout", "sessions", session_id, "expire"]):
                session = self.state.sessions.get(session_id)
                if session is None:
                    return self._error(404, f"No such checkout.session: '{session_id}'")
                if session["status"] != "open":
                    return self._error(400, "Only Checkout Sessions with a status of `open` can be expired.")
                session["status"] = "expired"
                return self._ok(dict(session))
            case ("POST", ["refunds"]):
                return self._refund_create(r.params)
            case ("POST", ["accounts"]):
                acct = {
                    "id": self._id("acct"),
                    "object": "account",
                    "email": r.params.get("email"),
                    "charges_enabled": False,
                    "details_submitted": False,
                }
                self.state.accounts[acct["id"]] = acct
                return self._ok(acct)
            case ("POST", ["account_links"]):
                return self._ok(
                    {
                        "object": "account_link",
                        "url": f"https://connect.stripe.test/setup/{r.params['account']}",
                        "expires_at": int(time.time()) + 300,
                    }
                )
            case ("POST", ["transfers"]):
                transfer = {
                    "id": self._id("tr"),
                    "object": "transfer",
                    "amount": int(r.params["amount"]),
                    "destination": r.params["destination"],
                    "amount_reversed": 0,
                }
                self.state.transfers[transfer["id"]] = transfer
                return self._ok(transfer)
            case ("POST", ["transfers", transfer_id, "reversals"]):
                transfer = self.state.transfers.get(transfer_id)
                if transfer is None:
                    return self._error(404, f"No such transfer: '{transfer_id}'")
                amount = int(r.params.get("amount", transfer["amount"] - transfer["amount_reversed"]))
                transfer["amount_reversed"] += amount
                return self._ok(
                    {"id": self._id("trr"), "object": "transfer_reversal", "amount": amount, "transfer": transfer_id}
                )
        return self._error(404, f"Unrecognized request URL ({r.method}: {r.path})")

    def _session_create(self, p: dict[str, str]) -> dict:
        session_id = self._id("cs_test")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": p["mode"],
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": int(p["line_items[0][price_data][unit_amount]"]) * int(p["line_items[0][quantity]"]),
            "currency": p["line_items[0][price_data][currency]"],
            "client_reference_id": p.get("client_reference_id"),
            "customer_email": p.get("customer_email"),
            "metadata": {k[len("metadata[") : -1]: v for k, v in p.items() if k.startswith("metadata[")},
            "payment_intent": None,
            "success_url": p["success_url"],
            "cancel_url": p["cancel_url"],
            "url": f"https://checkout.stripe.test/c/pay/{session_id}",
        }
        self.state.sessions[session_id] = session
        return session

    def _session_view(self, session_id: str, *, expand: bool) -> dict:
        session = dict(self.state.sessions[session_id])
        pi_id = session["payment_intent"]
        if expand and pi_id:
            charge = next(c for c in self.state.charges.values() if c["payment_intent"] == pi_id)
            session["payment_intent"] = {"id": pi_id, "object": "payment_intent", "latest_charge": dict(charge)}
        return session

    def _refund_create(self, p: dict[str, str]):
        charge = next((c for c in self.state.charges.values() if c["payment_intent"] == p.get("payment_intent")), None)
        if charge is None:
            return self._error(404, f"No such payment_intent: '{p.get('payment_intent')}'")
        amount = int(p.get("amount", charge["amount"] - charge["amount_refunded"]))
        if amount > charge["amount"] - charge["amount_refunded"]:
            return self._error(400, "Refund amount is greater than unrefunded amount on charge")
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        refund = {
            "id": self._id("re"),
            "object": "refund",
            "amount": amount,
            "status": "succeeded",
            "charge": charge["id"],
            "payment_intent": charge["payment_intent"],
        }
        self.state.refunds[refund["id"]] = refund
        return self._ok(refund)

    # --- helpers for tests ----------------------------------------------------------------
    def _id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):06d}"

    def _ok(self, obj: dict):
        return json.dumps(obj), 200, {"Request-Id": f"req_{next(self._ids)}"}

    def _error(self, status: int, message: str):
        kind = "api_error" if status >= 500 else "invalid_request_error"
        return json.dumps({"error": {"type": kind, "message": message}}), status, {"Request-Id": "req_err"}

    def pay(self, session_id: str) -> dict:
        """What the customer paying on Stripe's hosted page does to the session."""
        with self._lock:
            session = self.state.sessions[session_id]
            if session["payment_intent"] is None:
                pi_id, charge_id = self._id("pi"), self._id("ch")
                self.state.charges[charge_id] = {
                    "id": charge_id,
                    "object": "charge",
                    "amount": session["amount_total"],
                    "amount_refunded": 0,
                    "refunded": False,
                    "currency": session["currency"],
                    "payment_intent": pi_id,
                    "receipt_url": f"https://pay.stripe.test/receipts/{charge_id}",
                }
                session.update(payment_intent=pi_id, status="complete", payment_status="paid")
            return dict(session)

    def expire(self, session_id: str) -> dict:
        with self._lock:
            self.state.sessions[session_id]["status"] = "expired"
            return dict(self.state.sessions[session_id])

    def complete_unpaid(self, session_id: str) -> dict:
        """A delayed payment method: the session completes but the money is still clearing."""
        with self._lock:
            session = self.state.sessions[session_id]
            session.update(status="complete", payment_status="unpaid")
            return dict(session)

    def charge_for(self, session_id: str) -> dict:
        pi_id = self.state.sessions[session_id]["payment_intent"]
        return next(c for c in self.state.charges.values() if c["payment_intent"] == pi_id)

    def refund_in_dashboard(self, session_id: str, amount: int) -> dict:
        with self._lock:
            charge = self.charge_for(session_id)
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
            return dict(charge)

    def posts_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path == path]


_current: FakeStripe | None = None


def install(fake: FakeStripe | None) -> None:
    global _current
    _current = fake


def current_client() -> FakeStripe:
    """The factory named by settings.PAYMENTS_STRIPE_HTTP_CLIENT_FACTORY in tests."""
    assert _current is not None, "use the stripe_fake fixture"
    return _current


_event_ids = itertools.count(1)


def make_event(event_type: str, obj: dict, *, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_test_{next(_event_ids):06d}_{int(time.time() * 1000)}",
        "object": "event",
        "api_version": "2025-01-01",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }


def signed_headers(payload: str, secret: str, *, timestamp: int | None = None) -> dict[str, str]:
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return {"HTTP_STRIPE_SIGNATURE": header}
