import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Journey-pass-2026"


def _link(pattern):
    return re.search(pattern, mail.outbox[-1].body).group(0)


def test_signup_verify_login_and_see_bonus(page, live_server, shoot):
    page.goto(live_server.url + "/")
    shoot("home")
    page.get_by_role("link", name=re.compile("sign up", re.I)).first.click()

    page.fill("input[name=email]", "ada@example.com")
    page.fill("input[name=full_name]", "Ada Lovelace")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    shoot("signup")
    page.locator("form:has(input[name=password2]) button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    shoot("verification-sent")
    user = User.objects.get(email="ada@example.com")
    # The browser's own timezone was detected and stored at signup (Chromium reports UTC here
    # unless TZ is set, so only check it is a real zone name).
    assert user.timezone and user.full_name == "Ada Lovelace"

    page.goto(_link(r"http://[^\s]+/accounts/confirm-email/[^\s]+/"))
    shoot("confirm-email")
    page.locator("main form button.btn-primary[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))
    expect(page.get_by_test_id("points-balance")).to_have_text("20")
    shoot("dashboard")

    # Log out and back in with the new password.
    page.locator("form[action$='/accounts/logout/'] button").first.click(force=True)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "ada@example.com")
    page.fill("input[name=password]", PASSWORD)
    shoot("login")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))
    expect(page.get_by_test_id("points-balance")).to_have_text("20")


def test_password_reset(page, live_server, shoot):
    UserFactory(email="forgetful@example.com")

    page.goto(live_server.url + "/accounts/password/reset/")
    page.fill("input[name=email]", "forgetful@example.com")
    shoot("password-reset")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))

    page.goto(_link(r"http://[^\s]+/accounts/password/reset/key/[^\s]+/"))
    page.fill("input[name=password1]", "Fresh-start-2026")
    page.fill("input[name=password2]", "Fresh-start-2026")
    shoot("password-reset-key")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page.locator("main")).to_contain_text(re.compile("password.*(changed|reset)", re.I))

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "forgetful@example.com")
    page.fill("input[name=password]", "Fresh-start-2026")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))


def test_phone_menu_and_profile_timezone(page, live_server, shoot):
    user = UserFactory(email="phone@example.com", full_name="Phone User")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct-Horse-battery-9")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/dashboard/$"))

    page.locator("details[data-menu] > summary").click()
    expect(page.get_by_role("link", name="Profile").last).to_be_visible()
    shoot("phone-menu")
    page.get_by_role("link", name="Profile").last.click()

    page.select_option("select[name=timezone]", "Asia/Tokyo")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page.locator("body")).to_contain_text("saved")
    shoot("profile")
    user.refresh_from_db()
    assert user.timezone == "Asia/Tokyo"
