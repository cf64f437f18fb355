"""Payouts onboarding through the real stripe library (talking to payments' in-process fake),
account.updated on the Connect webhook endpoint, and the test-mode stand-in."""

import pytest

from expert_marketplace import services
from expert_marketplace.models import ExpertEvent, ExpertProfile
from payments.models import WebhookEvent
from payments.tests.conftest import CONNECT_WEBHOOK_SECRET, post_webhook, stripe_fake, test_mode  # noqa: F401
from payments.tests.fake_stripe import make_event

from .factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db

CONNECT_PATH = "/payments/stripe-connect-webhook/"


@pytest.fixture
def expert_client(client):
    expert = ExpertProfileFactory()
    client.force_login(expert.user)
    client.expert = expert
    return client


def _account(account_id, **fields):
    return {
        "id": account_id,
        "object": "account",
        "charges_enabled": False,
        "payouts_enabled": False,
        "details_submitted": False,
        "requirements": {"currently_due": [], "past_due": []},
        **fields,
    }


def test_set_up_payouts_creates_account_once_and_redirects_to_stripe(expert_client, stripe_fake):  # noqa: F811
    expert = expert_client.expert
    response = expert_client.post("/expert/payouts/start/")
    expert.refresh_from_db()
    assert expert.stripe_account_id.startswith("acct_")
    assert response.status_code == 302
    assert response["Location"] == f"https://connect.stripe.test/setup/{expert.stripe_account_id}"

    account_posts = stripe_fake.posts_to("/v1/accounts")
    assert len(account_posts) == 1
    params = account_posts[0].params
    assert params["type"] == "express" and params["email"] == expert.user.email
    assert account_posts[0].idempotency_key == f"account-expert-{expert.pk}"
    link = stripe_fake.posts_to("/v1/account_links")[0].params
    assert link["account"] == expert.stripe_account_id and link["type"] == "account_onboarding"
    assert link["return_url"] == "http://testserver/expert/payouts/return/"
    assert link["refresh_url"] == "http://testserver/expert/payouts/refresh/"

    # Again (or an expired link's refresh): the same account, a fresh link.
    expert_client.post("/expert/payouts/start/")
    refresh = expert_client.get("/expert/payouts/refresh/")
    assert refresh["Location"].endswith(expert.stripe_account_id)
    assert len(stripe_fake.posts_to("/v1/accounts")) == 1
    assert len(stripe_fake.posts_to("/v1/account_links")) == 3
    assert expert.events.filter(action=ExpertEvent.Action.CONNECT_CREATED).count() == 1

    html = expert_client.get("/expert/payouts/return/", follow=True).content.decode()
    assert "Payouts not yet enabled — finish onboarding" in html


def test_gateway_failure_is_reported_not_raised(expert_client, stripe_fake):  # noqa: F811
    stripe_fake.fail_next = [400]
    response = expert_client.post("/expert/payouts/start/", follow=True)
    assert "could not reach our payment provider" in response.content.decode()
    expert_client.expert.refresh_from_db()
    assert expert_client.expert.stripe_account_id == ""


def test_account_updated_webhook_syncs_the_profile(expert_client, stripe_fake, post_webhook):  # noqa: F811
    expert = expert_client.expert
    expert_client.post("/expert/payouts/start/")
    expert.refresh_from_db()
    acct = expert.stripe_account_id

    due = _account(acct, details_submitted=True, requirements={"currently_due": ["external_account"], "past_due": []})
    event = make_event("account.updated", due)
    event["created"] = 1_900_000_000
    assert post_webhook(event, path=CONNECT_PATH).status_code == 400  # the platform secret is wrong here
    assert post_webhook(event, secret=CONNECT_WEBHOOK_SECRET, path=CONNECT_PATH).status_code == 200
    expert.refresh_from_db()
    assert (expert.details_submitted, expert.payouts_enabled, expert.requirements_due) == (
        True,
        False,
        ["external_account"],
    )
    html = expert_client.get("/expert/").content.decode()
    assert "Payouts not yet enabled — finish onboarding" in html and "Bank account for payouts" in html

    enabled = make_event(
        "account.updated", _account(acct, charges_enabled=True, payouts_enabled=True, details_submitted=True)
    )
    enabled["created"] = 1_900_000_100
    assert post_webhook(enabled, secret=CONNECT_WEBHOOK_SECRET, path=CONNECT_PATH).status_code == 200
    # A redelivery is answered but changes nothing; an older event arriving late is ignored.
    assert post_webhook(enabled, secret=CONNECT_WEBHOOK_SECRET, path=CONNECT_PATH).status_code == 200
    stale = make_event("account.updated", due)
    stale["created"] = 1_900_000_050
    assert post_webhook(stale, secret=CONNECT_WEBHOOK_SECRET, path=CONNECT_PATH).status_code == 200
    expert.refresh_from_db()
    assert expert.charges_enabled and expert.payouts_enabled and expert.requirements_due == []
    assert expert.events.filter(action=ExpertEvent.Action.CONNECT_UPDATED).count() == 2
    assert "Payouts enabled" in expert_client.get("/expert/").content.decode()
    assert 'data-check="payouts" data-done="true"' in expert_client.get("/expert/").content.decode()


def test_account_updated_for_unknown_account_is_acknowledged(post_webhook, stripe_fake):  # noqa: F811
    event = make_event("account.updated", _account("acct_someone_else", charges_enabled=True))
    assert post_webhook(event, secret=CONNECT_WEBHOOK_SECRET, path=CONNECT_PATH).status_code == 200
    row = WebhookEvent.objects.get(event_id=event["id"])
    assert row.processed_at is not None and "no expert" in row.note


def test_sync_is_idempotent():
    expert = ExpertProfileFactory(stripe_account_id="acct_1")
    for _ in range(2):
        services.expert_connect_account_sync(
            account_id="acct_1", charges_enabled=True, payouts_enabled=True, details_submitted=True, requirements_due=[]
        )
    assert expert.events.filter(action=ExpertEvent.Action.CONNECT_UPDATED).count() == 1
    assert ExpertProfile.objects.get(pk=expert.pk).payouts_enabled


def test_test_mode_onboarding_page_enables_payouts(expert_client, test_mode):  # noqa: F811
    response = expert_client.post("/expert/payouts/start/")
    assert response["Location"] == "http://testserver/expert/payouts/test-onboarding/"
    page = expert_client.get("/expert/payouts/test-onboarding/")
    assert page.status_code == 200 and "no real account" in page.content.decode()
    expert_client.expert.refresh_from_db()
    assert expert_client.expert.stripe_account_id == f"tm_acct_expert-{expert_client.expert.pk}"

    response = expert_client.post("/expert/payouts/test-onboarding/", {"action": "incomplete"}, follow=True)
    assert "Payouts not yet enabled" in response.content.decode()
    response = expert_client.post("/expert/payouts/test-onboarding/", {"action": "complete"}, follow=True)
    assert "Payouts are enabled" in response.content.decode()
    expert_client.expert.refresh_from_db()
    assert expert_client.expert.payouts_enabled and expert_client.expert.charges_enabled


def test_test_mode_page_is_off_when_test_mode_is_off(expert_client, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = False
    settings.DEBUG = False
    ExpertProfile.objects.filter(pk=expert_client.expert.pk).update(stripe_account_id="tm_acct_expert-1")
    assert expert_client.get("/expert/payouts/test-onboarding/").status_code == 404
    response = expert_client.post("/expert/payouts/start/", follow=True)
    assert "could not reach our payment provider" in response.content.decode()
