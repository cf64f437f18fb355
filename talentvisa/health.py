"""/healthz: is this instance able to serve? Checks the database, the cache and the broker."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    key = "healthz:probe"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was written")


def _check_broker():
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return "eager (no broker)"
    from talentvisa.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return None


@never_cache
def healthz(request):
    checks, healthy = {}, True
    for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        started = time.perf_counter()
        try:
            note = check()
            checks[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
            if note:
                checks[name]["note"] = note
        except Exception as exc:  # noqa: BLE001 - any failure means unhealthy; the type is enough detail
            healthy = False
            # The exception type only: messages can carry hostnames or credentials.
            checks[name] = {"ok": False, "error": type(exc).__name__}
    return JsonResponse({"status": "ok" if healthy else "unhealthy", "checks": checks}, status=200 if healthy else 503)
