"""Redis killed and restarted under a signed-in user: every page is served, nobody is logged out,
nothing written during the outage is lost."""

import time

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from accounts.models import Wallet
from accounts.tests.factories import UserFactory
from ai_tools.tests.factories import funded_user
from core.conf import forget_local_copy
from expert_marketplace.tests.factories import ExpertProfileFactory, SessionTypeFactory
from site_admin.models import Inquiry

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = ["/", "/experts/", "/contact/"]
SIGNED_IN = ["/me/dashboard/", "/bookings/", "/tools/history/", "/me/points/", "/payments/history/"]


def _cache_settings(url):
    return {
        "default": {
            "BACKEND": "talentvisa.cache.SharedClientRedisCache",
            "LOCATION": f"{url}/0",
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "faults-chrome"},
    }


def _sweep(client, paths, user):
    results = {}
    for path in paths:
        response = client.get(path)
        body = response.content.decode()
        results[path] = response.status_code
        if path in SIGNED_IN:
            assert user.email in body, f"{path}: the user was logged out"
    return results


def test_pages_and_sessions_survive_redis_being_killed_and_restarted(fault_redis):
    expert = ExpertProfileFactory()
    SessionTypeFactory(expert=expert)
    user = funded_user(points=30)
    paths = [*PUBLIC, f"/experts/{expert.slug}/", *SIGNED_IN]
    with override_settings(
        CACHES=_cache_settings(fault_redis.url), SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        forget_local_copy()
        client = Client(raise_request_exception=False)
        client.force_login(user)
        before = _sweep(client, paths, user)
        assert set(before.values()) == {200}, before

        fault_redis.kill()  # the outage
        started = time.perf_counter()
        during = _sweep(client, paths, user)
        during_ms = (time.perf_counter() - started) * 1000 / len(paths)
        health = client.get("/healthz")
        # Writes during the outage land in the database.
        sent = client.post(
            "/contact/",
            {"name": "U", "email": user.email, "topic": "other", "subject": "During the outage", "body": "x" * 40},
        )

        fault_redis.start()  # back, with its append-only file
        caches["default"]._down_until = 0.0  # do not wait out the 2 s back-off in a test
        after = _sweep(client, paths, user)
        forget_local_copy()

    assert set(during.values()) == {200}, during  # was: 500 on /experts/ and profiles for the whole outage
    assert health.status_code == 503 and health.json()["checks"]["cache"]["ok"] is False
    assert sent.status_code == 302 and Inquiry.objects.filter(subject="During the outage").exists()
    assert set(after.values()) == {200}, after
    assert Wallet.objects.get(user=user).points_balance == 30  # no money moved or lost
    print(f"\nRedis outage: {len(paths)}/{len(paths)} pages served, {during_ms:.0f} ms a page on average")


def test_a_session_created_during_the_outage_survives_redis_coming_back_empty(fault_redis, tmp_path):
    user = UserFactory()
    with override_settings(
        CACHES=_cache_settings(fault_redis.url), SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        fault_redis.kill()
        client = Client(raise_request_exception=False)
        client.force_login(user)  # logged in while Redis is down: stored in the database only
        fault_redis.start()
        caches["default"].clear()
        caches["default"]._down_until = 0.0
        page = client.get("/me/dashboard/")
    assert page.status_code == 200 and user.email in page.content.decode()
