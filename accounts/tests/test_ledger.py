import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from accounts import services
from accounts.models import LedgerEntry, Wallet
from accounts.services import InsufficientBalance
from talentvisa.testing import needs_postgres, run_concurrently

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _ledger_sum(user, asset=LedgerEntry.Asset.POINTS):
    return LedgerEntry.objects.filter(user=user, asset=asset).aggregate(s=Sum("amount"))["s"] or 0


def test_grant_and_spend_move_balance_and_write_ledger_rows():
    user = UserFactory()
    services.points_grant(user=user, amount=30, reason=LedgerEntry.Reason.ADJUSTMENT, description="test")
    entry = services.points_spend(user=user, amount=12, description="CV analysis")

    wallet = Wallet.objects.get(user=user)
    assert wallet.points_balance == 18
    assert entry.amount == -12 and entry.balance_after == 18 and entry.reason == LedgerEntry.Reason.SPEND
    assert _ledger_sum(user) == wallet.points_balance


def test_spend_more_than_balance_raises_clear_error_and_changes_nothing():
    user = UserFactory()
    services.points_grant(user=user, amount=5, reason=LedgerEntry.Reason.ADJUSTMENT)

    with pytest.raises(InsufficientBalance) as excinfo:
        services.points_spend(user=user, amount=6)

    assert str(excinfo.value) == "You need 6 points but have 5."
    assert Wallet.objects.get(user=user).points_balance == 5
    assert LedgerEntry.objects.filter(user=user).count() == 1


def test_spend_without_wallet_is_refused():
    user = UserFactory()
    with pytest.raises(InsufficientBalance):
        services.points_spend(user=user, amount=1)
    assert not LedgerEntry.objects.filter(user=user).exists()


def test_idempotency_key_applies_a_change_once():
    user = UserFactory()
    first = services.points_grant(user=user, amount=50, reason=LedgerEntry.Reason.PURCHASE, idempotency_key="cs_test_1")
    second = services.points_grant(
        user=user, amount=50, reason=LedgerEntry.Reason.PURCHASE, idempotency_key="cs_test_1"
    )

    assert first.pk == second.pk
    assert Wallet.objects.get(user=user).points_balance == 50


def test_refund_is_idempotent_by_key():
    user = UserFactory()
    services.points_grant(user=user, amount=10, reason=LedgerEntry.Reason.ADJUSTMENT)
    services.points_spend(user=user, amount=10)
    services.points_refund(user=user, amount=10, idempotency_key="refund-run-7")
    services.points_refund(user=user, amount=10, idempotency_key="refund-run-7")

    assert Wallet.objects.get(user=user).points_balance == 10
    assert _ledger_sum(user) == 10


@pytest.mark.parametrize("amount", [0, -3])
def test_non_positive_amounts_are_rejected(amount):
    user = UserFactory()
    with pytest.raises(ValueError):
        services.points_grant(user=user, amount=amount, reason=LedgerEntry.Reason.ADJUSTMENT)
    with pytest.raises(ValueError):
        services.points_spend(user=user, amount=amount)


def test_database_refuses_a_negative_balance_even_bypassing_services():
    user = UserFactory()
    services.wallet_ensure(user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Wallet.objects.filter(user=user).update(points_balance=-1)


def test_free_uses_have_the_same_guarantees():
    user = UserFactory()
    services.free_uses_grant(user=user, amount=1, reason=LedgerEntry.Reason.REFERRAL, idempotency_key="ref-1")
    services.free_uses_grant(user=user, amount=1, reason=LedgerEntry.Reason.REFERRAL, idempotency_key="ref-1")
    services.free_use_spend(user=user)

    with pytest.raises(InsufficientBalance) as excinfo:
        services.free_use_spend(user=user)
    assert "free AI uses" in str(excinfo.value)
    wallet = Wallet.objects.get(user=user)
    assert (wallet.free_ai_uses, wallet.points_balance) == (0, 0)
    assert _ledger_sum(user, LedgerEntry.Asset.FREE_AI_USES) == 0


def test_signup_bonus_is_granted_once(site_config):
    site_config(signup_bonus_points=20)
    user = UserFactory()
    services.user_email_verified(user=user)
    services.user_email_verified(user=user)

    assert Wallet.objects.get(user=user).points_balance == 20
    assert LedgerEntry.objects.filter(user=user, reason=LedgerEntry.Reason.SIGNUP_BONUS).count() == 1


@pytest.mark.parametrize(
    ("first", "alias"),
    [
        ("jane.doe@gmail.com", "janedoe+2@googlemail.com"),
        ("jane.doe@gmail.com", "J.A.N.E.D.O.E@gmail.com"),
        ("sam@outlook.com", "sam+visa@outlook.com"),
        ("sam@example.org", "Sam+1@Example.org"),
    ],
)
def test_signup_bonus_is_granted_once_per_inbox_not_per_alias(site_config, first, alias):
    site_config(signup_bonus_points=20)
    owner, farmer, stranger = UserFactory(email=first), UserFactory(email=alias), UserFactory(email="s.am@example.org")

    for user in (owner, farmer, stranger):
        services.user_email_verified(user=user)

    points = {u.email: Wallet.objects.get(user=u).points_balance for u in (owner, farmer, stranger)}
    # s.am@ is another inbox outside Gmail (dots count there): a stranger keeps their bonus.
    assert points == {first: 20, alias: 0, "s.am@example.org": 20}


def test_a_new_address_does_not_bring_a_second_bonus(site_config):
    site_config(signup_bonus_points=20)
    user = UserFactory(email="first@example.com")
    services.user_email_verified(user=user)
    user.email = "second@example.com"
    user.save(update_fields=["email"])
    services.user_email_verified(user=user)
    assert Wallet.objects.get(user=user).points_balance == 20


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_spends_against_a_balance_of_ten():
    needs_postgres()
    user = UserFactory()
    services.points_grant(user=user, amount=10, reason=LedgerEntry.Reason.ADJUSTMENT)

    results = run_concurrently([lambda: services.points_spend(user=user, amount=1)] * 50)

    succeeded = [r for r in results if isinstance(r, LedgerEntry)]
    refused = [r for r in results if isinstance(r, InsufficientBalance)]
    assert len(succeeded) == 10
    assert len(refused) == 40
    assert Wallet.objects.get(user=user).points_balance == 0
    assert _ledger_sum(user) == 0
    assert sorted(e.balance_after for e in succeeded) == list(range(10))


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_with_one_idempotency_key_credit_once():
    needs_postgres()
    user = UserFactory()

    results = run_concurrently(
        [
            lambda: services.points_grant(
                user=user, amount=50, reason=LedgerEntry.Reason.PURCHASE, idempotency_key="cs_test_race"
            )
        ]
        * 20
    )

    assert all(isinstance(r, LedgerEntry) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Wallet.objects.get(user=user).points_balance == 50
