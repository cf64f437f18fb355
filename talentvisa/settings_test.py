"""Test settings: the real settings plus what makes a test run fast, deterministic and harmless.

- `.env` is never read (a developer's file must not steer the tests): the profile flag below makes
  settings.py skip it and compute the development-mode values; pytest-django then runs with DEBUG=False.
- Redis: tests use TEST_REDIS_URL, or REDIS_URL (CI), with their own key prefix; `cache.clear()`
  deletes only keys under that prefix, and conftest.py refuses a Redis database holding anyone
  else's keys (see talentvisa/cache_isolation.py).
"""

import os

os.environ["TALENTVISA_SETTINGS_PROFILE"] = "test"

from .settings import *  # noqa: E402, F403
from .settings import CACHES, STORAGES, config  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Rate limits are tested on purpose where they matter; elsewhere they only make tests flaky.
ACCOUNT_RATE_LIMITS = False
# Staff MFA is tested on purpose (talentvisa/tests/test_security.py); admin tests log in without it.
MFA_REQUIRED_FOR_STAFF = False
# Tests run with DEBUG=False like production and switch the test-mode gateway on where they use it.
PAYMENTS_TEST_MODE_ENABLED = False
PAYMENTS_TEST_MODE_IN_PRODUCTION = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Local disk for uploads in tests, whatever the environment says (the Cloudinary tests opt in).
STORAGES["default"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
AI_PRIVATE_STORAGE_BACKEND = "ai_tools.private_storage.PrivateFileSystemStorage"
CLOUDINARY_URL = ""

TEST_REDIS_URL = config.url("TEST_REDIS_URL", REDIS_URL, schemes=("redis", "rediss", "unix"))  # noqa: F405
TEST_CACHE_KEY_PREFIX = "tv-test"
if TEST_REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "talentvisa.cache_isolation.PrefixScopedRedisCache",
        "LOCATION": TEST_REDIS_URL,
        "KEY_PREFIX": TEST_CACHE_KEY_PREFIX,
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
