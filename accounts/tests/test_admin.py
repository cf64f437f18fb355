"""User admin: wallet balances in the list, balance actions with a reason, resend verification, links."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from accounts.selectors import wallet_for
from accounts.services import free_uses_grant, points_grant
from accounts.tests.factories import UserFactory
from core.models import StaffAction

pytestmark = pytest.mark.django_db
URL = "/admin/accounts/user/"


def _post(client, action, ids, follow=False, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(i) for i in ids], "index": 0, **extra}
    return client.post(URL, data, follow=follow)


def test_user_list_shows_balances_with_constant_queries(admin_client, django_assert_max_num_queries):
    rich = UserFactory(email="rich@example.com")
    points_grant(user=rich, amount=321, reason="adjustment", description="x")
    free_uses_grant(user=rich, amount=4, reason="adjustment", description="x")
    html = admin_client.get(URL + "?q=rich").content.decode()
    assert "321" in html and "free AI uses" in html

    with django_assert_max_num_queries(20) as few:
        admin_client.get(URL)
    for _ in range(10):
        points_grant(user=UserFactory(), amount=5, reason="adjustment", description="x")
    UserFactory()  # one without a wallet row yet still lists
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(URL).status_code == 200


def test_each_balance_action_asks_for_amount_and_reason(admin_client):
    user = UserFactory()
    for action in ("grant_points", "deduct_points", "grant_free_uses", "deduct_free_uses"):
        response = _post(admin_client, action, [user.pk])
        html = response.content.decode()
        assert response.status_code == 200 and 'name="amount"' in html and 'name="reason"' in html, action
    response = _post(admin_client, "grant_points", [user.pk], apply="1", amount="5", reason="")
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert wallet_for(user=user).points_balance == 0


def test_free_uses_grant_and_deduct_never_below_zero_per_user(admin_client, admin_user):
    has, hasnt = UserFactory(email="has@example.com"), UserFactory(email="hasnt@example.com")
    _post(admin_client, "grant_free_uses", [has.pk], apply="1", amount="3", reason="Support gesture")
    response = _post(
        admin_client, "deduct_free_uses", [has.pk, hasnt.pk], apply="1", amount="2", reason="Granted twice", follow=True
    )
    assert wallet_for(user=has).free_ai_uses == 1
    assert wallet_for(user=hasnt).free_ai_uses == 0
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("hasnt@example.com:") for m in messages)  # the InsufficientBalance message
    assert any(m.startswith("has@example.com:") and "deduct" in m for m in messages)
    logged = list(StaffAction.objects.filter(actor=admin_user).values_list("action", "target_id", "reason"))
    assert ("grant_free_uses 3", str(has.pk), "Support gesture") in logged
    assert ("deduct_free_uses 2", str(has.pk), "Granted twice") in logged
    assert not any(target == str(hasnt.pk) for _, target, _ in logged)


def test_resend_verification_only_to_unverified(admin_client, mailoutbox):
    unverified = UserFactory(verified=False)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False, primary=True)
    verified = UserFactory()
    _post(admin_client, "resend_verification", [unverified.pk, verified.pk])
    assert [m.to for m in mailoutbox] == [[unverified.email]]
    assert StaffAction.objects.filter(action="resend_verification", target_id=str(unverified.pk)).exists()


def test_user_and_expert_profile_link_each_other(admin_client):
    from expert_marketplace.tests.factories import ExpertProfileFactory

    expert = ExpertProfileFactory(display_name="Dana Expert")
    user_page = admin_client.get(f"{URL}{expert.user.pk}/change/").content.decode()
    assert f"/admin/expert_marketplace/expertprofile/{expert.pk}/change/" in user_page and "Dana Expert" in user_page
    expert_page = admin_client.get(f"/admin/expert_marketplace/expertprofile/{expert.pk}/change/").content.decode()
    assert f"/admin/accounts/user/{expert.user.pk}/change/" in expert_page

    plain = UserFactory()
    points_grant(user=plain, amount=9, reason="adjustment", description="x")
    page = admin_client.get(f"{URL}{plain.pk}/change/").content.decode()
    assert "9 points" in page and f"/admin/accounts/ledgerentry/?user__id__exact={plain.pk}" in page
    assert admin_client.get(f"/admin/accounts/ledgerentry/?user__id__exact={plain.pk}").status_code == 200
