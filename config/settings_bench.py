"""Settings for `make bench`: production settings, DEBUG off, served over plain HTTP.

The bench measures what production runs (DEBUG off: no query log, cached
templates), on its own database (home/bench/database.py picks it from
DATABASE_URL). Only what a loopback benchmark needs differs: a throwaway
SECRET_KEY, no HTTPS redirect and hosts for the test client and gunicorn on
127.0.0.1. Static files are served from the finders, as in the tests, so no
collectstatic is needed; the pages measured never ask for a static file.
"""

from __future__ import annotations

import os
import warnings

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ["DEBUG"] = "false"

from config.settings import *  # noqa: E402,F403
from config.settings import STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Cookies over http://127.0.0.1 (the load run sends its own Cookie header anyway).
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# WhiteNoise looks for the collectstatic folder the bench does without.
warnings.filterwarnings("ignore", message="No directory at")
