"""Sentry (issue 22): off without SENTRY_DSN; with it, events leave with Django and Celery
integrations and without names, emails or tokens (a real SDK posting to a local HTTP endpoint)."""

import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from talentvisa.sentry import FILTERED, scrub

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import django, sentry_sdk
django.setup()
from django.conf import settings
client = sentry_sdk.get_client()
print("ACTIVE", client.is_active(), sorted(client.integrations))
if client.is_active():
    def refund(full_name, email, api_token):
        raise ValueError(f"refund for {email} failed (Authorization: Bearer abc.def.ghi, key sk_live_51Habcdef)")
    try:
        # The values come from outside the source: Python 3.13 keeps `-c` source for tracebacks, and the
        # event's context lines would otherwise quote these literals (code, not a person's data).
        import os
        refund(os.environ["T_NAME"], os.environ["T_EMAIL"], os.environ["T_TOKEN"])
    except ValueError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush(5)
"""


def _run(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "TALENTVISA_SETTINGS_PROFILE"}}
    env |= {"DJANGO_SETTINGS_MODULE": "talentvisa.settings", "ENV_FILE": "/nonexistent/.env", "DEBUG": "True"}
    env |= {"T_NAME": "Jane Client", "T_EMAIL": "jane.client@example.com", "T_TOKEN": "tok_supersecret"}
    env |= env_extra
    return subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_sentry_is_off_without_a_dsn():
    done = _run({"SENTRY_DSN": ""})
    assert done.returncode == 0, done.stderr
    assert "ACTIVE False" in done.stdout


def test_with_a_dsn_events_reach_sentry_scrubbed():
    received = []

    class Sink(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append(body.decode())
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        done = _run({"SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1"})
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    assert "ACTIVE True" in done.stdout and "'celery'" in done.stdout and "'django'" in done.stdout
    envelope = "\n".join(received)
    assert "refund for [email] failed" in envelope and "ValueError" in envelope
    for leaked in ("jane.client@example.com", "Jane Client", "tok_supersecret", "sk_live_51Habcdef", "abc.def.ghi"):
        assert leaked not in envelope
    event = next(json.loads(line) for line in envelope.splitlines() if '"exception"' in line)
    assert "user" not in event
    frame = event["exception"]["values"][0]["stacktrace"]["frames"][-1]
    assert frame["function"] == "refund" and frame["vars"]["full_name"] == FILTERED


def test_scrub_keeps_structure_and_drops_personal_values():
    event = {
        "user": {"id": 1, "email": "a@b.co"},
        "request": {"url": "https://x/reset/key/abc/", "cookies": {"sessionid": "s"}, "data": {"password": "p"}},
        "extra": {"display_name": "Amara", "count": 3, "note": "mail bob@example.org now"},
        "logger": "django.request",
    }
    out = scrub(event)
    assert "user" not in out and "cookies" not in out["request"] and "data" not in out["request"]
    assert out["extra"] == {"display_name": FILTERED, "count": 3, "note": "mail [email] now"}
    assert out["logger"] == "django.request"


def test_admins_from_the_environment_get_error_mail_when_sentry_is_off():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ADMINS, s.LOGGING['loggers'].get('django.request'))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "TALENTVISA_SETTINGS_PROFILE"}}
    env |= {"DJANGO_SETTINGS_MODULE": "talentvisa.settings", "ENV_FILE": "/nonexistent/.env", "DEBUG": "True"}
    off = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env | {"ADMINS": "ops@example.com"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "[('ops', 'ops@example.com')]" in off.stdout and "mail_admins" in off.stdout, off.stderr
    with_sentry = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env | {"ADMINS": "ops@example.com", "SENTRY_DSN": "http://k@127.0.0.1:9/1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "mail_admins" not in with_sentry.stdout, with_sentry.stderr
    bad = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env | {"ADMINS": "not-an-address"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0 and "ADMINS" in bad.stderr
