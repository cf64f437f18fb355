"""Cached page fragments that show balances or ledger lines get a new generation when those change.

The dashboard is cached under the user's scope (core.fragments). accounts.services changes a
Wallet balance with a conditional UPDATE (no signal), but always in the same transaction as the
LedgerEntry row it creates, so following LedgerEntry covers every balance change; following
Wallet covers its creation and any admin edit. Connected once from AccountsConfig.ready().
"""

from __future__ import annotations

from core import fragments

from .models import LedgerEntry, Wallet


def connect() -> None:
    fragments.follow(LedgerEntry, lambda entry: [fragments.user_scope(entry.user_id)])
    fragments.follow(Wallet, lambda wallet: [fragments.user_scope(wallet.user_id)])
