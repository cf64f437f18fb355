import pytest
from django.core.cache import cache, caches


def pytest_sessionstart(session):
    """Refuse to run against a Redis database that holds keys the tests did not write."""
    from talentvisa.cache_isolation import PrefixScopedRedisCache

    backend = caches["default"]
    if isinstance(backend, PrefixScopedRedisCache):
        foreign = backend.foreign_keys()
        if foreign:
            pytest.exit(
                f"Redis at {backend.location()} holds keys the tests do not own (e.g. {foreign[0]!r}); "
                "point TEST_REDIS_URL (or REDIS_URL) at an empty database of its own.",
                returncode=3,
            )


@pytest.fixture(autouse=True)
def _clear_cache(request):
    # The cache may be Redis: start every test from a clean slate (only the tests' own keys are deleted).
    cache.clear()
    caches["local"].clear()  # this process's memory of the site chrome
    _forget_site_settings()
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        # Warm the site-settings cache as a running site has it, so query-count assertions
        # measure pages in their steady state rather than the first request after a deploy.
        request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
        from core.conf import site_settings

        site_settings()
    yield
    cache.clear()
    caches["local"].clear()
    _forget_site_settings()


def _forget_site_settings():
    from core.conf import forget_local_copy

    forget_local_copy()


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


@pytest.fixture
def site_config():
    """site_config(referral_monthly_reward_cap=2): change staff-editable site settings in a test."""
    from core.conf import site_settings_update

    def update(**changes):
        return site_settings_update(actor=None, changes=changes)

    return update
