"""Writes for accounts: the points / free-use ledger and what happens at verification.

Every balance change is one LedgerEntry plus one conditional UPDATE of the cached Wallet
balance, in one transaction, under a row lock on the wallet. The database refuses a
negative balance (CheckConstraint), so even a bug here cannot overdraw a wallet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from core import fragments
from core.conf import setting
from core.mailbox import mailbox_normalise

from .models import EmailSuppression, LedgerEntry, User, Wallet


class InsufficientBalance(Exception):
    """The wallet holds less than the amount asked for; nothing was changed."""

    def __init__(self, *, asset: str, needed: int, available: int):
        self.asset, self.needed, self.available = asset, needed, available
        label = "points" if asset == LedgerEntry.Asset.POINTS else "free AI uses"
        super().__init__(f"You need {needed} {label} but have {available}.")


@dataclass(frozen=True)
class Source:
    """What caused a ledger change, e.g. Source("payment", "42")."""

    type: str = ""
    id: str = ""


_BALANCE_FIELD = {LedgerEntry.Asset.POINTS: "points_balance", LedgerEntry.Asset.FREE_AI_USES: "free_ai_uses"}


def wallet_ensure(*, user: User) -> Wallet:
    wallet, _ = Wallet.objects.get_or_create(user=user)
    return wallet


def _ledger_apply(
    *,
    user: User,
    asset: str,
    amount: int,
    reason: str,
    description: str = "",
    idempotency_key: str | None = None,
    actor: User | None = None,
    source: Source = Source(),
) -> LedgerEntry:
    if not isinstance(amount, int) or amount == 0:
        raise ValueError("amount must be a non-zero integer")
    field = _BALANCE_FIELD[asset]
    with transaction.atomic():
        wallet_ensure(user=user)
        # The lock serialises every change to this wallet, so an idempotency key is checked
        # after any concurrent holder of the same key has committed.
        wallet = Wallet.objects.select_for_update().get(pk=user.pk)
        if idempotency_key:
            existing = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        current = getattr(wallet, field)
        if current + amount < 0:
            raise InsufficientBalance(asset=asset, needed=-amount, available=current)
        # Conditional update: a second line of defence besides the lock and the constraint.
        updated = Wallet.objects.filter(pk=user.pk, **{f"{field}__gte": -amount if amount < 0 else 0}).update(
            **{field: F(field) + amount}
        )
        if updated != 1:
            raise InsufficientBalance(asset=asset, needed=-amount, available=current)
        fragments.bump(fragments.user_scope(user))  # the dashboard's balance and recent lines
        return LedgerEntry.objects.create(
            user=user,
            asset=asset,
            amount=amount,
            balance_after=current + amount,
            reason=reason,
            description=description[:255],
            idempotency_key=idempotency_key or None,
            actor=actor,
            source_type=source.type,
            source_id=str(source.id),
        )


def points_grant(
    *,
    user: User,
    amount: int,
    reason: str,
    description: str = "",
    idempotency_key: str | None = None,
    actor: User | None = None,
    source: Source = Source(),
) -> LedgerEntry:
    if amount <= 0:
        raise ValueError("a grant must be positive")
    return _ledger_apply(
        user=user,
        asset=LedgerEntry.Asset.POINTS,
        amount=amount,
        reason=reason,
        description=description,
        idempotency_key=idempotency_key,
        actor=actor,
        source=source,
    )


def points_spend(
    *,
    user: User,
    amount: int,
    description: str = "",
    idempotency_key: str | None = None,
    source: Source = Source(),
) -> LedgerEntry:
    """Take points; raises InsufficientBalance (and changes nothing) when the balance is short."""
    if amount <= 0:
        raise ValueError("a spend must be positive")
    return _ledger_apply(
        user=user,
        asset=LedgerEntry.Asset.POINTS,
        amount=-amount,
        reason=LedgerEntry.Reason.SPEND,
        description=description,
        idempotency_key=idempotency_key,
        actor=user,
        source=source,
    )


def points_refund(
    *, user: User, amount: int, idempotency_key: str, description: str = "", source: Source = Source()
) -> LedgerEntry:
    """Give points back (e.g. a failed AI run). The key makes a retried refund a no-op."""
    return points_grant(
        user=user,
        amount=amount,
        reason=LedgerEntry.Reason.REFUND,
        description=description,
        idempotency_key=idempotency_key,
        source=source,
    )


def points_deduct(
    *, user: User, amount: int, reason: str, description: str = "", idempotency_key: str | None = None, actor=None
) -> LedgerEntry:
    """Take points for a reason other than spending (staff adjustment, reversed purchase)."""
    if amount <= 0:
        raise ValueError("a deduction must be positive")
    return _ledger_apply(
        user=user,
        asset=LedgerEntry.Asset.POINTS,
        amount=-amount,
        reason=reason,
        description=description,
        idempotency_key=idempotency_key,
        actor=actor,
    )


def free_uses_grant(
    *,
    user: User,
    amount: int,
    reason: str,
    description: str = "",
    idempotency_key: str | None = None,
    actor: User | None = None,
    source: Source = Source(),
) -> LedgerEntry:
    if amount <= 0:
        raise ValueError("a grant must be positive")
    return _ledger_apply(
        user=user,
        asset=LedgerEntry.Asset.FREE_AI_USES,
        amount=amount,
        reason=reason,
        description=description,
        idempotency_key=idempotency_key,
        actor=actor,
        source=source,
    )


def free_use_spend(
    *, user: User, description: str = "", idempotency_key: str | None = None, source: Source = Source()
) -> LedgerEntry:
    return _ledger_apply(
        user=user,
        asset=LedgerEntry.Asset.FREE_AI_USES,
        amount=-1,
        reason=LedgerEntry.Reason.SPEND,
        description=description,
        idempotency_key=idempotency_key,
        actor=user,
        source=source,
    )


def free_uses_deduct(
    *, user: User, amount: int, reason: str, description: str = "", idempotency_key: str | None = None, actor=None
) -> LedgerEntry:
    if amount <= 0:
        raise ValueError("a deduction must be positive")
    return _ledger_apply(
        user=user,
        asset=LedgerEntry.Asset.FREE_AI_USES,
        amount=-amount,
        reason=reason,
        description=description,
        idempotency_key=idempotency_key,
        actor=actor,
    )


def user_email_verified(*, user: User) -> None:
    """Runs once an email address is confirmed: the signup bonus, once per user and once per inbox.

    The ledger key is derived from the normalised mailbox (core.mailbox), so `name+1@gmail.com`
    and `n.ame@gmail.com` signing up separately get one bonus between them; the key's uniqueness
    holds even when two aliases verify at the same moment. A user who already had a bonus (under
    an earlier address) gets none for a new one.
    """
    bonus = setting("SIGNUP_BONUS_POINTS")
    if bonus <= 0 or LedgerEntry.objects.filter(user=user, reason=LedgerEntry.Reason.SIGNUP_BONUS).exists():
        return
    mailbox = hashlib.sha256(mailbox_normalise(user.email).encode()).hexdigest()[:40]
    try:
        with transaction.atomic():
            points_grant(
                user=user,
                amount=bonus,
                reason=LedgerEntry.Reason.SIGNUP_BONUS,
                description="Welcome bonus",
                idempotency_key=f"signup-bonus-mailbox-{mailbox}",
            )
    except IntegrityError:
        pass  # another alias of this inbox was granted it at the same instant


def user_profile_update(*, user: User, full_name: str, timezone: str) -> User:
    if full_name.strip() != user.full_name:
        fragments.bump(fragments.NAMES)  # printed on the reviews this user wrote
    user.full_name = full_name.strip()
    user.timezone = timezone
    user.save(update_fields=["full_name", "timezone"])
    return user


# --- deliverability: hard bounces and complaints (the email provider's tracking webhook) ---------


def email_suppress(*, email: str, reason: str, detail: str = "", provider_event_id: str = "") -> bool:
    """Stop mailing `email` (core.mailer skips it) and flag its user so they see the banner.

    Idempotent (a replayed webhook changes nothing); returns whether the address was newly suppressed."""
    email = email.strip().lower()
    with transaction.atomic():
        _, created = EmailSuppression.objects.get_or_create(
            email=email,
            defaults={"reason": reason, "detail": detail[:500], "provider_event_id": provider_event_id[:255]},
        )
        User.objects.filter(email__iexact=email, undeliverable_email=False).update(undeliverable_email=True)
    return created


def email_suppression_clear(*, user: User, email: str) -> None:
    """The user verified `email` (the same address again, or a new one that replaces it with
    ACCOUNT_CHANGE_EMAIL): mail it again and drop the banner."""
    with transaction.atomic():
        EmailSuppression.objects.filter(email=email.strip().lower()).delete()
        User.objects.filter(pk=user.pk, undeliverable_email=True).update(undeliverable_email=False)
        user.undeliverable_email = False
