import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # The cache may be a shared Redis in CI: start every test from a clean slate.
    cache.clear()
    yield
    cache.clear()
