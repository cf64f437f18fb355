"""/metrics (issue 22): Prometheus text for a scraper with the bearer token; 404 while no token is
configured, 403 for a wrong one; requests by view, Celery task outcomes and webhook outcomes; the
samples of several processes summed through PROMETHEUS_MULTIPROC_DIR (gunicorn workers)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.tasks import idempotency_keys_purge_task

pytestmark = pytest.mark.django_db

TOKEN = "m" * 12 + "etrics-token-for-tests"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def _scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_no_token_configured_means_no_endpoint(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert _scrape(client).status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong-token-of-some-length", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_a_wrong_or_missing_token_is_forbidden(client, token, header):
    response = client.get("/metrics", **({"HTTP_AUTHORIZATION": header} if header else {}))
    assert response.status_code == 403 and b"talentvisa_" not in response.content


@pytest.mark.django_db
def test_requests_tasks_and_webhooks_are_counted(client, token):
    def value(text, line_start):
        lines = [line for line in text.splitlines() if line.startswith(line_start)]
        return float(lines[0].rsplit(" ", 1)[1]) if lines else 0.0

    before = _scrape(client).content.decode()
    assert client.get("/").status_code == 200
    client.post("/payments/stripe-webhook/", b"{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=x")
    idempotency_keys_purge_task.delay()

    response = _scrape(client)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    home = 'talentvisa_http_requests_total{method="GET",status="200",view="home"}'
    assert value(text, home) == value(before, home) + 1
    assert 'talentvisa_http_request_duration_seconds_bucket{le="0.5",view="home"}' in text
    refused = 'talentvisa_webhooks_total{outcome="refused",source="stripe-account"}'
    assert value(text, refused) == value(before, refused) + 1
    purged = 'talentvisa_celery_tasks_total{outcome="succeeded",task="core.idempotency_keys_purge"}'
    assert value(text, purged) == value(before, purged) + 1
    assert 'view="metrics"' not in text  # the scraper's own requests are not counted


COUNT_ONE = "from core import metrics; metrics.request_observed(view='home', method='GET', status=200, seconds=0.01)"
READ = "from core import metrics; print(metrics.exposition().decode())"


def test_several_processes_are_summed_through_the_multiprocess_directory(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    for _ in range(3):  # three "workers", each its own process
        subprocess.run([sys.executable, "-c", COUNT_ONE], env=env, cwd=ROOT, check=True, timeout=60)
    out = subprocess.run([sys.executable, "-c", READ], env=env, cwd=ROOT, check=True, timeout=60, capture_output=True)
    assert 'talentvisa_http_requests_total{method="GET",status="200",view="home"} 3.0' in out.stdout.decode()
