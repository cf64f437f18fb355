import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "c0rrect-Horse-battery-staple"


def test_createstaff_from_env_makes_a_verified_staff_account_that_must_enrol_mfa(client, monkeypatch, settings, capsys):
    settings.MFA_REQUIRED_FOR_STAFF = True
    monkeypatch.setenv("CREATESTAFF_PASSWORD", PASSWORD)
    call_command("createstaff", email="Ops@Example.com", name="Ops Person", noinput=True)

    user = User.objects.get(email="ops@example.com")
    assert user.role == User.Role.STAFF and user.is_staff and user.is_superuser and user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert "authenticator app" in capsys.readouterr().out

    # No email needed: the first login works, and lands on the authenticator set-up page.
    response = client.post("/accounts/login/", {"login": "ops@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/accounts/2fa/totp/activate/"
    # The admin stays closed until two-factor authentication is on.
    response = client.get("/admin/")
    assert response.status_code == 302 and "/2fa/totp/activate" in response.headers["Location"]
    # Before the first authenticator: a code emailed to the account's address (accounts/staff_mfa.py).
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and response.headers["Location"] == "/me/staff-mfa/verify/"
    client.get("/me/staff-mfa/verify/")
    code = re.search(r"^\s+(\d{6})$", mail.outbox[-1].body, re.M).group(1)
    client.post("/me/staff-mfa/verify/", {"code": code})
    # allauth asks for the password once more before showing the authenticator set-up (QR code).
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/accounts/reauthenticate/")
    client.post(response.headers["Location"], {"password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200 and b"Authenticator" in response.content


def test_createstaff_prompts_twice_when_on_a_terminal(monkeypatch):
    answers = iter(["nope", "different", PASSWORD, PASSWORD])
    monkeypatch.setattr("os.isatty", lambda fd: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("createstaff", email="lead@example.com")
    assert User.objects.get(email="lead@example.com").check_password(PASSWORD)


@pytest.mark.parametrize(("password", "message"), [("", "set CREATESTAFF_PASSWORD"), ("password", "too common")])
def test_createstaff_refuses_a_missing_or_weak_password(monkeypatch, password, message):
    monkeypatch.setenv("CREATESTAFF_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("createstaff", email="ops@example.com", noinput=True)
    assert not User.objects.exists()


def test_createstaff_refuses_an_existing_email(monkeypatch):
    User.objects.create_user(email="ops@example.com", password=PASSWORD)
    monkeypatch.setenv("CREATESTAFF_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="already exists"):
        call_command("createstaff", email="ops@example.com", noinput=True)
