"""Shared set-up for the booking page tests (test_views_*.py): a fixed clock and signed-in users."""

from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory

from .factories import NOW


@pytest.fixture
def clock(monkeypatch):
    """Every booking page sees NOW (Monday 1 March 2027, 09:00 UTC)."""
    for module in ("bookings.views.new", "bookings.views.client", "bookings.views.expert"):
        monkeypatch.setattr(f"{module}.now", lambda: NOW)
    return NOW


@pytest.fixture
def client_user(db):
    return UserFactory(email="client@example.com", full_name="Chidi Client", timezone="Europe/London")


@pytest.fixture
def signed_in(client, client_user):
    client.force_login(client_user)
    return client
