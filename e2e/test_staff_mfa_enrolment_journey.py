import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_staff_confirm_an_emailed_code_before_adding_an_authenticator(page, live_server, settings, shoot):
    settings.MFA_REQUIRED_FOR_STAFF = True
    UserFactory(email="newstaff@example.com", full_name="Nia Staff", is_staff=True, is_superuser=True)

    # Logging in sends a staff account without an authenticator to enrolment, which first asks for the
    # e-mailed code; the admin stays closed meanwhile.
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "newstaff@example.com")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/staff-mfa/verify/"))
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/me/staff-mfa/verify/"))
    expect(page.locator("main h1")).to_have_text("Confirm it's you")
    shoot("staff-mfa-verify")

    page.fill("input[name=code]", "000000" if "000000" not in mail.outbox[-1].body else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("code-error")).to_contain_text("not right")
    shoot("staff-mfa-verify-wrong-code")

    code = re.search(r"^\s+(\d{6})$", mail.outbox[-1].body, re.M).group(1)
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/me/staff-mfa/verify/"))
