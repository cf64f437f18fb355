import re

import pytest
from playwright.sync_api import expect

from accounts import services
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from payments.models import PointsPackage

pytestmark = pytest.mark.django_db(transaction=True)


def test_buy_points_through_test_mode_checkout(page, live_server, shoot, settings):
    settings.PAYMENTS_TEST_MODE_ENABLED = True  # tests run with DEBUG=False, like production
    # Transactional tests flush the tables, data-migration rows included: make sure it exists.
    PointsPackage.objects.get_or_create(points=120, price_pence=1000, defaults={"name": "Standard", "active": True})
    user = UserFactory(email="buyer@example.com")
    services.user_email_verified(user=user)  # 20 bonus points

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("points-balance")).to_have_text("20")

    page.goto(live_server.url + "/payments/points/")
    shoot("buy-points")
    page.locator("form:has(button:text-matches('120 points|£10', 'i')) button[type=submit]").first.click()

    expect(page.locator("body")).to_contain_text("Test payment — no card is charged")
    shoot("test-checkout")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()

    expect(page.locator("main")).to_contain_text(re.compile("120 points", re.I))
    shoot("checkout-success")
    page.goto(live_server.url + "/me/dashboard/")
    expect(page.get_by_test_id("points-balance")).to_have_text("140")

    page.goto(live_server.url + "/payments/history/")
    expect(page.locator("main")).to_contain_text("£10.00")
    shoot("payment-history")
