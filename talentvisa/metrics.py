"""The /metrics endpoint and the request middleware that feeds it (core.metrics holds the metrics).

/metrics answers 404 while METRICS_TOKEN is unset (the endpoint does not exist), 403 for a missing
or wrong `Authorization: Bearer <token>`, else the Prometheus text format. Configure the scraper
with the same bearer token; nginx may also keep it off the public internet.
"""

from __future__ import annotations

import hmac
import time

from celery import signals
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from prometheus_client import CONTENT_TYPE_LATEST

from core import metrics


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        if view == "metrics":
            return response  # the scraper's own requests are not traffic
        metrics.request_observed(
            view=view, method=request.method, status=response.status_code, seconds=time.perf_counter() - started
        )
        return response


def metrics_view(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("Metrics are not enabled.")
    given = request.headers.get("Authorization", "")
    if not (given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip().encode(), token.encode())):
        return HttpResponseForbidden("A valid bearer token is required.")
    response = HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


# --- Celery task outcomes (the signals fire in the worker process that ran the task) ---------------


def _name(sender) -> str:
    return getattr(sender, "name", None) or str(sender)


@signals.task_success.connect(weak=False)
def _task_succeeded(sender=None, **kwargs):
    metrics.task_outcome(task=_name(sender), outcome="succeeded")


@signals.task_failure.connect(weak=False)
def _task_failed(sender=None, **kwargs):
    metrics.task_outcome(task=_name(sender), outcome="failed")


@signals.task_retry.connect(weak=False)
def _task_retried(sender=None, **kwargs):
    metrics.task_outcome(task=_name(sender), outcome="retried")


@signals.task_rejected.connect(weak=False)
def _task_rejected(sender=None, **kwargs):
    metrics.task_outcome(task=_name(sender), outcome="rejected")
