"""Settings for the test suite: production settings with test-only secrets.

Tests run with DEBUG off (as production does); DATABASE_URL and REDIS_URL
come from the environment exactly as in production, so CI exercises
PostgreSQL and Redis.
"""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings import *  # noqa: E402,F403
from config.settings import STORAGES  # noqa: E402

# The manifest storage needs collectstatic; tests serve static files directly.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
