import re

import pytest
from django.core import mail

from accounts.models import LedgerEntry, User
from accounts.selectors import wallet_for
from accounts.tests.factories import UserFactory
from referrals import services
from referrals.models import Referral, ReferralCode
from talentvisa.testing import needs_postgres, run_concurrently

pytestmark = pytest.mark.django_db
PASSWORD = "a-Strong-passw0rd!"


def _signup(client, email, **extra):
    return client.post(
        "/accounts/signup/",
        {"email": email, "full_name": "New Person", "password1": PASSWORD, "password2": PASSWORD, **extra},
    )


def _verify_last_email(client):
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    return client.post(link)


def _free_uses(user):
    return wallet_for(user=user).free_ai_uses


def test_codes_are_short_unique_and_unambiguous():
    codes = {services.referral_code_ensure(user=UserFactory()).code for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert len(code) == 7 and not set(code) & set("01OIL")
    user = UserFactory()
    assert services.referral_code_ensure(user=user) == services.referral_code_ensure(user=user)


def test_share_link_attribution_through_signup_and_verification(client):
    referrer = UserFactory()
    code = services.referral_code_ensure(user=referrer).code

    landing = client.get(f"/r/{code.lower()}/")
    assert landing.status_code == 302 and landing.headers["Location"] == "/accounts/signup/"
    assert landing.cookies["tv_ref"].value == code and landing.cookies["tv_ref"]["max-age"] == 60 * 60 * 24 * 30
    # The signup form comes back pre-filled with the remembered code.
    assert client.get("/accounts/signup/").context["form"].initial["referral_code"] == code

    _signup(client, "friend@example.com", referral_code=code)
    referred = User.objects.get(email="friend@example.com")
    referral = Referral.objects.get(referred=referred)
    assert (referral.referrer, referral.status, referral.via) == (referrer, Referral.Status.SIGNED_UP, "link")
    assert _free_uses(referrer) == 0

    _verify_last_email(client)

    referral.refresh_from_db()
    assert referral.status == Referral.Status.REWARDED
    assert _free_uses(referrer) == 1 and _free_uses(referred) == 1


def test_cookie_alone_attributes_a_later_signup(client):
    referrer = UserFactory()
    code = services.referral_code_ensure(user=referrer).code
    client.cookies["tv_ref"] = code  # a visit weeks ago; the session is gone, the cookie stays

    _signup(client, "later@example.com")  # the user cleared nothing, typed nothing

    assert Referral.objects.get(referred__email="later@example.com").referrer == referrer


def test_typed_code_at_signup(client):
    referrer = UserFactory()
    code = services.referral_code_ensure(user=referrer).code

    _signup(client, "typed@example.com", referral_code=f" {code[:3].lower()}-{code[3:]} ")
    _verify_last_email(client)

    referral = Referral.objects.get(referred__email="typed@example.com")
    assert referral.via == "code" and referral.status == Referral.Status.REWARDED


def test_unknown_code_is_refused_with_a_clear_message(client):
    response = _signup(client, "x@example.com", referral_code="ZZZZZZZ")
    assert response.status_code == 200
    assert response.context["form"].errors["referral_code"] == [services.REFUSED]
    assert not User.objects.filter(email="x@example.com").exists()


def test_self_referral_with_gmail_aliases_is_refused(client):
    referrer = UserFactory(email="jane.doe@gmail.com")
    code = services.referral_code_ensure(user=referrer).code

    response = _signup(client, "JaneDoe+visa@googlemail.com", referral_code=code)

    assert response.status_code == 200
    # The same neutral answer as an unknown code: a stranger learns nothing about the owner's email.
    assert response.context["form"].errors["referral_code"] == [services.REFUSED]
    assert "own" not in services.REFUSED


def test_one_referrer_per_user():
    first, second, referred = UserFactory(), UserFactory(), UserFactory()
    a = services.referral_attach(referred=referred, code=services.referral_code_ensure(user=first).code)
    b = services.referral_attach(referred=referred, code=services.referral_code_ensure(user=second).code)
    assert a.pk == b.pk and b.referrer == first


def test_monthly_cap_rejects_with_reason(site_config):
    site_config(referral_monthly_reward_cap=2)
    referrer = UserFactory()
    code = services.referral_code_ensure(user=referrer).code
    friends = [UserFactory() for _ in range(3)]
    for friend in friends:
        services.referral_attach(referred=friend, code=code)
        services.referral_qualify(referred=friend)

    statuses = list(Referral.objects.order_by("created_at", "pk").values_list("status", "rejection_reason"))
    assert statuses[:2] == [("rewarded", ""), ("rewarded", "")]
    assert statuses[2] == ("rejected", "Monthly reward cap reached (2 per month).")
    assert _free_uses(referrer) == 2


def test_purchase_requirement_and_reversal_on_refund(site_config):
    site_config(referral_require_purchase=True)
    referrer, friend = UserFactory(), UserFactory()
    services.referral_attach(referred=friend, code=services.referral_code_ensure(user=referrer).code)

    assert services.referral_qualify(referred=friend) is None  # verification alone is not enough
    services.referral_qualify(referred=friend, payment_id="42")
    assert _free_uses(referrer) == 1

    services.referral_reverse_for_payment(payment_id="42")
    services.referral_reverse_for_payment(payment_id="42")

    referral = Referral.objects.get(referred=friend)
    assert referral.status == Referral.Status.REJECTED and "refunded" in referral.rejection_reason
    assert _free_uses(referrer) == 0 and _free_uses(friend) == 0


def test_staff_reward_after_rejection_credits_again_and_is_logged():
    staff, referrer, friend = UserFactory(is_staff=True), UserFactory(), UserFactory()
    services.referral_attach(referred=friend, code=services.referral_code_ensure(user=referrer).code)
    services.referral_qualify(referred=friend)
    referral = Referral.objects.get(referred=friend)

    services.referral_reject(referral=referral, actor=staff, note="duplicate account")
    assert _free_uses(referrer) == 0
    services.referral_reward_manually(referral=referral, actor=staff, note="appeal accepted")

    assert _free_uses(referrer) == 1
    assert list(referral.events.values_list("to_status", "actor")) == [
        ("signed_up", None),
        ("qualified", None),
        ("rewarded", None),
        ("rejected", staff.pk),
        ("rewarded", staff.pk),
    ]


def test_referral_page_shows_code_counts_and_masked_emails(client, django_assert_max_num_queries):
    referrer = UserFactory()
    code = services.referral_code_ensure(user=referrer).code
    for i in range(5):
        friend = UserFactory(email=f"friend{i}@example.com")
        services.referral_attach(referred=friend, code=code)
        services.referral_qualify(referred=friend)
    client.force_login(referrer)

    with django_assert_max_num_queries(10):
        response = client.get("/me/referrals/")

    body = response.content.decode()
    assert code in body and "friend0@example.com" not in body and "fr•••@example.com" in body
    assert response.context["summary"] == {"signed_up": 5, "qualified": 5, "rewarded": 5, "free_uses_earned": 5}


@pytest.mark.django_db(transaction=True)
def test_concurrent_qualification_rewards_once():
    needs_postgres()
    referrer, friend = UserFactory(), UserFactory()
    services.referral_attach(referred=friend, code=services.referral_code_ensure(user=referrer).code)

    results = run_concurrently([lambda: services.referral_qualify(referred=friend)] * 20)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert _free_uses(referrer) == 1 and _free_uses(friend) == 1
    assert LedgerEntry.objects.filter(reason=LedgerEntry.Reason.REFERRAL).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_qualifications_respect_the_cap(site_config):
    needs_postgres()
    site_config(referral_monthly_reward_cap=3)
    referrer = UserFactory()
    code = services.referral_code_ensure(user=referrer).code
    friends = [UserFactory() for _ in range(10)]
    for friend in friends:
        services.referral_attach(referred=friend, code=code)

    results = run_concurrently([lambda f=f: services.referral_qualify(referred=f) for f in friends])

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Referral.objects.filter(status=Referral.Status.REWARDED).count() == 3
    assert _free_uses(referrer) == 3
    assert ReferralCode.objects.count() == 1


def test_first_purchase_qualifies_and_full_refund_reverses(client, settings, site_config):
    from payments.models import Payment, PointsPackage
    from payments.services import refund_create

    site_config(referral_require_purchase=True)
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    referrer, friend = UserFactory(), UserFactory()
    services.referral_attach(referred=friend, code=services.referral_code_ensure(user=referrer).code)
    services.referral_qualify(referred=friend)  # verification alone: still signed up
    assert Referral.objects.get(referred=friend).status == Referral.Status.SIGNED_UP

    client.force_login(friend)
    package, _ = PointsPackage.objects.get_or_create(points=50, price_pence=500, defaults={"name": "Starter"})
    checkout_url = client.post("/payments/points/", {"package": package.pk})["Location"]
    client.post(checkout_url, {"action": "pay"})

    payment = Payment.objects.get(user=friend)
    referral = Referral.objects.get(referred=friend)
    assert referral.status == Referral.Status.REWARDED and referral.qualifying_payment_id == str(payment.pk)
    assert _free_uses(referrer) == 1

    refund_create(payment=payment, amount_pence=100, reason="partial", requested_by=None, idempotency_key="r1")
    assert Referral.objects.get(referred=friend).status == Referral.Status.REWARDED  # partial: purchase stands
    refund_create(payment=payment, amount_pence=None, reason="full", requested_by=None, idempotency_key="r2")
    assert Referral.objects.get(referred=friend).status == Referral.Status.REJECTED
    assert _free_uses(referrer) == 0
