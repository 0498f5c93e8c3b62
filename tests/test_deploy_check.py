"""Production settings (config.settings, DEBUG off) pass Django's deployment checklist.

Each check runs manage.py in a fresh process with only the variables given here:
the test settings module has already put test-only values into this process's
environment (SECURE_SSL_REDIRECT=false among them), which must not leak in.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PASS_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "DATABASE_URL", "REDIS_URL")


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in PASS_THROUGH}
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_python("manage.py", *args, **env)


def test_deploy_check_passes_with_production_env():
    done = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="trellis.example.com",
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_settings_refuse_to_start_without_secret_key_when_debug_off():
    done = run_manage("check", DEBUG="false", ALLOWED_HOSTS="trellis.example.com")

    assert done.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in done.stderr


def test_settings_start_without_secret_key_in_development():
    done = run_manage("check", DEBUG="1")

    assert done.returncode == 0, done.stderr


def test_collectstatic_with_production_storage_succeeds(tmp_path):
    # The Docker build runs this; the manifest storage fails on a stylesheet
    # that points at a missing file. STATIC_ROOT goes to a temporary folder.
    code = (
        "import sys, config.settings as s; s.STATIC_ROOT = sys.argv[1]; "
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('collectstatic', '--noinput', verbosity=0)"
    )

    done = run_python("-c", code, str(tmp_path), DEBUG="false", SECRET_KEY="build-only")

    assert done.returncode == 0, done.stderr
    assert (tmp_path / "staticfiles.json").is_file()
    assert (tmp_path / "admin" / "css" / "base.css").is_file()
