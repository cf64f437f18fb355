#!/usr/bin/env python3
"""Smoke test of the production-like stack (run by .ci/run; `make smoke-prod`).

Starts `deploy/serve-prod.sh` (PostgreSQL, Redis, gunicorn, Celery worker + beat, DEBUG=False),
creates a client with a verified address, logs in through the real login form, uploads a CV, waits
for the analysis that only the Celery worker can run (tasks are not eager here), checks the result
page, the worker's log and the health check, then stops the stack, also on failure.

Uses its own database and Redis database so it never touches the tests' or a developer's data:
SMOKE_DB (talentvisa_smoke), SMOKE_REDIS_DB (2), SMOKE_PORT (8055).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = os.environ.get("SMOKE_PORT", "8055")
BASE = f"http://127.0.0.1:{PORT}"
STATE = Path(os.environ.get("SMOKE_STATE", Path(tempfile.gettempdir()) / f"talentvisa-smoke-{PORT}"))
ENV = {
    **os.environ,
    "SERVE_PROD_PORT": PORT,
    "SERVE_PROD_DB": os.environ.get("SMOKE_DB", "talentvisa_smoke"),
    "SERVE_PROD_REDIS_DB": os.environ.get("SMOKE_REDIS_DB", "2"),
    "SERVE_PROD_STATE": str(STATE),
}
SCRIPT = str(ROOT / "deploy" / "serve-prod.sh")
CV_FIXTURE = ROOT / "ai_tools" / "tests" / "fixtures" / "cv_strong_talent.txt"


def step(message: str) -> None:
    print(f"[smoke {time.strftime('%H:%M:%S')}] {message}", flush=True)


def manage(*args: str, extra_env: dict | None = None) -> str:
    out = subprocess.run(
        ["bash", SCRIPT, "manage", *args], cwd=ROOT, env={**ENV, **(extra_env or {})}, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{out.stdout}{out.stderr}")
    return out.stdout


class FormFields(HTMLParser):
    """The values a browser would submit from the form marked data-testid=<testid> (no buttons)."""

    def __init__(self, testid: str):
        super().__init__()
        self.testid, self.inside, self.fields, self._select, self._textarea = testid, False, {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("data-testid") == self.testid
        elif not self.inside or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[a["name"]] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(page: str, testid: str) -> dict:
    parser = FormFields(testid)
    parser.feed(page)
    return parser.fields


class Browser:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(BASE + path, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, path: str, fields: dict, files: dict | None = None) -> tuple[int, str, str]:
        headers = {"Referer": BASE + path, "X-CSRFToken": self.csrf()}
        if files:
            boundary = secrets.token_hex(16)
            body = b""
            for name, value in fields.items():
                body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, (filename, data, content_type) in files.items():
                body += (
                    (
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                        f"Content-Type: {content_type}\r\n\r\n"
                    ).encode()
                    + data
                    + b"\r\n"
                )
            body += f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(BASE + path, data=body, headers=headers, method="POST")
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()


def main() -> int:
    t0 = time.monotonic()
    step(f"starting the stack on {BASE} (state in {STATE})")
    started = subprocess.run(["bash", SCRIPT, "start"], cwd=ROOT, env=ENV)
    if started.returncode:
        return started.returncode
    startup = time.monotonic() - t0
    try:
        status, _, body = Browser().get("/healthz")
        health = json.loads(body)
        assert status == 200 and health["status"] == "ok", body
        assert "note" not in health["checks"]["broker"], f"broker is not real: {body}"

        email, password = f"smoke-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(16)
        step(f"creating {email} (verified; signup bonus pays for one analysis)")
        manage(
            "shell",
            "-c",
            "from allauth.account.models import EmailAddress; from accounts import services; "
            "from accounts.models import User; import os; "
            "u = User.objects.create_user(email=os.environ['SMOKE_EMAIL'], password=os.environ['SMOKE_PASSWORD']); "
            "EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True); "
            "services.wallet_ensure(user=u); services.user_email_verified(user=u)",
            extra_env={"SMOKE_EMAIL": email, "SMOKE_PASSWORD": password},
        )

        browser = Browser()
        browser.get("/accounts/login/")
        status, url, _ = browser.post("/accounts/login/", {"login": email, "password": password})
        assert url.endswith("/me/dashboard/"), f"login did not land on the dashboard: {url}"
        step("logged in through the login form")

        browser.get("/tools/cv-analysis/")
        status, url, _ = browser.post(
            "/tools/cv-analysis/",
            {"route": "digital_technology", "category_hint": ""},
            files={"upload": ("cv.txt", CV_FIXTURE.read_bytes(), "text/plain")},
        )
        reading = re.search(r"/tools/cv-analysis/documents/\d+/", url)
        assert reading, f"upload did not lead to the 'What we read' step: {url}"
        _, _, page = browser.get(url[len(BASE) :])
        assert 'data-testid="reading-form"' in page, "the 'What we read' page has no form"
        step("CV uploaded; 'What we read' shows the parse; running the analysis from it")
        status, url, _ = browser.post(url[len(BASE) :], {**form_fields(page, "reading-form"), "action": "run"})
        match = re.search(r"/tools/runs/(\d+)/$", url)
        assert match, f"running from 'What we read' did not redirect to a run page: {url}"
        run_path = match.group(0)
        step(f"waiting for the worker to analyse run {match.group(1)}")

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            _, _, page = browser.get(run_path)
            if 'data-testid="overall-score"' in page:
                break
            if "Failed" in re.sub(r"<[^>]+>", " ", page) and 'data-testid="run-status"' in page:
                raise AssertionError("the analysis failed")
            time.sleep(1)
        else:
            raise AssertionError("no result within 90 s: is the worker consuming the queue?")
        worker_log = (STATE / "logs" / "worker.log").read_text(errors="replace")
        assert re.search(r"Task ai_tools\.\S+\[[\w-]+\] succeeded", worker_log), "the worker log shows no AI task"
        step(f"analysis done by the worker; total {time.monotonic() - t0:.1f} s (stack start {startup:.1f} s)")
        return 0
    finally:
        subprocess.run(["bash", SCRIPT, "stop"], cwd=ROOT, env=ENV)


if __name__ == "__main__":
    sys.exit(main())
