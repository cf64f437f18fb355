import pytest
from django.core.management import CommandError, call_command

from accounts.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User, Wallet

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_logins_work(client, capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")

    assert User.objects.count() == len(DEMO_USERS)
    staff = User.objects.get(role=User.Role.STAFF)
    assert staff.is_staff and staff.is_superuser
    # The signup bonus is granted once even though the command ran twice.
    assert set(Wallet.objects.values_list("points_balance", flat=True)) == {20}
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and DEMO_USERS[1]["email"] in out

    settings.DEBUG = False
    response = client.post("/accounts/login/", {"login": DEMO_USERS[1]["email"], "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/me/dashboard/"


def test_seed_demo_refuses_in_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refused with DEBUG=False"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_on_a_demo_site_never_uses_the_documented_password(client, capsys, settings):
    settings.DEBUG = False
    call_command("seed_demo", allow_production=True)
    staff = User.objects.get(email=DEMO_USERS[0]["email"])
    assert staff.is_staff and not staff.check_password(DEMO_PASSWORD)
    out = capsys.readouterr().out
    assert DEMO_PASSWORD not in out
    printed = out.split(f"{DEMO_USERS[0]['email']}")[1].split("password:")[1].split()[0]
    assert staff.check_password(printed)
    response = client.post("/accounts/login/", {"login": DEMO_USERS[0]["email"], "password": DEMO_PASSWORD})
    assert response.status_code == 200  # the documented password does not open the demo staff account
