"""TalentVisa settings.

One module for both worlds (see DESIGN.md): with no environment the site runs on the
embedded default (SQLite, eager Celery, local-memory cache, console email, local media);
setting DATABASE_URL, REDIS_URL, EMAIL_URL/EMAIL_HOST, CLOUDINARY_URL switches each part to
its production service. DEBUG=False is the production mode and refuses an insecure key.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is optional: real deployments pass the environment directly.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- general ---------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("DEBUG=False needs a real SECRET_KEY (50+ random characters) in the environment.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
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
    "consultations",
    "expert_marketplace",
    "referrals",
    "payments",
    "site_admin",
]
TAILWIND_APP_NAME = "theme"
SITE_ID = 1

MIDDLEWARE = [
    "talentvisa.request_id.RequestIdMiddleware",
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
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections were worth ~10x on a one-query page on this hardware.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # Concurrent writers wait instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, sessions -------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "talentvisa.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="tv"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
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
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
# Without a broker every task runs inline, so the embedded default needs no worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# Periodic jobs run by `celery -A talentvisa beat`.
CELERY_BEAT_SCHEDULE = {
    "expert-next-slots-refresh": {
        "task": "expert_marketplace.tasks.expert_next_slots_refresh",
        "schedule": 15 * 60,  # the directory's "next available" sort reads this cache
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
    "consultations-payouts": {
        "task": "consultations.tasks.earnings_payout_task",
        "schedule": 60 * 60,  # transfer available earnings; retry failures and pending reversals
    },
}

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
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_SESSION_REMEMBER = None

# Two-factor authentication (authenticator app + recovery codes) for everyone; required for staff.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "TalentVisa"
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=not DEBUG)
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
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="TalentVisa <hello@talentvisa.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="support@talentvisa.local")

# --- i18n / time -------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and media --------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"
CLOUDINARY_URL = env("CLOUDINARY_URL", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if CLOUDINARY_URL:
    # The cloudinary SDK reads CLOUDINARY_URL from the environment itself.
    INSTALLED_APPS.append("cloudinary")

# --- product settings (staff-editable copies arrive with the site settings issue) ---
SIGNUP_BONUS_POINTS = env.int("SIGNUP_BONUS_POINTS", default=20)
REFERRAL_REWARD_REFERRER = env.int("REFERRAL_REWARD_REFERRER", default=1)  # free AI uses
REFERRAL_REWARD_REFERRED = env.int("REFERRAL_REWARD_REFERRED", default=1)
REFERRAL_MONTHLY_REWARD_CAP = env.int("REFERRAL_MONTHLY_REWARD_CAP", default=10)  # 0 = no cap
REFERRAL_REQUIRE_PURCHASE = env.bool("REFERRAL_REQUIRE_PURCHASE", default=False)

# --- payments (payments app owns this block) ---
# Stripe is used when STRIPE_SECRET_KEY is set; otherwise the local test-mode gateway.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_CONNECT_WEBHOOK_SECRET = env("STRIPE_CONNECT_WEBHOOK_SECRET", default="")
# Point the SDK at a local fake (tests, demos); empty means api.stripe.com.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# Dotted path to a callable returning a stripe.HTTPClient; tests inject an in-process fake here.
PAYMENTS_STRIPE_HTTP_CLIENT_FACTORY = ""
# The test-mode checkout never charges a card. It works while DEBUG is on; with DEBUG=False
# only when this is set on purpose (checked at request time, as tests run with DEBUG=False).
PAYMENTS_TEST_MODE_ENABLED = env.bool("PAYMENTS_TEST_MODE_ENABLED", default=False)
PAYMENTS_CURRENCY = env("PAYMENTS_CURRENCY", default="gbp")

# --- bookings (bookings app owns this block) ---
# Cancellation policy: a client cancelling at least FULL hours before the start gets 100 % back,
# at least PARTIAL hours before gets PARTIAL_PERCENT, later nothing. An expert (or staff) cancelling
# always refunds in full.
BOOKING_FULL_REFUND_HOURS = env.int("BOOKING_FULL_REFUND_HOURS", default=48)
BOOKING_PARTIAL_REFUND_HOURS = env.int("BOOKING_PARTIAL_REFUND_HOURS", default=24)
BOOKING_PARTIAL_REFUND_PERCENT = env.int("BOOKING_PARTIAL_REFUND_PERCENT", default=50)
# A client may move a booking up to this many hours before it starts, at most MAX times.
BOOKING_RESCHEDULE_MIN_HOURS = env.int("BOOKING_RESCHEDULE_MIN_HOURS", default=24)
BOOKING_MAX_RESCHEDULES = env.int("BOOKING_MAX_RESCHEDULES", default=2)
# How long a slot is held for a client while they fill in the intake and pay.
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=15)
# Video room base: each confirmed booking gets <base>TalentVisa-<random token>.
MEETING_BASE_URL = env("MEETING_BASE_URL", default="https://meet.jit.si/")
# Consultations nobody marks complete (or no-show) are completed this long after they end.
AUTO_COMPLETE_HOURS = env.int("AUTO_COMPLETE_HOURS", default=24)

# --- AI tools (ai_tools app owns this block) ---
# OpenAI is used when OPENAI_API_KEY is set; otherwise the offline, deterministic local engine.
OPENAI_API_KEY = env("OPENAI_API_KEY", default="")
OPENAI_MODEL = env("OPENAI_MODEL", default="gpt-4.1-mini")
# The SDK default is a 600 s timeout: far too long for a Celery task with a time limit.
OPENAI_TIMEOUT_SECONDS = env.float("OPENAI_TIMEOUT_SECONDS", default=30.0)
OPENAI_MAX_RETRIES = env.int("OPENAI_MAX_RETRIES", default=2)
# Upload limits for CVs (checked on the content, never on the name or browser content type).
AI_UPLOAD_MAX_BYTES = env.int("AI_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# DOCX is a zip: cap what it may expand to (zip bombs), and how many members it may hold.
AI_DOCX_MAX_UNCOMPRESSED_BYTES = env.int("AI_DOCX_MAX_UNCOMPRESSED_BYTES", default=20 * 1024 * 1024)
AI_DOCX_MAX_MEMBERS = env.int("AI_DOCX_MAX_MEMBERS", default=500)
# A CV must be at most 3 pages (a visa rule, in ai_tools/rules.py); past this many pages we refuse to read it at all.
AI_CV_MAX_PAGES_READ = env.int("AI_CV_MAX_PAGES_READ", default=30)
# Characters of CV / statement text sent to the OpenAI provider; longer text is cut (the local engine reads it all).
AI_MAX_INPUT_CHARS = env.int("AI_MAX_INPUT_CHARS", default=60_000)
# Tool prices in points. A user with free AI uses pays one free use instead of points.
AI_PRICE_CV_ANALYSIS = env.int("AI_PRICE_CV_ANALYSIS", default=10)
AI_PRICE_STATEMENT_GENERATE = env.int("AI_PRICE_STATEMENT_GENERATE", default=20)
AI_PRICE_STATEMENT_ENHANCE = env.int("AI_PRICE_STATEMENT_ENHANCE", default=10)
# Uploaded CVs are private: never under MEDIA_ROOT/MEDIA_URL, only served by a permission-checked view.
# The default keeps them on local disk at PRIVATE_MEDIA_ROOT. In production point
# AI_PRIVATE_STORAGE_BACKEND at a storage for private files, e.g. Cloudinary *authenticated* assets
# (type="authenticated", delivered only via signed URLs); that backend is not built yet.
AI_PRIVATE_STORAGE_BACKEND = env(
    "AI_PRIVATE_STORAGE_BACKEND", default="ai_tools.private_storage.PrivateFileSystemStorage"
)
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
# Celery time limits (seconds) for one AI run; the soft limit marks the run failed and refunds it.
AI_TASK_SOFT_TIME_LIMIT = env.int("AI_TASK_SOFT_TIME_LIMIT", default=120)
AI_TASK_TIME_LIMIT = env.int("AI_TASK_TIME_LIMIT", default=150)

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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz must answer plain HTTP probes from inside the cluster.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- logging -----------------------------------------------------------------
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
            "formatter": env("LOG_FORMAT", default="plain" if DEBUG else "json"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
