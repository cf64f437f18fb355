from .models import EmailSuppression, LedgerEntry, User, Wallet


def wallet_for(*, user: User) -> Wallet:
    """The user's balances; an unsaved zero wallet if none exists yet (no write on a read)."""
    return Wallet.objects.filter(pk=user.pk).first() or Wallet(user=user)


def ledger_recent(*, user: User, limit: int = 10) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def emails_suppressed(addresses: list[str]) -> set[str]:
    """Which of `addresses` must not be mailed (core.mailer's suppression check; one query)."""
    lowered = {address.lower(): address for address in addresses}
    found = EmailSuppression.objects.filter(email__in=list(lowered)).values_list("email", flat=True)
    return {lowered[email] for email in found}
