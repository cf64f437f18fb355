"""Prometheus metrics (prometheus-client): what the project counts, in one place.

- `talentvisa_http_requests_total{view,method,status}` and `talentvisa_http_request_duration_seconds{view}`
  (talentvisa.metrics.MetricsMiddleware; `view` is the URL name, never the path, so ids do not
  explode the label set);
- `talentvisa_celery_tasks_total{task,outcome}` (succeeded / failed / retried / rejected; Celery
  signals connected in talentvisa/celery.py);
- `talentvisa_webhooks_total{source,outcome}` (Stripe endpoints, the email provider's tracking).

With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty directory, wiped at start):
every process writes its samples there and `/metrics` sums them (`registry()`).
"""

from __future__ import annotations

import os

from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

REQUESTS = Counter("talentvisa_http_requests", "HTTP requests answered, by view", ["view", "method", "status"])
LATENCY = Histogram(
    "talentvisa_http_request_duration_seconds",
    "Time to answer a request, by view",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TASKS = Counter("talentvisa_celery_tasks", "Celery task runs, by outcome", ["task", "outcome"])
WEBHOOKS = Counter("talentvisa_webhooks", "Incoming webhooks, by outcome", ["source", "outcome"])


def request_observed(*, view: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)


def task_outcome(*, task: str, outcome: str) -> None:
    TASKS.labels(task=task, outcome=outcome).inc()


def webhook_outcome(*, source: str, outcome: str) -> None:
    WEBHOOKS.labels(source=source, outcome=outcome).inc()


def registry() -> CollectorRegistry:
    """This process's registry, or the sum over every process's files in PROMETHEUS_MULTIPROC_DIR."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
        return combined
    return DEFAULT_REGISTRY


def exposition() -> bytes:
    return generate_latest(registry())
