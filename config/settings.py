"""Rendez settings, read top to bottom, driven by the environment.

Every variable is documented in the README. With nothing set, Rendez runs on one
machine: SQLite and Celery's filesystem broker under ``var/``, e-mail stored locally.
With ``DEBUG`` off it refuses to start without a real secret key and allowed hosts.
"""

import hashlib
import re
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# The process's own environment wins over the file, and every variable below may sit in it.
env = environ.Env()
environ.Env.read_env(env.str("RENDEZ_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

# Files Rendez writes (SQLite, the filesystem broker, mail, exports…); its folders are made
# at start-up (config.apps.make_var_folders) or by whatever writes into them.
VAR_DIR = Path(env.str("RENDEZ_VAR_DIR", default=str(BASE_DIR / "var")))
REDIS_URL = env.str("REDIS_URL", default="")

# --- Safety -------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

# Commands that only read the code serve nothing and sign nothing: a fresh checkout may check
# its migrations or refresh its catalogues without secrets. Everything else refuses below.
_CODE_ONLY_COMMANDS = {"makemigrations", "makemessages", "compile_translations"}
_CODE_ONLY = (
    Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != [] and sys.argv[1] in _CODE_ONLY_COMMANDS
)

_DEV_SECRET_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG or _CODE_ONLY else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

if not DEBUG and not _CODE_ONLY:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random string of at least 50 characters when DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name this site's host names when DEBUG is off.")

# `make run` serves on RENDEZ_HOST:RENDEZ_PORT; links in e-mails, .ics files and calendar
# invitations follow it unless SITE_URL names the public address.
RENDEZ_HOST = env.str("RENDEZ_HOST", default="127.0.0.1")
RENDEZ_PORT = env.int("RENDEZ_PORT", default=8000)
_LINK_HOST = "127.0.0.1" if RENDEZ_HOST in {"0.0.0.0", "::", "[::]"} else RENDEZ_HOST  # listening on all
SITE_URL = env.str("SITE_URL", default="") or f"http://{_LINK_HOST}:{RENDEZ_PORT}"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies in front of Rendez (addresses or networks, comma-separated): only requests from
# them have their X-Forwarded-For believed, so guessing limits count each client, not the proxy.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Applications -------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "anymail",
    "config",
    "bookings_app",
    "loyalty",
    "automations",
]

MIDDLEWARE = [
    "config.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.embedding.EmbedUrlconfMiddleware",
    "config.nul_bytes.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bookings_app.web.context_processors.business",
                "bookings_app.web.context_processors.dashboard_nav",
                "bookings_app.web.context_processors.client_nav",
                "bookings_app.web.context_processors.embedding",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------

DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'rendez.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two bookings racing
    # for one seat queue up instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Each web thread and worker keeps its connection between requests (SQLite too: opening one,
# with its PRAGMAs, costs a kept public page more than the page itself); checked before reuse.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People -------------------------------------------------------------------------

AUTH_USER_MODEL = "bookings_app.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after_login"
LOGOUT_REDIRECT_URL = "public:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Client sign-in (django-allauth) -----------------------------------------------
# Clients sign in with a one-time code e-mailed to the address they booked with; nobody
# signs up and nobody has a password (bookings_app.web.accounts makes the account on the
# first code request). The owner and staff keep their password at /dashboard/login/.

AUTHENTICATION_BACKENDS = [
    "config.sign_in.SignInGuardBackend",  # first: a blocked address is signed in by no backend
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "bookings_app.web.accounts.ClientAccountAdapter"
# Only addresses of clients who have booked are sent a code (accounts.ClientLoginCodeForm).
ACCOUNT_FORMS = {
    "login": "bookings_app.web.accounts.ClientLoginForm",
    "request_login_code": "bookings_app.web.accounts.ClientLoginCodeForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # the code itself proves the address
# An unknown address gets the same page as a known one: no one learns who has booked.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# ACCOUNT_RATE_LIMITS stays at allauth's defaults (e.g. 3 code requests a minute per
# address, 20 per IP); setting it to False would switch them off. They count in the cache.

# --- Languages and time -------------------------------------------------------------

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("he", _("Hebrew"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates day-first and a 24-hour clock (config/formats/en); see bookings_app/display/display_time.py.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- E-mail -------------------------------------------------------------------------
# Every message is also stored in the database by the app; EMAIL_URL picks the transport.

EMAIL_URL = env.str("EMAIL_URL", default="")
_EMAIL = env.email_url_config(EMAIL_URL) if EMAIL_URL else {}
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default=_EMAIL.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rendez <bookings@rendez.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# An e-mail provider through django-anymail: EMAIL_BACKEND names its backend (for example
# anymail.backends.postmark.EmailBackend) and ANYMAIL_OPTIONS its keys as JSON. Its tracking
# webhook (/anymail/<provider>/tracking/) must send the basic-auth "user:password" in
# ANYMAIL_WEBHOOK_SECRET; without it no delivery, bounce or spam report is recorded.
ANYMAIL = {
    **env.json("ANYMAIL_OPTIONS", default={}),
    "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default=""),
}
# Only this provider's webhooks are routed (/anymail/<provider>/tracking/ and /inbound/): by
# default the one EMAIL_BACKEND names (anymail.backends.postmark.EmailBackend → postmark), none
# without a provider. anymail's other routes, deprecated ones included, answer 404.
_BACKEND_PROVIDER = re.fullmatch(r"anymail\.backends\.(\w+)\.EmailBackend", EMAIL_BACKEND)
ANYMAIL_PROVIDER = env.str("ANYMAIL_PROVIDER", default=_BACKEND_PROVIDER[1] if _BACKEND_PROVIDER else "")
if ANYMAIL_PROVIDER == "sendinblue":
    raise ImproperlyConfigured(
        "SendinBlue is now Brevo: set ANYMAIL_PROVIDER=brevo and point the webhook at "
        "/anymail/brevo/tracking/ (anymail's sendinblue routes are deprecated)."
    )

# --- Online payments (docs/payments.md) ---------------------------------------------
# PAYMENT_PROVIDER=test is the embedded test page (no account, no money moves), stripe is
# Stripe Checkout. Production with stripe refuses to start without its two secrets.
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="test")
if PAYMENT_PROVIDER not in {"test", "stripe"}:
    raise ImproperlyConfigured("PAYMENT_PROVIDER must be test or stripe.")
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
if PAYMENT_PROVIDER == "stripe" and not DEBUG and not _CODE_ONLY:
    if not STRIPE_SECRET_KEY or not STRIPE_WEBHOOK_SECRET:
        raise ImproperlyConfigured(
            "PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET when DEBUG is off."
        )
# The test provider signs its events with this secret (HMAC-SHA256), derived from SECRET_KEY.
PAYMENT_TEST_SECRET = env.str(
    "PAYMENT_TEST_SECRET", default=hashlib.sha256(f"rendez-test-payments:{SECRET_KEY}".encode()).hexdigest()
)
# Tests only: the test provider refuses every refund, to show a failed refund and its retry.
PAYMENT_TEST_REFUNDS_FAIL = env.bool("PAYMENT_TEST_REFUNDS_FAIL", default=False)
# The fake fee the test provider reports on each charge, as "2.9%+0.30" (empty: no fee).
PAYMENT_TEST_FEE = env.str("PAYMENT_TEST_FEE", default="").replace(" ", "")
if PAYMENT_TEST_FEE and not re.fullmatch(r"\d{1,2}(\.\d{1,2})?%\+\d{1,4}(\.\d{1,2})?", PAYMENT_TEST_FEE):
    raise ImproperlyConfigured('PAYMENT_TEST_FEE must read like "2.9%+0.30".')

# --- Redis on a request path: bounded, never retried --------------------------------
# A Redis that refuses costs a request nothing; one that accepts and never answers costs it at
# most REDIS_TIMEOUT per use (connect, then each reply), with no retry: a booking's hand-over
# to the workers gives up (the sweeps deliver later) and the cache call fails (rate limits
# decide what that means). Workers wait on their queue without these limits.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.5)
_REDIS_WAITS = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
# After a failure the cache stops asking that Redis for 10 s (config/redis_cache.py).
REDIS_CACHE_OPTIONS = {**_REDIS_WAITS, "pool_class": "config.redis_cache.GivingUpConnectionPool"}
# Applied by config/celery.py to every connection that publishes (its pool included), which
# likewise stops publishing for 10 s after a failure.
REDIS_PUBLISH_OPTIONS = {**_REDIS_WAITS, "max_retries": 0, "retry_on_timeout": False}

# --- Cache: rate limits and sign-in codes must be counted site-wide ------------------

# Free slots (bookings_app/selectors/availability_cache.py) are kept a minute or two under the
# availability version read from the database, so a cache of each process's own is as correct
# as a shared one: local memory without Redis, Redis (bounded like the rest) with it.
_AVAILABILITY_CACHE = {"KEY_PREFIX": "availability", "TIMEOUT": 120}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
        "availability": {
            **_AVAILABILITY_CACHE,
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        },
        "availability": {
            **_AVAILABILITY_CACHE,
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "availability",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
    }

# Wrong guesses allowed per window (django-ratelimit rates such as "10/15m"): team passwords
# per address, gift card codes at checkout per client and per address.
TEAM_SIGN_IN_FAILURES = env.str("TEAM_SIGN_IN_FAILURES", default="10/15m")
LOYALTY_CODE_ATTEMPTS = env.str("LOYALTY_CODE_ATTEMPTS", default="10/15m")
# Wrong team passwords from one client address across all team addresses (password spraying).
TEAM_SIGN_IN_FAILURES_PER_IP = env.str("TEAM_SIGN_IN_FAILURES_PER_IP", default="30/15m")
# Calendar feed fetches per feed address, and addresses matching no live feed per client address.
CALENDAR_FEED_FETCHES = env.str("CALENDAR_FEED_FETCHES", default="30/5m")
CALENDAR_FEED_MISSES = env.str("CALENDAR_FEED_MISSES", default="60/5m")

# Busy times from outside calendars (docs/calendar-feeds.md): how long a fetch may take to
# connect and between two reads, the whole fetch at most, and the largest file read.
OUTSIDE_CALENDAR_CONNECT_TIMEOUT = env.float("OUTSIDE_CALENDAR_CONNECT_TIMEOUT", default=5.0)
OUTSIDE_CALENDAR_READ_TIMEOUT = env.float("OUTSIDE_CALENDAR_READ_TIMEOUT", default=10.0)
OUTSIDE_CALENDAR_DEADLINE = env.float("OUTSIDE_CALENDAR_DEADLINE", default=30.0)
# An earlier time told to a waiting client and not used in this many hours goes to the next one.
EARLIER_TIME_NOTICE_HOURS = env.int("EARLIER_TIME_NOTICE_HOURS", default=2)
OUTSIDE_CALENDAR_MAX_BYTES = env.int("OUTSIDE_CALENDAR_MAX_BYTES", default=2 * 1024 * 1024)
# Addresses whose host is this machine (127.0.0.1, ::1) are refused in production, as are
# private, link-local and reserved ones always (a guard against reading the internal network).
OUTSIDE_CALENDAR_MAX_OCCURRENCES = env.int("OUTSIDE_CALENDAR_MAX_OCCURRENCES", default=20_000)
OUTSIDE_CALENDAR_ALLOW_LOOPBACK = env.bool("OUTSIDE_CALENDAR_ALLOW_LOOPBACK", default=DEBUG)

# --- Celery -------------------------------------------------------------------------

_BROKER_DIR = VAR_DIR / "celery" / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Publishing adds REDIS_PUBLISH_OPTIONS (config/celery.py); these also hold for the workers.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # Naming the host spares every process kombu's "No hostname was supplied" warning.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # An idle worker looks for a new message ten times a second (kombu's default is once),
        # so a booking's e-mail leaves within a fraction of a second.
        "polling_interval": 0.1,
        "data_folder_in": str(_BROKER_DIR),
        "data_folder_out": str(_BROKER_DIR),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery' / 'results'}"
CELERY_TASK_IGNORE_RESULT = True
# A queue of their own for e-mails (all but the slow-to-write ones, like a receipt's PDF), so a
# client's confirmation never waits behind other work: `make run` (bin/run) sets it and gives it
# a worker process of its own. Unset, e-mails share the default queue. In production set it
# and start a worker for it, or one worker with `--queues mail,celery` (on Redis it takes the
# first queue's messages first).
MAIL_QUEUE = env.str("MAIL_QUEUE", default="")
# A publish that fails is not retried (nor by .delay()): the request goes on, the sweeps deliver.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers keep their database connection between tasks (config/celery.py closes it when
# CONN_MAX_AGE says so); Celery's fixup still starts afresh every this many tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Every 15 s: a message whose worker died goes back within half a minute of being lost.
    "sweep-emails": {"task": "bookings_app.tasks.sweep_emails", "schedule": 15.0},
    "generate-class-sessions": {"task": "bookings_app.tasks.generate_class_sessions", "schedule": 3600.0},
    "prune-availability-changes": {"task": "bookings_app.tasks.prune_availability_changes", "schedule": 60.0},
    "refresh-statistics": {"task": "bookings_app.tasks.refresh_database_statistics", "schedule": 3600.0},
    "emit-session-events": {"task": "bookings_app.tasks.emit_session_events", "schedule": 60.0},
    "queue-reminders": {"task": "bookings_app.tasks.queue_reminders", "schedule": 300.0},
    "expire-requests": {"task": "bookings_app.tasks.expire_requests", "schedule": 300.0},
    "remind-about-requests": {"task": "bookings_app.tasks.remind_about_requests", "schedule": 900.0},
    "refresh-outside-calendars": {"task": "bookings_app.tasks.refresh_outside_calendars", "schedule": 900.0},
    "release-expired-holds": {"task": "bookings_app.tasks.release_expired_holds", "schedule": 60.0},
    "expire-waitlist-offers": {"task": "bookings_app.tasks.expire_waitlist_offers", "schedule": 60.0},
    "pass-on-earlier-times": {"task": "bookings_app.tasks.pass_on_earlier_times", "schedule": 300.0},
    "send-pending-refunds": {"task": "bookings_app.tasks.send_pending_refunds", "schedule": 60.0},
    "record-missing-fees": {"task": "bookings_app.tasks.record_missing_fees", "schedule": 900.0},
    "renew-memberships": {"task": "bookings_app.tasks.renew_memberships", "schedule": 900.0},
    "loyalty-credit-points": {"task": "loyalty.tasks.credit_points", "schedule": 300.0},
    "loyalty-build-pending-exports": {"task": "loyalty.tasks.build_pending_exports", "schedule": 60.0},
    "loyalty-tidy-exports": {"task": "loyalty.tasks.tidy_exports", "schedule": 86400.0},
    "loyalty-process-pending-events": {"task": "loyalty.tasks.process_pending_events", "schedule": 30.0},
    "loyalty-deliver-gift-cards": {"task": "loyalty.tasks.deliver_gift_cards", "schedule": 300.0},
    "automations-dispatch-due-runs": {"task": "automations.tasks.dispatch_due_runs", "schedule": 5.0},
    "automations-process-pending-events": {
        "task": "automations.tasks.process_pending_events",
        "schedule": 30.0,
    },
    "automations-scan-time-triggers": {"task": "automations.tasks.scan_time_triggers", "schedule": 300.0},
}

# --- Logs: one line per event on stdout, with the request or task id -----------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.logging.ContextFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [%(context_id)s] %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["context"],
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": LOG_LEVEL},
        "weasyprint.progress": {"level": "WARNING"},  # seven steps per PDF
    },
}
