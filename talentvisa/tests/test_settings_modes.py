"""Settings are read at import, so each mode is checked in a fresh interpreter.

Every run points ENV_FILE at a file of the test's choosing (or at nothing), so a developer's own
.env never changes the outcome.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.money import format_pence

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: str(getattr(s, k))"
    " for k in ['DEBUG', 'DATABASES', 'CACHES', 'SESSION_ENGINE', 'CELERY_BROKER_URL', 'CELERY_TASK_ALWAYS_EAGER',"
    " 'EMAIL_BACKEND', 'STORAGES', 'AI_PRIVATE_STORAGE_BACKEND', 'SECURE_PROXY_SSL_HEADER',"
    " 'ALLAUTH_TRUSTED_PROXY_COUNT', 'PAYMENTS_TEST_MODE_ENABLED', 'LOGGING']}))"
)
PROD = {"DEBUG": "False", "SECRET_KEY": "k" * 20 + "Zq8#vT2!mW9@pL4$xR7&nB3^" + "j" * 20, "ALLOWED_HOSTS": "tv.example"}


def _run(env_overrides, *args, env_file="/nonexistent/.env"):
    # Only the variables a deployment would set: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in-process,
    # and the test settings mark this interpreter with TALENTVISA_SETTINGS_PROFILE.
    dropped = {
        "DATABASE_URL",
        "REDIS_URL",
        "CELERY_BROKER_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "TALENTVISA_SETTINGS_PROFILE",
    }
    dropped |= {k for k in os.environ if k.startswith(("DEBUG", "SECRET_KEY", "PAYMENTS_", "CLOUDINARY", "TRUSTED"))}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"DJANGO_SETTINGS_MODULE": "talentvisa.settings", "ENV_FILE": str(env_file), **env_overrides})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def _probe(env, **kwargs) -> str:
    result = _run(env, "-c", PROBE, **kwargs)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_development_mode_needs_no_services():
    out = _probe({"DEBUG": "True"})
    assert "sqlite3" in out and "LocMemCache" in out and "console.EmailBackend" in out
    assert '"CELERY_TASK_ALWAYS_EAGER": "True"' in out
    assert "FileSystemStorage" in out and "PrivateFileSystemStorage" in out


def test_production_is_the_default_and_stops_in_one_line_without_a_secret_key():
    result = _run({}, "manage.py", "check")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set: production mode (DEBUG=False) needs 50+ random characters "
        "(or set DEBUG=True for development)."
    ]


def test_production_services_are_switched_on_by_env():
    out = _probe(
        {
            **PROD,
            "DATABASE_URL": "postgres://u@db.example:5432/tv",
            "REDIS_URL": "redis://cache.example:6379/0",
            "EMAIL_HOST": "smtp.example",
        }
    )
    assert "postgresql" in out and "'CONN_MAX_AGE': 600" in out and "RedisCache" in out
    assert "backends.cache" in out and "smtp.EmailBackend" in out
    assert "sessions.backends.cached_db" in out  # a Redis outage or restart logs nobody out
    assert '"CELERY_TASK_ALWAYS_EAGER": "False"' in out
    assert '"DEBUG": "False"' in out and '"PAYMENTS_TEST_MODE_ENABLED": "False"' in out


def test_env_example_copied_to_dotenv_starts_and_empty_means_unset(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text((ROOT / ".env.example").read_text())
    # As `make run` starts it: development mode switched on by the environment, .env as shipped.
    out = _probe({"DEBUG": "True"}, env_file=dotenv)
    assert "sqlite3" in out and '"CELERY_BROKER_URL": ""' in out and '"CELERY_TASK_ALWAYS_EAGER": "True"' in out
    # An empty CELERY_BROKER_URL next to a REDIS_URL means "the same Redis", never Celery's amqp default.
    dotenv.write_text(dotenv.read_text() + "\nREDIS_URL=redis://cache.example:6379/4\n")
    out = _probe({"DEBUG": "True"}, env_file=dotenv)
    assert '"CELERY_BROKER_URL": "redis://cache.example:6379/4"' in out and "amqp" not in out


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("DATABASE_URL", "db.example:5432/tv", "DATABASE_URL must be a database URL"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL='localhost:6379' must be a URL starting with redis://"),
        ("AI_PRICE_CV_ANALYSIS", "ten", "AI_PRICE_CV_ANALYSIS='ten' is not a whole number."),
        ("BOOKING_HOLD_MINUTES", "-5", "BOOKING_HOLD_MINUTES=-5 is below the minimum of 0."),
        ("CLOUDINARY_URL", "cloudinary://nosecret@demo", "CLOUDINARY_URL must look like cloudinary://"),
        ("TRUSTED_PROXY_COUNT", "one", "TRUSTED_PROXY_COUNT='one' is not a whole number."),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL='LOUD' must be one of"),
        ("CSRF_TRUSTED_ORIGINS", "tv.example", "CSRF_TRUSTED_ORIGINS entry 'tv.example' must start with https://"),
    ],
)
def test_an_invalid_value_stops_the_start_with_one_line_naming_it(name, value, message):
    result = _run({**PROD, name: value}, "manage.py", "check")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Configuration error: ") and message in lines[0], result.stderr


@pytest.mark.parametrize("secret", ["short", "django-insecure-" + "x" * 60, "a" * 60])
def test_production_mode_refuses_an_insecure_secret_key(secret):
    result = _run({**PROD, "SECRET_KEY": secret}, "manage.py", "check")
    assert result.returncode == 2
    assert "SECRET_KEY is too weak" in result.stderr


def test_test_mode_payments_are_refused_in_production_unless_a_second_flag_says_so():
    result = _run({**PROD, "PAYMENTS_TEST_MODE_ENABLED": "True"}, "manage.py", "check")
    assert result.returncode == 2 and "PAYMENTS_TEST_MODE_IN_PRODUCTION" in result.stderr
    out = _probe({**PROD, "PAYMENTS_TEST_MODE_ENABLED": "True", "PAYMENTS_TEST_MODE_IN_PRODUCTION": "True"})
    assert '"PAYMENTS_TEST_MODE_ENABLED": "True"' in out


def test_proxy_headers_are_trusted_only_behind_a_counted_proxy():
    out = _probe(PROD)
    assert '"SECURE_PROXY_SSL_HEADER": "None"' in out and '"ALLAUTH_TRUSTED_PROXY_COUNT": "0"' in out
    out = _probe({**PROD, "TRUSTED_PROXY_COUNT": "2"})
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in out and '"ALLAUTH_TRUSTED_PROXY_COUNT": "2"' in out


def test_cloudinary_url_switches_both_storages():
    out = _probe({**PROD, "CLOUDINARY_URL": "cloudinary://123:abc@demo"})
    assert "core.media_storage.CloudinaryMediaStorage" in out
    assert '"AI_PRIVATE_STORAGE_BACKEND": "core.media_storage.CloudinaryPrivateStorage"' in out


def test_test_settings_never_read_dotenv(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("DEBUG=maybe\nREDIS_URL=redis://127.0.0.1:6379/0\n")
    result = _run({"DJANGO_SETTINGS_MODULE": "talentvisa.settings_test"}, "-c", PROBE, env_file=dotenv)
    assert result.returncode == 0, result.stderr
    assert "LocMemCache" in result.stdout and "6379/0" not in result.stdout
    # ...while the real settings do read it.
    result = _run({}, "-c", PROBE, env_file=dotenv)
    assert result.returncode != 0 and "DEBUG='maybe'" in result.stderr


def test_django_log_lines_are_printed_once():
    code = "import django, logging; django.setup(); logging.getLogger('django.request').warning('once-only-marker')"
    result = _run({"DEBUG": "True"}, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("once-only-marker") == 1, result.stderr


def test_check_deploy_is_clean_with_documented_env():
    result = _run(PROD, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("pence", "text"), [(0, "£0.00"), (500, "£5.00"), (123456, "£1,234.56"), (-99, "-£0.99")])
def test_format_pence(pence, text):
    assert format_pence(pence) == text
