"""Test settings: the real settings plus what makes a test run fast and deterministic."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Rate limits are tested on purpose where they matter; elsewhere they only make tests flaky.
ACCOUNT_RATE_LIMITS = False
# Staff MFA is tested on purpose (talentvisa/tests/test_security.py); admin tests log in without it.
MFA_REQUIRED_FOR_STAFF = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "tv-test"  # noqa: F405
