import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, base, email, password):
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))


def test_friend_joins_through_share_link_and_referrer_sees_reward(browser, live_server, shoot):
    alice = UserFactory(email="alice@example.com", full_name="Alice Referrer")

    # Alice copies her link from the referral page.
    a = browser.new_context().new_page()
    _log_in(a, live_server.url, alice.email, DEFAULT_PASSWORD)
    a.goto(live_server.url + "/me/referrals/")
    link = a.get_by_test_id("referral-link").input_value()
    assert re.search(r"/r/[2-9A-HJ-NP-Z]{7}/$", link)

    # Bob opens it in his own browser, wanders off to the landing page, then signs up.
    b = browser.new_context().new_page()
    b.goto(link)
    expect(b).to_have_url(re.compile(r"/accounts/signup/$"))
    b.goto(live_server.url + "/")
    b.get_by_role("link", name=re.compile("sign up", re.I)).first.click()
    expect(b.locator("input[name=referral_code]")).to_have_value(link.rstrip("/").rsplit("/", 1)[1])
    b.fill("input[name=email]", "bob@example.com")
    b.fill("input[name=full_name]", "Bob Friend")
    b.fill("input[name=password1]", "Bobs-pass-2026")
    b.fill("input[name=password2]", "Bobs-pass-2026")
    b.locator("form:has(input[name=password2]) button[type=submit]").click()
    expect(b).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    b.goto(re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body).group(0))
    b.locator("main form button.btn-primary[type=submit]").click()
    expect(b.get_by_test_id("free-uses")).to_have_text("1")

    # Alice sees Bob (masked) as rewarded, and her own free use.
    a.goto(live_server.url + "/me/referrals/")
    expect(a.get_by_test_id("referral-list")).to_contain_text("b•••@example.com")
    expect(a.get_by_test_id("referral-list")).to_contain_text("Rewarded")
    expect(a.get_by_test_id("free-uses-earned")).to_have_text("1")
    shoot_page = a
    shoot_page.set_viewport_size({"width": 1280, "height": 800})
    shoot_page.screenshot(path="test-artifacts/screenshots/referrals-laptop.png", full_page=True)
    shoot_page.set_viewport_size({"width": 390, "height": 844})
    shoot_page.screenshot(path="test-artifacts/screenshots/referrals-phone.png", full_page=True)
    a.goto(live_server.url + "/me/dashboard/")
    expect(a.get_by_test_id("free-uses")).to_have_text("1")
