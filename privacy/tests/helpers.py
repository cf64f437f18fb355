"""Scans used by the erasure tests: every text column of every model, and the private files."""

from pathlib import Path

from django.apps import apps
from django.db import models
from django.db.models.functions import Cast

from accounts.models import LedgerEntry, Wallet

TEXT_FIELDS = (models.CharField, models.TextField, models.EmailField, models.JSONField)


def rows_mentioning(*needles: str) -> list[str]:
    """'app.Model.field pk' for every row whose text (or JSON) column contains a needle (case-insensitive)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            for needle in needles:
                if isinstance(field, models.JSONField):
                    qs = model._default_manager.annotate(_t=Cast(field.name, models.TextField())).filter(
                        _t__icontains=needle
                    )
                else:
                    qs = model._default_manager.filter(**{f"{field.name}__icontains": needle})
                found += [f"{model._meta.label}.{field.name} {pk}" for pk in qs.values_list("pk", flat=True)]
    return found


def files_mentioning(root: Path, *needles: bytes) -> list[str]:
    if not root.exists():
        return []
    return [str(p) for p in root.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]


def ledger_balances(user) -> bool:
    """Every asset's ledger sums to the wallet balance, and each row's balance_after follows the previous one."""
    wallet = Wallet.objects.get(user=user)
    for asset, balance in (
        (LedgerEntry.Asset.POINTS, wallet.points_balance),
        (LedgerEntry.Asset.FREE_AI_USES, wallet.free_ai_uses),
    ):
        running = 0
        for entry in LedgerEntry.objects.filter(user=user, asset=asset).order_by("created_at", "id"):
            running += entry.amount
            if entry.balance_after != running:
                return False
        if running != balance:
            return False
    return True
