"""Stripe Connect: onboarding links and account.updated."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone as dj_timezone

from ..models import (
    ExpertEvent,
    ExpertProfile,
)

# --- Stripe Connect ----------------------------------------------------------------------------


def connect_reference(*, expert: ExpertProfile) -> str:
    return f"expert-{expert.pk}"


def expert_connect_onboarding_link(*, expert: ExpertProfile, refresh_url: str, return_url: str) -> str:
    """Create the Express account once (reused afterwards) and a fresh onboarding link."""
    from payments.gateways import GatewayUnavailable, get_gateway
    from payments.gateways.test_mode import test_mode_enabled

    gateway = get_gateway()
    if gateway.name == "test_mode" and not test_mode_enabled():
        # payments' test-mode gateway does not guard Connect itself; never hand out fake accounts live.
        raise GatewayUnavailable("Payouts are not available: Stripe is not configured and test mode is off.")
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().select_related("user").get(pk=expert.pk)
        if not locked.stripe_account_id:
            # The gateway call carries an idempotency key from our id, so a retry after a crash
            # between Stripe answering and this commit gets the same account back.
            locked.stripe_account_id = gateway.connect_account_create(
                reference=connect_reference(expert=locked), email=locked.user.email
            )
            locked.save(update_fields=["stripe_account_id", "updated_at"])
            ExpertEvent.record(
                locked,
                action=ExpertEvent.Action.CONNECT_CREATED,
                actor=locked.user,
                note=locked.stripe_account_id,
            )
    expert.stripe_account_id = locked.stripe_account_id
    return gateway.connect_onboarding_link_create(
        account_id=locked.stripe_account_id, refresh_url=refresh_url, return_url=return_url
    )


def expert_connect_account_sync(
    *,
    account_id: str,
    charges_enabled: bool,
    payouts_enabled: bool,
    details_submitted: bool,
    requirements_due: list[str],
    as_of: dt.datetime | None = None,
) -> ExpertProfile | None:
    """Apply an account's state (from account.updated, or the test-mode page). Idempotent.

    `as_of` is when Stripe produced that state (the event's `created`): an older event arriving
    after a newer one is ignored, so out-of-order delivery cannot roll the state back.
    """
    as_of = as_of or dj_timezone.now()
    with transaction.atomic():
        expert = ExpertProfile.objects.select_for_update().filter(stripe_account_id=account_id).first()
        if expert is None:
            return None
        if expert.connect_updated_at and as_of < expert.connect_updated_at:
            return expert  # an older state than the one already applied
        state = (charges_enabled, payouts_enabled, details_submitted, sorted(requirements_due))
        before = (
            expert.charges_enabled,
            expert.payouts_enabled,
            expert.details_submitted,
            sorted(expert.requirements_due),
        )
        expert.charges_enabled, expert.payouts_enabled, expert.details_submitted = state[:3]
        expert.requirements_due = state[3]
        expert.connect_updated_at = as_of
        expert.save(
            update_fields=[
                "charges_enabled",
                "payouts_enabled",
                "details_submitted",
                "requirements_due",
                "connect_updated_at",
                "updated_at",
            ]
        )
        if state != before:
            ExpertEvent.record(
                expert,
                action=ExpertEvent.Action.CONNECT_UPDATED,
                note=f"charges={charges_enabled} payouts={payouts_enabled} details={details_submitted}"
                + (f" due: {', '.join(state[3])}" if state[3] else ""),
            )
    return expert


def _stripe_field(obj, name, default=None):
    value = obj.get(name, default) if isinstance(obj, dict) else default
    return default if value is None else value


def handle_account_updated(*, event: dict, webhook_event=None) -> None:
    """payments' webhook registry calls this for account.updated on the Connect endpoint."""
    account = event["data"]["object"]
    requirements = _stripe_field(account, "requirements", {}) or {}
    due = list(
        dict.fromkeys(
            list(_stripe_field(requirements, "past_due", []) or [])
            + list(_stripe_field(requirements, "currently_due", []) or [])
        )
    )
    created = event.get("created")
    as_of = dt.datetime.fromtimestamp(created, tz=dt.UTC) if created else None
    expert = expert_connect_account_sync(
        account_id=account["id"],
        charges_enabled=bool(_stripe_field(account, "charges_enabled", False)),
        payouts_enabled=bool(_stripe_field(account, "payouts_enabled", False)),
        details_submitted=bool(_stripe_field(account, "details_submitted", False)),
        requirements_due=due,
        as_of=as_of,
    )
    if expert is None and webhook_event is not None:
        webhook_event.note = f"no expert with account {account['id']}"
