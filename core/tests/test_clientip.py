import pytest
from django.test import RequestFactory

from core.ratelimit import client_ip


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no proxy: the header is the client's own writing
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # nginx appended what it saw
        (1, "203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),  # load balancer + nginx
        (2, "203.0.113.7", "203.0.113.7"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_ip_trusts_only_the_hops_our_proxies_added(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
