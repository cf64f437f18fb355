"""Gateway selection: Stripe when STRIPE_SECRET_KEY is set, else the local test mode."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import (
    ChargeSummary,
    CheckoutSession,
    GatewayError,
    GatewayNotFound,
    GatewayRefund,
    GatewayUnavailable,
    PaymentGateway,
)

__all__ = [
    "ChargeSummary",
    "CheckoutSession",
    "GatewayError",
    "GatewayNotFound",
    "GatewayRefund",
    "GatewayUnavailable",
    "PaymentGateway",
    "default_gateway_name",
    "get_gateway",
]


def default_gateway_name() -> str:
    return "stripe" if settings.STRIPE_SECRET_KEY else "test_mode"


def get_gateway(name: str | None = None) -> PaymentGateway:
    """The gateway for new payments, or the one an existing payment was made with."""
    name = name or default_gateway_name()
    if name == "stripe":
        if not settings.STRIPE_SECRET_KEY:
            raise GatewayUnavailable("STRIPE_SECRET_KEY is not set.")
        from .stripe import StripeGateway  # imported lazily: the embedded default never loads the SDK

        factory_path = settings.PAYMENTS_STRIPE_HTTP_CLIENT_FACTORY
        http_client = import_string(factory_path)() if factory_path else None
        return StripeGateway(
            api_key=settings.STRIPE_SECRET_KEY, api_base=settings.STRIPE_API_BASE, http_client=http_client
        )
    if name == "test_mode":
        from .test_mode import TestModeGateway

        return TestModeGateway()
    raise GatewayUnavailable(f"Unknown gateway {name!r}.")
