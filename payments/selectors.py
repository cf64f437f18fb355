"""Reads for payments. Every list here is one query whatever its length."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Payment, PointsPackage, TestModeCheckoutSession


def points_packages_on_sale() -> QuerySet[PointsPackage]:
    return PointsPackage.objects.filter(active=True).order_by("sort_order", "price_pence", "id")


def payment_is_open(*, payment: Payment) -> bool:
    """Not settled yet: checkout created or under way (the success page may settle it)."""
    return payment.status in (Payment.Status.CREATED, Payment.Status.PENDING)


def payments_for_user(*, user) -> QuerySet[Payment]:
    # Only the columns the history page shows; no joins needed.
    return (
        Payment.objects.filter(user=user)
        .only("id", "description", "amount_pence", "currency", "status", "receipt_url", "created_at")
        .order_by("-created_at", "-id")
    )


def payment_for_user_or_404(*, user, payment_id: int) -> Payment:
    """Another user's payment is indistinguishable from a missing one."""
    return get_object_or_404(Payment, pk=payment_id, user=user)


def payment_by_session_for_user_or_404(*, user, session_id: str) -> Payment:
    return get_object_or_404(Payment, checkout_session_id=session_id, user=user)


def test_mode_session_for_user_or_404(*, user, session_id: str) -> TestModeCheckoutSession:
    return get_object_or_404(
        TestModeCheckoutSession.objects.select_related("payment"), session_id=session_id, payment__user=user
    )
