"""Redis unreachable: the cache degrades to "empty and forgetful", pages render from the database.

The cache here is the real Redis backend pointed at a port nothing listens on, so every call
fails the way it does during an outage (connection refused). The fault suite (tests/faults)
stops and restarts a real Redis instead.
"""

import socket

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

from accounts.tests.factories import UserFactory
from core import fragments, ratelimit
from core.conf import forget_local_copy, setting
from expert_marketplace.tests.factories import ExpertProfileFactory, SessionTypeFactory
from talentvisa import cache as cache_module

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is: connection refused


@pytest.fixture
def redis_down():
    dead = {
        "BACKEND": "talentvisa.cache.SharedClientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "site-chrome"}
    with override_settings(
        CACHES={"default": dead, "local": local}, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        forget_local_copy()
        caches["local"].clear()
        yield caches["default"]
    forget_local_copy()


def test_every_cache_call_degrades_instead_of_raising(redis_down):
    assert cache.get("k") is None and cache.get("k", "fallback") == "fallback"
    assert cache.set("k", 1) is None and cache.add("k", 1) is False
    assert cache.get_many(["a", "b"]) == {} and cache.set_many({"a": 1}) == []
    assert cache.delete("k") is False and cache.delete_many(["a"]) is None and cache.has_key("k") is False
    with pytest.raises(ValueError):
        cache.incr("k")


def test_after_a_failure_redis_is_not_tried_again_for_a_moment(redis_down, monkeypatch):
    assert cache.get("k") is None
    calls = []
    monkeypatch.setattr(cache_module.RedisCache, "get", lambda *a, **k: calls.append(1))
    for _ in range(50):
        cache.get("k")
    assert calls == []  # a dead host costs one connect timeout per worker every few seconds


def test_public_and_logged_in_pages_render_from_the_database_during_an_outage(client, redis_down):
    expert = ExpertProfileFactory()
    SessionTypeFactory(expert=expert)
    user = UserFactory()

    for path in ("/", "/experts/", f"/experts/{expert.slug}/", "/contact/", "/healthz"):
        response = client.get(path)
        assert response.status_code == (503 if path == "/healthz" else 200), path
    assert client.get("/healthz").json()["checks"]["cache"]["ok"] is False  # still reported down

    client.force_login(user)  # the session is written to the database (cached_db)
    for path in ("/me/dashboard/", "/bookings/", "/tools/history/", "/me/points/"):
        response = client.get(path)
        assert response.status_code == 200 and user.email in response.content.decode(), path


def test_site_settings_and_fragment_generations_fall_back_to_the_database(redis_down, site_config):
    site_config(signup_bonus_points=33)
    forget_local_copy()
    assert setting("SIGNUP_BONUS_POINTS") == 33
    assert fragments.generation("user:1") == "None"  # never a cached fragment: rendered every time


def test_rate_limits_fail_open_while_the_cache_is_down(redis_down):
    """Documented direction: a Redis outage must not lock everyone out of login or contact."""
    assert all(ratelimit.hit(scope="t", key="k", limit=1, period_seconds=60) for _ in range(5))


def test_sessions_survive_the_cache_being_emptied(client):
    """cached_db: a Redis restart without persistence (an emptied cache) logs nobody out."""
    user = UserFactory()
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        client.force_login(user)
        cache.clear()
        assert user.email in client.get("/me/dashboard/").content.decode()


def test_the_compose_redis_persists_to_a_volume():
    from pathlib import Path

    import yaml
    from django.conf import settings

    compose = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())
    redis = compose["services"]["redis"]
    assert "--appendonly" in redis["command"] and redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
    volume = redis["volumes"][0].split(":")
    assert volume[1] == "/data" and volume[0] in compose["volumes"]
