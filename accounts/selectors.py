from .models import LedgerEntry, User, Wallet


def wallet_for(*, user: User) -> Wallet:
    """The user's balances; an unsaved zero wallet if none exists yet (no write on a read)."""
    return Wallet.objects.filter(pk=user.pk).first() or Wallet(user=user)


def ledger_recent(*, user: User, limit: int = 10) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(user=user).order_by("-created_at", "-id")[:limit])
