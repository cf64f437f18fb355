import re

import pytest
from allauth.mfa.models import Authenticator

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.I)

PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/contact/",
    "/experts/",
    "/me/dashboard/",
    "/me/profile/",
    "/me/points/",
    "/me/referrals/",
    "/payments/points/",
    "/payments/history/",
    "/tools/",
    "/tools/history/",
    "/bookings/",
    "/bookings/new/",
    "/me/support/",
    "/accounts/2fa/",
]


def test_strict_csp_and_permissions_policy_on_every_page(client):
    client.force_login(UserFactory())
    for url in PAGES:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "camera=()" in response.headers["Permissions-Policy"]
        html = response.content.decode()
        # Our pages must work under that policy: no inline scripts, handlers or style attributes.
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
        assert not INLINE_HANDLER.search(html.split("<body", 1)[1]), url
        assert not INLINE_STYLE.search(html), (url, html[INLINE_STYLE.search(html).start() - 80 :][:200])


def test_admin_gets_inline_styles_only(admin_client):
    csp = admin_client.get("/admin/").headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp and "script-src 'self';" in csp + ";"


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.headers["Location"] == "/accounts/login/?next=/admin/"


def test_staff_need_an_authenticator_for_the_admin_and_back_office(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)

    for url in ("/admin/", "/staff/dashboard/"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/accounts/2fa/totp/activate/", url
    assert client.get("/me/dashboard/").status_code == 200  # the rest of the site is not blocked

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get("/admin/").status_code == 200


def test_clients_are_not_forced_into_mfa(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(UserFactory())
    assert client.get("/me/dashboard/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200  # but can turn it on


def test_secure_cookies_and_hsts_in_production_settings():
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.MFA_REQUIRED_FOR_STAFF)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL", "TALENTVISA_SETTINGS_PROFILE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="talentvisa.settings",
        DEBUG="False",
        SECRET_KEY="s" * 30 + "Q7!x" * 8,
        ALLOWED_HOSTS="tv.example",
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=Path(__file__).parents[2], capture_output=True, text=True
    )
    assert out.stdout.split() == ["True", "True", "31536000", "True", "True"], out.stderr


@pytest.mark.django_db
def test_signed_in_pages_are_private_and_not_stored_anonymous_ones_are_not_marked(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(UserFactory())
    for path in ("/", "/me/dashboard/", "/bookings/", "/me/points/", "/experts/"):
        directives = {d.strip() for d in client.get(path)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives and "public" not in directives, path


def test_staff_enrol_their_first_authenticator_only_after_an_emailed_code(client, settings, mailoutbox):
    """A staff password alone (leaked, guessed) must not be enough to register an authenticator."""
    import re

    settings.MFA_REQUIRED_FOR_STAFF = True
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)

    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and response.url == "/me/staff-mfa/verify/"
    page = client.get(response.url)
    assert page.status_code == 200 and staff.email in page.content.decode()
    assert mailoutbox[-1].to == [staff.email]
    code = re.search(r"^\s+(\d{6})$", mailoutbox[-1].body, re.M).group(1)
    wrong = "000000" if code != "000000" else "111111"

    refused = client.post("/me/staff-mfa/verify/", {"code": wrong})
    assert refused.status_code == 400 and "not right" in refused.content.decode()
    assert client.get("/accounts/2fa/totp/activate/").status_code == 302  # still gated

    assert client.post("/me/staff-mfa/verify/", {"code": code}).url == "/accounts/2fa/totp/activate/"
    through = client.get("/accounts/2fa/totp/activate/")  # allauth's own page (it asks for the password again)
    assert through.status_code == 200 or through.url.startswith("/accounts/reauthenticate/")


def test_the_emailed_code_allows_five_tries(client, settings, mailoutbox):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(UserFactory(is_staff=True))
    client.get("/me/staff-mfa/verify/")
    sent = len(mailoutbox)
    for _ in range(5):
        client.post("/me/staff-mfa/verify/", {"code": "abcdef"})
    after = client.post("/me/staff-mfa/verify/", {"code": "abcdef"})
    assert "Too many wrong codes" in after.content.decode() and len(mailoutbox) == sent + 1


def test_clients_enrol_without_the_email_step(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(UserFactory())
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200 or response.url.startswith("/accounts/reauthenticate/")
