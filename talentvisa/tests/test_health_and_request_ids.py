import json
import logging

import pytest

from talentvisa.request_id import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-cache" in response.headers["Cache-Control"] or "max-age=0" in response.headers["Cache-Control"]


def test_healthz_is_503_when_the_cache_is_down(client, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
    assert "secret-host" not in response.content.decode()  # no connection details leak


def test_every_response_carries_a_request_id_and_keeps_a_sane_incoming_one(client):
    generated = client.get("/").headers["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/", HTTP_X_REQUEST_ID="abc12345-nginx").headers["X-Request-ID"] == "abc12345-nginx"
    # Anything odd (log injection) is replaced, not echoed.
    assert client.get("/", HTTP_X_REQUEST_ID="x\nINFO fake").headers["X-Request-ID"] != "x\nINFO fake"


def test_json_log_lines_include_the_request_id():
    record = logging.LogRecord("talentvisa", logging.WARNING, __file__, 1, "Payment %s failed", ("42",), None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Payment 42 failed" and line["level"] == "WARNING" and line["request_id"] == "-"
