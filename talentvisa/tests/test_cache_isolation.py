"""The tests' Redis cache deletes only its own keys; and what the tests would refuse."""

import pytest
from django.core.cache import cache, caches

from talentvisa.cache_isolation import PrefixScopedRedisCache


@pytest.fixture
def redis_cache():
    backend = caches["default"]
    if not isinstance(backend, PrefixScopedRedisCache):
        pytest.skip("the tests run on local memory here (set REDIS_URL or TEST_REDIS_URL)")
    return backend


def test_clear_deletes_only_keys_under_the_tests_prefix(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    # Somebody else's key in the same database, with a prefix that merely starts like ours.
    foreign = f"{redis_cache.key_prefix}-someone-else:1:session"
    client.set(foreign, b"keep me")
    try:
        cache.set("ours", 1)
        assert redis_cache.foreign_keys() == [foreign]
        cache.clear()
        assert cache.get("ours") is None
        assert client.get(foreign) == b"keep me"
    finally:
        client.delete(foreign)
    assert redis_cache.foreign_keys() == []


def test_the_test_settings_never_use_flushdb(redis_cache, monkeypatch):
    client = redis_cache._cache.get_client(write=True)
    monkeypatch.setattr(type(client), "flushdb", lambda *a, **k: pytest.fail("FLUSHDB called"))
    cache.set("ours", 1)
    cache.clear()
    assert cache.get("ours") is None


def test_location_hides_the_password():
    backend = PrefixScopedRedisCache("redis://:s3cret@cache.example:6379/4", {"KEY_PREFIX": "tv-test"})
    assert backend.location() == "redis://…@cache.example:6379/4"


def test_the_beat_schedule_lives_outside_the_repository():
    from pathlib import Path

    from django.conf import settings

    from talentvisa.celery import app

    schedule = Path(app.conf.beat_schedule_filename).resolve()
    assert not schedule.is_relative_to(Path(settings.BASE_DIR).resolve()), schedule
