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
        match = re.search(r"/tools/runs/(\d+)/$", url)
        assert match, f"upload did not redirect to a run page: {url}"
        run_path = match.group(0)
        step(f"CV uploaded; waiting for the worker to analyse run {match.group(1)}")

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
