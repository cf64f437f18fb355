import re

import pytest
from django.core import mail

from accounts.models import LedgerEntry, User, Wallet

from .factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-Strong-passw0rd!"


def _signup(client, email="new@example.com", timezone="America/New_York"):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "full_name": "Ada Lovelace",
            "timezone": timezone,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def _link_from_last_email():
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)


def test_signup_stores_profile_and_requires_verification(client):
    response = _signup(client)

    assert response.status_code == 302 and response.headers["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new@example.com")
    assert (user.full_name, user.timezone, user.role) == ("Ada Lovelace", "America/New_York", User.Role.CLIENT)
    assert Wallet.objects.get(user=user).points_balance == 0  # no bonus before verification
    assert len(mail.outbox) == 1 and "new@example.com" in mail.outbox[0].to
    # Mandatory verification: the dashboard is not reachable by logging in yet.
    client.logout()
    login = client.post("/accounts/login/", {"login": "new@example.com", "password": PASSWORD})
    assert login.headers["Location"] == "/accounts/confirm-email/"


def test_unknown_timezone_falls_back_to_london(client):
    _signup(client, timezone="Mars/Olympus_Mons")
    assert User.objects.get(email="new@example.com").timezone == "Europe/London"


def test_verification_grants_the_bonus_once_and_logs_in(client):
    _signup(client)
    link = _link_from_last_email()

    response = client.post(link)
    assert response.status_code == 302
    client.post(link)  # a second click must not grant again

    user = User.objects.get(email="new@example.com")
    assert Wallet.objects.get(user=user).points_balance == 20
    assert LedgerEntry.objects.filter(user=user, reason=LedgerEntry.Reason.SIGNUP_BONUS).count() == 1
    dashboard = client.get("/me/dashboard/")
    assert dashboard.status_code == 200
    assert dashboard.context["wallet"].points_balance == 20


def test_password_reset_flow(client):
    user = UserFactory(email="forgot@example.com")
    client.post("/accounts/password/reset/", {"email": "forgot@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[-1].body).group(1)

    form_page = client.get(link, follow=True)
    action_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(action_url, {"password1": "Brand-new-pass-77", "password2": "Brand-new-pass-77"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand-new-pass-77")


def test_profile_update_and_validation(client):
    user = UserFactory()
    client.force_login(user)

    bad = client.post("/me/profile/", {"full_name": "Grace Hopper", "timezone": "Nowhere/Land"})
    assert bad.status_code == 200 and "timezone" in bad.context["form"].errors

    ok = client.post("/me/profile/", {"full_name": "Grace Hopper", "timezone": "Asia/Kolkata"})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.timezone) == ("Grace Hopper", "Asia/Kolkata")


def test_pages_need_login(client):
    for url in ["/me/dashboard/", "/me/profile/", "/me/points/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/me/dashboard/", "/me/points/"])
def test_account_pages_run_a_constant_number_of_queries(client, url, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts import services

    user = UserFactory()
    client.force_login(user)
    services.points_grant(user=user, amount=100, reason=LedgerEntry.Reason.ADJUSTMENT)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    # As committed in production: the writes start a new generation, so the dashboard renders afresh.
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(30):
            services.points_spend(user=user, amount=1)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries) <= 6


def test_login_with_wrong_password_shows_error(client):
    UserFactory(email="known@example.com")
    response = client.post("/accounts/login/", {"login": "known@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert b"not correct" in response.content or b"incorrect" in response.content.lower()
    ok = client.post("/accounts/login/", {"login": "known@example.com", "password": DEFAULT_PASSWORD})
    assert ok.status_code == 302
