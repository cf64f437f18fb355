"""TalentVisa settings.

One module for both worlds (see docs/configuration.md): production is the default. With no
environment the site refuses to start without a SECRET_KEY; `make run` turns the development mode
on explicitly (DEBUG=True: SQLite, eager Celery, local-memory cache, console email, local media).
Setting DATABASE_URL, REDIS_URL, EMAIL_URL/EMAIL_HOST, CLOUDINARY_URL switches each part to its
production service.

Every value is read through talentvisa.config.Config: an empty value means unset, and a value
that does not parse stops the start with one line naming the variable. A `.env` file next to
manage.py is read (the real environment wins), except by the test settings.
"""

import os
import re
import tempfile
from pathlib import Path

from talentvisa.config import Config, ConfigError, read_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# talentvisa/settings_test.py sets this before importing us: tests never read .env and always
# compute the development-mode values (pytest-django then runs them with DEBUG=False).
TESTING = os.environ.get("TALENTVISA_SETTINGS_PROFILE") == "test"
config = Config(dotenv=None if TESTING else read_dotenv(Path(os.environ.get("ENV_FILE", BASE_DIR / ".env"))))

# --- general ---------------------------------------------------------------
DEBUG = True if TESTING else config.bool("DEBUG", default=False)
_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"
if DEBUG:
    SECRET_KEY = config.str("SECRET_KEY", _DEV_SECRET_KEY)
else:
    SECRET_KEY = config.str("SECRET_KEY")
    if not SECRET_KEY:
        raise ConfigError(
            "SECRET_KEY is not set: production mode (DEBUG=False) needs 50+ random characters "
            "(or set DEBUG=True for development)."
        )
    if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ConfigError("SECRET_KEY is too weak for production: use 50+ random characters.")

ALLOWED_HOSTS = config.list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = config.list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ConfigError(f"CSRF_TRUSTED_ORIGINS entry {_origin!r} must start with https:// (or http://).")
SITE_URL = config.url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")
# Experts' own calendars are fetched from public hosts only (SSRF guard); tests serving .ics from
# 127.0.0.1 switch this on. Never in production.
CALENDAR_IMPORT_ALLOW_PRIVATE_HOSTS = config.bool("CALENDAR_IMPORT_ALLOW_PRIVATE_HOSTS", default=False)
SITE_NAME = "TalentVisa"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    # PostgreSQL-only bits (bookings' btree_gist exclusion constraint); harmless on SQLite.
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_htmx",
    "template_partials",
    "tailwind",
    "theme",
    "core",
    "accounts",
    "ai_tools",
    "bookings",
    "applications",
    "consultations",
    "expert_marketplace",
    "referrals",
    "payments",
    "site_admin",
    "privacy",
]
TAILWIND_APP_NAME = "theme"
SITE_ID = 1

MIDDLEWARE = [
    "talentvisa.request_id.RequestIdMiddleware",
    "talentvisa.metrics.MetricsMiddleware",  # request counts and latency by view (/metrics)
    "django.middleware.security.SecurityMiddleware",
    "talentvisa.security.SiteCSPMiddleware",
    "talentvisa.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "talentvisa.security.StaffMFARequiredMiddleware",
    "talentvisa.security.PrivatePagesMiddleware",  # Cache-Control: private, no-store when signed in
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "talentvisa.urls"
WSGI_APPLICATION = "talentvisa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "talentvisa.context_processors.site",
            ],
        },
    },
]

