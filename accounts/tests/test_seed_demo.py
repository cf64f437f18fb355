import pytest
from django.core.management import call_command

from accounts.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User, Wallet

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_logins_work(client, capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    assert User.objects.count() == len(DEMO_USERS)
    staff = User.objects.get(role=User.Role.STAFF)
    assert staff.is_staff and staff.is_superuser
    # The signup bonus is granted once even though the command ran twice.
    assert set(Wallet.objects.values_list("points_balance", flat=True)) == {20}
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and DEMO_USERS[1]["email"] in out

    response = client.post("/accounts/login/", {"login": DEMO_USERS[1]["email"], "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/me/dashboard/"
