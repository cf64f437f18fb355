"""Cached page fragments that show balances or ledger lines get a new generation when those change.

The dashboard is cached under the user's scope (core.fragments). accounts.services changes a
Wallet balance with a conditional UPDATE (no signal), but always in the same transaction as the
LedgerEntry row it creates, so a receiver on LedgerEntry covers every balance change; the Wallet
receivers cover its creation and any admin edit. Connected once from AccountsConfig.ready().
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from core import fragments

from .models import LedgerEntry, Wallet


def balance_changed(sender, instance, **kwargs) -> None:
    fragments.bump(fragments.user_scope(instance.user_id))


def connect() -> None:
    uid = "accounts.fragment_invalidation."
    for model in (LedgerEntry, Wallet):
        name = model._meta.model_name
        post_save.connect(balance_changed, sender=model, dispatch_uid=f"{uid}{name}-save")
        post_delete.connect(balance_changed, sender=model, dispatch_uid=f"{uid}{name}-delete")
