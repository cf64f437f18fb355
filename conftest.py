import pytest
from django.core.cache import cache, caches


@pytest.fixture(autouse=True)
def _clear_cache(request):
    # The cache may be a shared Redis in CI: start every test from a clean slate.
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
