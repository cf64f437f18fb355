"""Settings are read at import, so each mode is checked in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.money import format_pence

ROOT = Path(__file__).resolve().parents[2]
PROBE = "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: str(getattr(s, k)) for k in ['DATABASES', 'CACHES', 'SESSION_ENGINE', 'CELERY_TASK_ALWAYS_EAGER', 'EMAIL_BACKEND']}))"


def _run(env_overrides, *args):
    # Only the variables a deployment would set: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in-process.
    dropped = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"DJANGO_SETTINGS_MODULE": "talentvisa.settings", **env_overrides})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_embedded_default_needs_no_services():
    result = _run({}, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "sqlite3" in out and "LocMemCache" in out and "console.EmailBackend" in out
    assert '"CELERY_TASK_ALWAYS_EAGER": "True"' in out


def test_production_services_are_switched_on_by_env():
    result = _run(
        {
            "DATABASE_URL": "postgres://u@db.example:5432/tv",
            "REDIS_URL": "redis://cache.example:6379/0",
            "EMAIL_HOST": "smtp.example",
        },
        "-c",
        PROBE,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "postgresql" in out and "'CONN_MAX_AGE': 600" in out and "RedisCache" in out
    assert "backends.cache" in out and "smtp.EmailBackend" in out
    assert '"CELERY_TASK_ALWAYS_EAGER": "False"' in out


@pytest.mark.parametrize("secret", [None, "short", "django-insecure-" + "x" * 60])
def test_production_mode_refuses_an_insecure_secret_key(secret):
    env = {"DEBUG": "False", "ALLOWED_HOSTS": "talentvisa.example.com"}
    if secret:
        env["SECRET_KEY"] = secret
    result = _run(env, "-c", PROBE)
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_documented_env():
    env = {
        "DEBUG": "False",
        "SECRET_KEY": "k" * 20 + "Zq8#vT2!mW9@pL4$xR7&nB3^" + "j" * 20,
        "ALLOWED_HOSTS": "tv.example.com",
    }
    result = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("pence", "text"), [(0, "£0.00"), (500, "£5.00"), (123456, "£1,234.56"), (-99, "-£0.99")])
def test_format_pence(pence, text):
    assert format_pence(pence) == text
