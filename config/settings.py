"""Trellis settings, read from the environment.

Every variable read here is listed in README.md ("Configuration").
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def envlist(name: str, default: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: never used when DEBUG is off (see above).
    SECRET_KEY = "dev-only-insecure-key-trellis-0123456789-abcdefghijklmnopqrstuvwxyz"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# How long an invitation link works (accounts/invitations.py).
INVITATION_DAYS = envint("INVITATION_DAYS", 7)
if INVITATION_DAYS < 1:
    raise ImproperlyConfigured("INVITATION_DAYS must be 1 or more.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "csp",
    # django-ninja: the pipeline API (retention/api.py); listed for its docs page's
    # templates and static files, served from our own origin under the CSP.
    "ninja",
    "axes",
    "accounts",
    "growth",
    "calibration",
    "retention",
    "one_on_ones",
    "notifications",
    "django_celery_beat",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Permissions-Policy, no-store for signed-in pages, Vary: HX-Request.
    "config.middleware.BrowserDefencesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
# Project templates may override form widget templates (the coach widget does).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# The embedded default is an SQLite file in the project folder, so the app
# runs with nothing installed; production and CI point DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that answers an over-long email as a wrong one, not a 500.
    "accounts.backends.PersonBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttling failed sign-ins (django-axes, hooks in accounts/throttling.py).
# Per account: LOGIN_FAILURE_LIMIT failures lock it, however its email is typed
# (case, spaces); rotating IPs or user agents does not reset a lock keyed on the
# account.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.throttling.account_key"
# Per client address, a second and higher limit (ten times by default). An
# office or a mobile network puts many people behind one NAT address, and their
# few typos each must not lock them all out, so it cannot be 5; yet with no
# limit one machine could try 4 passwords on every account each cool-off
# (password spraying: 400 guesses per quarter hour in an org of 100). 50 stops
# that early, and a busy office stays far below it. SignInThrottle applies it:
# AXES_LOCKOUT_PARAMETERS takes one limit for all, hence axes' "no ip_address"
# check is silenced.
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", 50)
AXES_HANDLER = "accounts.throttling.SignInThrottle"
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Behind the TLS proxy every request comes from the proxy's address: the
# client's is the one the proxy appends to X-Forwarded-For.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1)
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
# Django's login form passes the email as `username`; axes would otherwise look
# for `email` (the USERNAME_FIELD), find nothing and never count a failure.
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
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

# Email: the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Trellis <trellis@example.com>")
# First wait before a notification email the SMTP server could not take is retried;
# it doubles with each retry (notifications/tasks.py).
EMAIL_RETRY_SECONDS = envint("EMAIL_RETRY_SECONDS", 60)

# Celery: Redis when REDIS_URL is set; otherwise a broker in a local folder so
# `make run` has working scheduled jobs with nothing installed.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost/"  # the host is only named, not used
if not REDIS_URL:
    _broker_dir = BASE_DIR / "var" / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        # Exchange tables (broadcasts such as `celery inspect`); kombu's default is
        # ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "false")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
# Periodic jobs run by `celery -A config beat`: later features add their jobs
# here, e.g. "send-review-reminders": {"task": "growth.tasks.task_send_reminders",
# "schedule": crontab(hour=7, minute=0)}. Jobs must be safe to run twice.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
# The jobs' schedules live in the database (django-celery-beat): each registered job
# (notifications/jobs.py) gets its default crontab after migrate, and admins change
# the day and hour in the admin (Periodic tasks). Entries above would be synced over
# the database's on every beat start, so jobs that admins tune must not be listed there.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Redis hands an unacknowledged message to another worker after this many seconds;
# tasks acknowledge late, so no retry countdown may come near it (notifications/tasks.py).
BROKER_VISIBILITY_TIMEOUT = envint("BROKER_VISIBILITY_TIMEOUT", 3600)
REDIS_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    # Queuing from a request or a job: with Redis down, give up within about a
    # second (one retry) instead of kombu's default of several, and let the caller
    # carry on (the write is kept; the next sweep does the work). The worker's own
    # connection keeps retrying by its own settings.
    "max_retries": 1,
    "interval_start": 0.2,
    "socket_connect_timeout": 2,
}
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
# With late acknowledgement a worker holds one message at a time, not a prefetched batch.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Production hardening; `manage.py check --deploy --fail-level WARNING` passes
# with DEBUG off, a real SECRET_KEY and ALLOWED_HOSTS.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles and everything else only
# from our own origin; no inline script, style attribute or eval, so injected
# markup cannot run. htmx works under it: base.html turns off its inline
# indicator style and its eval (static/css/trellis.css has the indicator rules).
# The admin needs no relaxing. Permissions-Policy and the rest: config/middleware.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the favicon is a data: URL
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "filters": {"forbidden_as_one_line": {"()": "config.logging_filters.ForbiddenAsOneLine"}},
    "loggers": {
        # django-axes logs every successful sign-in at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
        # A 403 is one line (user id, method, path, reason), not a traceback.
        "django.request": {"filters": ["forbidden_as_one_line"]},
    },
}
