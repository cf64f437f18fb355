"""Referral codes, attribution at signup, qualification and rewards.

Rewards are free AI uses granted through the accounts ledger with idempotency keys derived
from the referral id, so a retried or concurrent qualification can never reward twice. The
monthly cap is checked under a row lock on the referrer's code, so two referrals qualifying at
the same moment cannot both slip under it.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import LedgerEntry, User
from core.conf import setting
from core.mailbox import mailbox_normalise
from core.transitions import StateMachine

from .models import Referral, ReferralCode, ReferralEvent

# No 0/O, 1/I/L: a code read aloud or copied from a screenshot cannot be misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 7


class ReferralRefused(Exception):
    """A referral that must not be recorded; the message is shown to the user."""


def code_normalise(raw: str) -> str:
    return "".join(raw.split()).replace("-", "").upper()


def referral_code_ensure(*, user: User) -> ReferralCode:
    existing = ReferralCode.objects.filter(user=user).first()
    if existing:
        return existing
    for _ in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return ReferralCode.objects.create(user=user, code=code)
        except IntegrityError:
            # Either the code collided (try another) or the user got one concurrently.
            existing = ReferralCode.objects.filter(user=user).first()
            if existing:
                return existing
    raise RuntimeError("could not allocate a unique referral code")


# One message for every refusal: a distinct "your own code" answer would tell a stranger which
# email address belongs to a code's owner.
REFUSED = "We can't apply that referral code. Check it, or leave the field empty."


def referrer_check(*, code: str, email: str) -> User:
    """The user who owns `code`, or ReferralRefused with a message for the signup form."""
    owner = ReferralCode.objects.select_related("user").filter(code=code_normalise(code)).first()
    if owner is None:
        raise ReferralRefused(REFUSED)
    if email and mailbox_normalise(owner.user.email) == mailbox_normalise(email):
        raise ReferralRefused(REFUSED)
    return owner.user


def referral_attach(*, referred: User, code: str, via: str = "link") -> Referral:
    """Record who referred a new user. One referrer per user: a second call returns the first."""
    referrer = referrer_check(code=code, email=referred.email)
    if referrer.pk == referred.pk:
        raise ReferralRefused(REFUSED)
    referral, created = Referral.objects.get_or_create(referred=referred, defaults={"referrer": referrer, "via": via})
    if created:
        ReferralEvent.record(referral, to_status=referral.status, note=f"signed up via {via}")
    return referral


REFERRAL = StateMachine(
    allowed=Referral.TRANSITIONS,
    events=ReferralEvent,
    refuse=lambda referral, current, target: ReferralRefused(
        f"A referral cannot go from {referral.get_status_display()} to {target}."
    ),
)


def _transition(referral: Referral, to: str, *, actor: User | None = None, note: str = "") -> None:
    now = timezone.now()
    fields = {
        Referral.Status.QUALIFIED: {"qualified_at": now},
        Referral.Status.REWARDED: {"rewarded_at": now, "rejection_reason": ""},
        Referral.Status.REJECTED: {"rejection_reason": note[:200]},
    }.get(to, {})
    REFERRAL.move(referral, to, actor=actor, note=note, fields=fields)


def _month_start():
    now = timezone.now()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def rewards_this_month(*, referrer: User) -> int:
    return Referral.objects.filter(
        referrer=referrer, status=Referral.Status.REWARDED, rewarded_at__gte=_month_start()
    ).count()


def _reward_key(referral: Referral, side: str, *, next_round: bool) -> str:
    # A referral rewarded, reversed and rewarded again by staff needs fresh keys per round.
    rounds = referral.events.filter(to_status=Referral.Status.REWARDED).count() + (1 if next_round else 0)
    suffix = "" if rounds <= 1 else f"-{rounds}"
    return f"referral-{referral.pk}-{side}{suffix}"


def _reward(referral: Referral, *, actor: User | None = None, note: str = "", enforce_cap: bool = True) -> None:
    # Serialises every reward of this referrer: the cap count below is then exact.
    ReferralCode.objects.select_for_update().filter(user_id=referral.referrer_id).first()
    cap = setting("REFERRAL_MONTHLY_REWARD_CAP")
    if enforce_cap and cap and rewards_this_month(referrer=referral.referrer) >= cap:
        _transition(referral, Referral.Status.REJECTED, note=f"Monthly reward cap reached ({cap} per month).")
        return
    for side, user, amount in (
        ("referrer", referral.referrer, setting("REFERRAL_REWARD_REFERRER")),
        ("referred", referral.referred, setting("REFERRAL_REWARD_REFERRED")),
    ):
        if amount > 0:
            account_services.free_uses_grant(
                user=user,
                amount=amount,
                reason=LedgerEntry.Reason.REFERRAL,
                description="Referral reward" if side == "referrer" else "Welcome reward for joining via a referral",
                idempotency_key=_reward_key(referral, side, next_round=True),
                actor=actor,
                source=account_services.Source("referral", str(referral.pk)),
            )
    _transition(referral, Referral.Status.REWARDED, actor=actor, note=note)


def referral_qualify(*, referred: User, payment_id: str = "") -> Referral | None:
    """Called when the referred user verifies their email, and again on a purchase.

    Qualifies (and rewards) once; later calls are no-ops. When REFERRAL_REQUIRE_PURCHASE is
    on, only a call carrying a payment id qualifies.
    """
    if setting("REFERRAL_REQUIRE_PURCHASE") and not payment_id:
        return None
    with transaction.atomic():
        referral = Referral.objects.select_for_update().filter(referred=referred).first()
        if referral is None or referral.status != Referral.Status.SIGNED_UP:
            return referral
        if payment_id:
            referral.qualifying_payment_id = str(payment_id)
            referral.save(update_fields=["qualifying_payment_id"])
        _transition(referral, Referral.Status.QUALIFIED, note="payment" if payment_id else "email verified")
        _reward(referral)
        return referral


def _take_back(referral: Referral, *, actor: User | None, note: str) -> None:
    """Reverse both rewards, never below zero (a reward already used stays used)."""
    for side, user in (("referrer", referral.referrer), ("referred", referral.referred)):
        key = _reward_key(referral, side, next_round=False)
        granted = LedgerEntry.objects.filter(idempotency_key=key).first()
        if granted is None:
            continue
        available = account_services.wallet_ensure(user=user).free_ai_uses
        amount = min(granted.amount, available)
        if amount > 0:
            account_services.free_uses_deduct(
                user=user,
                amount=amount,
                reason=LedgerEntry.Reason.REVERSAL,
                description=f"Referral reward reversed: {note}"[:255],
                idempotency_key=f"{key}-reversal",
                actor=actor,
            )


def referral_reverse_for_payment(*, payment_id: str) -> None:
    """The qualifying purchase was refunded: the referral no longer earns its rewards."""
    with transaction.atomic():
        for referral in Referral.objects.select_for_update().filter(
            qualifying_payment_id=str(payment_id), status=Referral.Status.REWARDED
        ):
            _take_back(referral, actor=None, note="qualifying purchase refunded")
            _transition(referral, Referral.Status.REJECTED, note="Qualifying purchase refunded.")


def referral_reward_manually(*, referral: Referral, actor: User, note: str) -> None:
    """Staff override: reward regardless of the cap (a rejected or qualified referral)."""
    with transaction.atomic():
        referral = REFERRAL.lock(Referral, pk=referral.pk)
        if referral.status == Referral.Status.SIGNED_UP:
            _transition(referral, Referral.Status.QUALIFIED, actor=actor, note="qualified by staff")
        _reward(referral, actor=actor, note=note or "rewarded by staff", enforce_cap=False)


def referral_reject(*, referral: Referral, actor: User, note: str) -> None:
    with transaction.atomic():
        referral = REFERRAL.lock(Referral, pk=referral.pk)
        if referral.status == Referral.Status.REWARDED:
            _take_back(referral, actor=actor, note=note or "rejected by staff")
        _transition(referral, Referral.Status.REJECTED, actor=actor, note=note or "rejected by staff")


def on_payment_succeeded(*, payment) -> None:
    """Any purchase may be the referred user's qualifying one (only matters when required)."""
    if setting("REFERRAL_REQUIRE_PURCHASE"):
        referral_qualify(referred=payment.user, payment_id=str(payment.pk))


def on_payment_refunded(*, payment, refund) -> None:
    # A partial refund leaves a real purchase standing; only a full refund undoes it.
    if payment.amount_refunded_pence >= payment.amount_pence:
        referral_reverse_for_payment(payment_id=str(payment.pk))