# --- database --------------------------------------------------------------
DATABASES = {"default": config.db("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections were worth ~10x on a one-query page on this hardware.
    DATABASES["default"]["CONN_MAX_AGE"] = config.int("CONN_MAX_AGE", 600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # Concurrent writers wait instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # A transaction takes the write lock when it begins, so a reader never has to upgrade to a
    # writer mid-transaction — the case SQLite answers "database is locked" at once, without
    # waiting (issue 19: two holds of one slot at the same instant).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, sessions -------------------------------------------------------
REDIS_URL = config.url("REDIS_URL", schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "talentvisa.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": config.str("CACHE_KEY_PREFIX", "tv"),
            # Fail fast when Redis is away: the backend then serves from the database (talentvisa/cache.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    # Sessions are read from Redis but written through to the database: a Redis outage (or a
    # restart without persistence) logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Per-process memory for the site chrome (header, footer): the same few KB of HTML for every page
# of a user, cheaper to keep in each worker than to fetch from Redis. Its keys carry everything
# the HTML shows, so no invalidation is needed; the timeout only bounds memory churn.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "site-chrome",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# --- celery ----------------------------------------------------------------
# Empty or unset means "the Redis of REDIS_URL"; with neither, tasks run inline (never Celery's amqp default).
CELERY_BROKER_URL = config.url("CELERY_BROKER_URL", REDIS_URL, schemes=("redis", "rediss", "amqp", "amqps"))
CELERY_RESULT_BACKEND = None
# Without a broker every task runs inline, so the embedded default needs no worker.
CELERY_TASK_ALWAYS_EAGER = config.bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# Where `celery beat` keeps its state: outside the repository. `celery beat` without `-s` reads this.
CELERY_BEAT_SCHEDULE_FILENAME = config.str(
    "CELERY_BEAT_SCHEDULE_FILE", str(Path(tempfile.gettempdir()) / "talentvisa-celerybeat-schedule")
)
# Periodic jobs run by `celery -A talentvisa beat`.
CELERY_BEAT_SCHEDULE = {
    "expert-next-slots-refresh": {
        "task": "expert_marketplace.tasks.expert_next_slots_refresh",
        "schedule": 15 * 60,  # the directory's "next available" sort reads this cache
    },
    "expert-calendar-imports-sync": {
        "task": "expert_marketplace.tasks.expert_calendar_imports_sync_task",
        "schedule": 15 * 60,  # experts' own calendars (secret iCal addresses): their busy times block slots
    },
    "bookings-holds-expire": {
        "task": "bookings.tasks.holds_expire_task",
        "schedule": 60,  # release unpaid slot holds (and expire their checkout sessions)
    },
    "bookings-reminders-send": {
        "task": "bookings.tasks.reminders_send_task",
        "schedule": 5 * 60,  # 24 h and 1 h reminders; each goes out once (ReminderSent)
    },
    "consultations-auto-complete": {
        "task": "consultations.tasks.consultations_auto_complete_task",
        "schedule": 15 * 60,  # complete sessions nobody acted on AUTO_COMPLETE_HOURS after the end
    },
    "consultations-earnings-release": {
        "task": "consultations.tasks.earnings_release_task",
        "schedule": 15 * 60,  # pending -> available once the dispute window closed (no open dispute)
    },
    "applications-refusal-reminders": {
        "task": "applications.refusal_reminders_send",
        "schedule": 30 * 60,  # review deadline e-mails 7 and 2 days before; each goes out once (RefusalReminder)
    },
    "consultations-payouts": {
        "task": "consultations.tasks.earnings_payout_task",
        "schedule": 60 * 60,  # transfer available earnings; retry failures and pending reversals
    },
    "privacy-retention": {
        "task": "privacy.retention_run",
        "schedule": 6 * 60 * 60,  # uploads idle for DOCUMENT_RETENTION_MONTHS: notice a month before, then purge
    },
    "ai-tools-stuck-runs-sweep": {
        "task": "ai_tools.stuck_runs_sweep",
        "schedule": 60,  # fail + refund AI runs whose worker died (past the hard time limit)
    },
    "core-idempotency-keys-purge": {
        "task": "core.idempotency_keys_purge",
        "schedule": 24 * 60 * 60,  # forget side-effect keys older than IDEMPOTENCY_KEY_DAYS
    },
}
# How long a Celery side effect's key (core.idempotency) is kept: far past any re-delivery or retry.
IDEMPOTENCY_KEY_DAYS = config.int("IDEMPOTENCY_KEY_DAYS", 14, minimum=1)
# --- resilience (issue 19): a lost worker's message comes back, and soon ---
# A worker process that dies mid-task (kill -9, OOM) re-queues its message at once instead of
# acking it; every task is idempotent on re-delivery (ai runs fail + refund, payouts use a claim
# and the transfer's idempotency key, reminders a ReminderSent row, e-mail tasks a key per message
# and recipient in core.idempotency).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# When the whole worker dies, Redis hands its unacked messages to another worker after this many
# seconds (default one hour). It must exceed every task's hard time limit (AI runs: 150 s; the
# payout run: 900 s) and the longest retry countdown (256 s), or a live task would run twice.
# Even then e-mail tasks send each recipient once per message (core.idempotency).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 1200}

# --- auth / allauth ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "referrals.signup.ReferralSignupForm"  # accounts.forms + the referral code
ACCOUNT_ADAPTER = "referrals.signup.ReferralAccountAdapter"  # accounts.adapter + the referral step
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[TalentVisa] "
# Links in account emails use the scheme of SITE_URL when it is set (https unless in development otherwise).
ACCOUNT_DEFAULT_HTTP_PROTOCOL = (
    SITE_URL.split("://", 1)[0] if config.is_set("SITE_URL") else ("http" if DEBUG else "https")
)
ACCOUNT_SESSION_REMEMBER = None

# Two-factor authentication (authenticator app + recovery codes) for everyone; required for staff.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "TalentVisa"
MFA_REQUIRED_FOR_STAFF = config.bool("MFA_REQUIRED_FOR_STAFF", not DEBUG)
# Login, signup and reset throttles live in the cache: Redis in production, so every worker
# shares the counters. These are allauth's defaults, written out so they are visible here.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/180s/key",
}

# --- email -----------------------------------------------------------------
# EMAIL_PROVIDER: console (prints; the default without EMAIL_URL/EMAIL_HOST), smtp (EMAIL_URL or
# EMAIL_HOST*), postmark (POSTMARK_SERVER_TOKEN) or ses (Amazon SES through boto3: AWS credentials
# from the environment, AWS_REGION). Both providers go through django-anymail.
EMAIL_PROVIDER = config.choice(
    "EMAIL_PROVIDER",
    "smtp" if config.is_set("EMAIL_URL") or config.is_set("EMAIL_HOST") else "console",
    ("console", "smtp", "postmark", "ses"),
)
# The tracking webhook (/anymail/<provider>/tracking/) authenticates with HTTP basic auth
# "user:password"; without a secret the URL answers 404.
ANYMAIL_WEBHOOK_SECRET = config.str("ANYMAIL_WEBHOOK_SECRET", "")
if ANYMAIL_WEBHOOK_SECRET and (":" not in ANYMAIL_WEBHOOK_SECRET or len(ANYMAIL_WEBHOOK_SECRET) < 20):
    raise ConfigError("ANYMAIL_WEBHOOK_SECRET must be 'user:password' with a long random password (20+ characters).")
ANYMAIL = {"WEBHOOK_SECRET": ANYMAIL_WEBHOOK_SECRET or None}
if EMAIL_PROVIDER == "smtp":
    if config.is_set("EMAIL_URL"):
        vars().update(config.email("EMAIL_URL"))
    else:
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST = config.str("EMAIL_HOST", "localhost")
        EMAIL_PORT = config.int("EMAIL_PORT", 587)
        EMAIL_HOST_USER = config.str("EMAIL_HOST_USER", "")
        EMAIL_HOST_PASSWORD = config.str("EMAIL_HOST_PASSWORD", "")
        EMAIL_USE_TLS = config.bool("EMAIL_USE_TLS", True)
elif EMAIL_PROVIDER == "postmark":
    EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    ANYMAIL["POSTMARK_SERVER_TOKEN"] = config.str("POSTMARK_SERVER_TOKEN", "")
    if not ANYMAIL["POSTMARK_SERVER_TOKEN"]:
        raise ConfigError("EMAIL_PROVIDER=postmark needs POSTMARK_SERVER_TOKEN.")
elif EMAIL_PROVIDER == "ses":
    try:
        import boto3  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "EMAIL_PROVIDER=ses needs boto3: add django-anymail[amazon-ses] to requirements.in and re-lock."
        ) from exc
    EMAIL_BACKEND = "anymail.backends.amazon_ses.EmailBackend"
    ANYMAIL["AMAZON_SES_CLIENT_PARAMS"] = {"region_name": config.str("AWS_REGION", "eu-west-2")}
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = config.str("DEFAULT_FROM_EMAIL", "TalentVisa <hello@talentvisa.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_EMAIL = config.str("SUPPORT_EMAIL", "support@talentvisa.local")
# Seeds the staff-editable site setting (privacy: documents deleted after this many idle months).
DOCUMENT_RETENTION_MONTHS = config.int("DOCUMENT_RETENTION_MONTHS", 12)

# --- i18n / time -------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and media --------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads. Local disk by default (MEDIA_ROOT, served at /media/ by runserver in development and by
# nginx in the compose stack). With CLOUDINARY_URL set, public images (expert photos) go to
# Cloudinary and are delivered transformed to the size each page shows; private documents go to
# Cloudinary as *authenticated* assets, reachable only through signed URLs that expire after
# CLOUDINARY_PRIVATE_URL_SECONDS, handed out by the permission-checked download views.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(config.str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Django itself answers /media/ (checked per request): in development, and in `make serve-prod`
# where no nginx stands in front. Off in production, where nginx serves the files.
SERVE_MEDIA = config.bool("SERVE_MEDIA", DEBUG)
CLOUDINARY_URL = config.url("CLOUDINARY_URL", schemes=("cloudinary",))
if CLOUDINARY_URL and not re.fullmatch(r"cloudinary://[^:@/]+:[^@/]+@[^/?#]+", CLOUDINARY_URL.split("?")[0]):
    raise ConfigError("CLOUDINARY_URL must look like cloudinary://<api_key>:<api_secret>@<cloud_name>.")
# Another API host for the SDK (a local fake in tests); empty means https://api.cloudinary.com.
CLOUDINARY_API_PREFIX = config.url("CLOUDINARY_API_PREFIX", schemes=("http", "https"))
CLOUDINARY_PRIVATE_URL_SECONDS = config.int("CLOUDINARY_PRIVATE_URL_SECONDS", 300, minimum=10, maximum=3600)
_PRIVATE_STORAGE_DEFAULT = (
    "core.media_storage.CloudinaryPrivateStorage"
    if CLOUDINARY_URL
    else "ai_tools.private_storage.PrivateFileSystemStorage"
)
STORAGES = {
    "default": {
        "BACKEND": "core.media_storage.CloudinaryMediaStorage"
        if CLOUDINARY_URL
        else "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- product settings (staff-editable copies arrive with the site settings issue) ---
SIGNUP_BONUS_POINTS = config.int("SIGNUP_BONUS_POINTS", 20)
REFERRAL_REWARD_REFERRER = config.int("REFERRAL_REWARD_REFERRER", 1)  # free AI uses
REFERRAL_REWARD_REFERRED = config.int("REFERRAL_REWARD_REFERRED", 1)
REFERRAL_MONTHLY_REWARD_CAP = config.int("REFERRAL_MONTHLY_REWARD_CAP", 10)  # 0 = no cap
REFERRAL_REQUIRE_PURCHASE = config.bool("REFERRAL_REQUIRE_PURCHASE", False)

# --- payments (payments app owns this block) ---
# Stripe is used when STRIPE_SECRET_KEY is set; otherwise the local test-mode gateway.
STRIPE_SECRET_KEY = config.str("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = config.str("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = config.str("STRIPE_WEBHOOK_SECRET", "")
STRIPE_CONNECT_WEBHOOK_SECRET = config.str("STRIPE_CONNECT_WEBHOOK_SECRET", "")
# Point the SDK at a local fake (tests, demos); empty means api.stripe.com.
STRIPE_API_BASE = config.str("STRIPE_API_BASE", "")
# Dotted path to a callable returning a stripe.HTTPClient; tests inject an in-process fake here.
PAYMENTS_STRIPE_HTTP_CLIENT_FACTORY = ""
# The test-mode checkout never charges a card and is off unless enabled on purpose (`make run`
# does). In production (DEBUG=False) it is refused at start unless PAYMENTS_TEST_MODE_IN_PRODUCTION
# also says so (a staging site without Stripe); the gateway checks both again before every call.
PAYMENTS_TEST_MODE_ENABLED = config.bool("PAYMENTS_TEST_MODE_ENABLED", False)
PAYMENTS_TEST_MODE_IN_PRODUCTION = config.bool("PAYMENTS_TEST_MODE_IN_PRODUCTION", False)
if PAYMENTS_TEST_MODE_ENABLED and not DEBUG and not PAYMENTS_TEST_MODE_IN_PRODUCTION:
    raise ConfigError(
        "PAYMENTS_TEST_MODE_ENABLED=True with DEBUG=False: test payments charge no card. "
        "Unset it, or also set PAYMENTS_TEST_MODE_IN_PRODUCTION=True for a staging site."
    )
PAYMENTS_CURRENCY = config.str("PAYMENTS_CURRENCY", "gbp")

# --- bookings (bookings app owns this block) ---
# Cancellation policy: a client cancelling at least FULL hours before the start gets 100 % back,
# at least PARTIAL hours before gets PARTIAL_PERCENT, later nothing. An expert (or staff) cancelling
# always refunds in full.
BOOKING_FULL_REFUND_HOURS = config.int("BOOKING_FULL_REFUND_HOURS", 48)
BOOKING_PARTIAL_REFUND_HOURS = config.int("BOOKING_PARTIAL_REFUND_HOURS", 24)
BOOKING_PARTIAL_REFUND_PERCENT = config.int("BOOKING_PARTIAL_REFUND_PERCENT", 50)
# The expert's share of what a client forfeits by cancelling late (less the platform commission).
BOOKING_LATE_CANCEL_EXPERT_PERCENT = config.int("BOOKING_LATE_CANCEL_EXPERT_PERCENT", 50, maximum=100)
# A client may move a booking up to this many hours before it starts, at most MAX times.
BOOKING_RESCHEDULE_MIN_HOURS = config.int("BOOKING_RESCHEDULE_MIN_HOURS", 24)
BOOKING_MAX_RESCHEDULES = config.int("BOOKING_MAX_RESCHEDULES", 2)
# How long a slot is held for a client while they fill in the intake and pay.
BOOKING_HOLD_MINUTES = config.int("BOOKING_HOLD_MINUTES", 15)
# Video room base: each confirmed booking gets <base>TalentVisa-<random token>.
MEETING_BASE_URL = config.str("MEETING_BASE_URL", "https://meet.jit.si/")
# Consultations nobody marks complete (or no-show) are completed this long after they end.
AUTO_COMPLETE_HOURS = config.int("AUTO_COMPLETE_HOURS", 24)

# --- AI tools (ai_tools app owns this block) ---
# OpenAI is used when OPENAI_API_KEY is set; otherwise the offline, deterministic local engine.
OPENAI_API_KEY = config.str("OPENAI_API_KEY", "")
OPENAI_MODEL = config.str("OPENAI_MODEL", "gpt-4.1-mini")
# The SDK default is a 600 s timeout: far too long for a Celery task with a time limit.
OPENAI_TIMEOUT_SECONDS = config.float("OPENAI_TIMEOUT_SECONDS", 30.0)
OPENAI_MAX_RETRIES = config.int("OPENAI_MAX_RETRIES", 2)
# Upload limits for CVs (checked on the content, never on the name or browser content type).
AI_UPLOAD_MAX_BYTES = config.int("AI_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# DOCX is a zip: cap what it may expand to (zip bombs), and how many members it may hold.
AI_DOCX_MAX_UNCOMPRESSED_BYTES = config.int("AI_DOCX_MAX_UNCOMPRESSED_BYTES", 20 * 1024 * 1024)
AI_DOCX_MAX_MEMBERS = config.int("AI_DOCX_MAX_MEMBERS", 500)
# A CV must be at most 3 pages (a visa rule, in ai_tools/rules.py); past this many pages we refuse to read it at all.
AI_CV_MAX_PAGES_READ = config.int("AI_CV_MAX_PAGES_READ", 30)
# Characters of CV / statement text sent to the OpenAI provider; longer text is cut (the local engine reads it all).
AI_MAX_INPUT_CHARS = config.int("AI_MAX_INPUT_CHARS", 60_000)
# Tool prices in points. A user with free AI uses pays one free use instead of points.
AI_PRICE_CV_ANALYSIS = config.int("AI_PRICE_CV_ANALYSIS", 10)
AI_PRICE_STATEMENT_GENERATE = config.int("AI_PRICE_STATEMENT_GENERATE", 20)
AI_PRICE_STATEMENT_ENHANCE = config.int("AI_PRICE_STATEMENT_ENHANCE", 10)
AI_PRICE_LETTERS_CHECK = config.int("AI_PRICE_LETTERS_CHECK", 10)
AI_PRICE_REFUSAL_REVIEW = config.int("AI_PRICE_REFUSAL_REVIEW", 15)
# Uploaded CVs are private: never under MEDIA_ROOT/MEDIA_URL, only served by a permission-checked view.
# Local disk at PRIVATE_MEDIA_ROOT by default; Cloudinary authenticated assets when CLOUDINARY_URL is set.
AI_PRIVATE_STORAGE_BACKEND = config.str("AI_PRIVATE_STORAGE_BACKEND", _PRIVATE_STORAGE_DEFAULT)
PRIVATE_MEDIA_ROOT = Path(config.str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
# Celery time limits (seconds) for one AI run; the soft limit marks the run failed and refunds it.
AI_TASK_SOFT_TIME_LIMIT = config.int("AI_TASK_SOFT_TIME_LIMIT", 120)
AI_TASK_TIME_LIMIT = config.int("AI_TASK_TIME_LIMIT", 150)

# --- security --------------------------------------------------------------
# Content Security Policy (django-csp): no inline scripts anywhere; htmx is a static file and its
# injected indicator styles are switched off in base.html. Stripe Checkout and Connect onboarding
# are reached by redirects after a form POST, which form-action must allow.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https://res.cloudinary.com"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https://checkout.stripe.com", "https://connect.stripe.com"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Proxies. TRUSTED_PROXY_COUNT is how many reverse proxies (nginx, a load balancer) stand in front of
# gunicorn and append to X-Forwarded-For; client IPs are read that many hops from the right (allauth's
# rate limits now, anything else later). With 0 no forwarded header is believed. The scheme header is
# trusted only behind a proxy that sets it (and overwrites what the client sent).
TRUSTED_PROXY_COUNT = config.int("TRUSTED_PROXY_COUNT", 0, maximum=5)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
_PROXY_SSL_HEADER = config.str("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto" if TRUSTED_PROXY_COUNT else "")
if _PROXY_SSL_HEADER.lower() in {"", "none", "off"}:
    SECURE_PROXY_SSL_HEADER = None
elif re.fullmatch(r"[A-Za-z0-9-]+", _PROXY_SSL_HEADER):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
else:
    raise ConfigError(f"SECURE_PROXY_SSL_HEADER={_PROXY_SSL_HEADER!r} must be a header name such as X-Forwarded-Proto.")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = config.bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = config.int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only for a plain-HTTP stack on 127.0.0.1 (`make serve-prod`); a browser sends Secure
    # cookies back over https only.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = config.bool("SECURE_COOKIES", True)
    # /healthz must answer plain HTTP probes from inside the cluster.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- metrics: /metrics (Prometheus text format) for a scraper holding the bearer token ---------
# Unset: /metrics answers 404. PROMETHEUS_MULTIPROC_DIR (read by prometheus-client itself) sums
# the samples of every gunicorn worker.
METRICS_TOKEN = config.str("METRICS_TOKEN", "")
if METRICS_TOKEN and len(METRICS_TOKEN) < 20:
    raise ConfigError("METRICS_TOKEN must be at least 20 random characters.")

# --- errors: Sentry when SENTRY_DSN is set, else error mail to ADMINS ------------------
# ADMINS: comma-separated addresses that get Django's error e-mail (500s) when Sentry is off.
ADMINS = [(address.split("@")[0], address) for address in config.list("ADMINS", [])]
for _name, _address in ADMINS:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", _address):
        raise ConfigError(f"ADMINS entry {_address!r} is not an e-mail address.")
SENTRY_DSN = config.url("SENTRY_DSN", schemes=("https", "http"))
SENTRY_ENVIRONMENT = config.str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production")
SENTRY_RELEASE = config.str("SENTRY_RELEASE", "")
SENTRY_TRACES_SAMPLE_RATE = config.float("SENTRY_TRACES_SAMPLE_RATE", 0.0)
if SENTRY_DSN and not TESTING:
    from talentvisa import sentry

    sentry.init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )

# --- logging -----------------------------------------------------------------
_LOG_LEVEL = config.choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "talentvisa.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "talentvisa.request_id.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # JSON lines in production (LOG_FORMAT=json is the default when DEBUG is off).
            "formatter": config.choice("LOG_FORMAT", "plain" if DEBUG else "json", ("plain", "json")),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
    # Django's default config gives "django" its own console handler *and* lets it propagate to
    # the root, so every line printed twice. Here it only propagates (to our one handler).
    "loggers": {
        "django": {"handlers": [], "level": _LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": _LOG_LEVEL, "propagate": True},
    },
}
if ADMINS and not SENTRY_DSN:
    # Without Sentry, a 500 is also e-mailed to ADMINS (Django's AdminEmailHandler; no request body).
    LOGGING["handlers"]["mail_admins"] = {"level": "ERROR", "class": "django.utils.log.AdminEmailHandler"}
    LOGGING["loggers"]["django.request"] = {"handlers": ["mail_admins"], "level": "ERROR", "propagate": True}
