"""Celery wiring: Redis when REDIS_URL is set, a local folder broker when it is not."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import redis
from celery import Celery
from celery.contrib.testing.app import setup_default_app
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def test_celery_task_runs_on_real_worker_through_redis(redis_url):
    # Configured exactly like config/celery.py, from the Django settings; the
    # result backend and a private queue are for this test only, so no other
    # worker on the same Redis can take the message.
    queue = f"trellis-test-{uuid.uuid4().hex}"
    app = Celery("trellis-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        result_backend=redis_url,
        result_expires=60,
        task_ignore_result=False,
        task_always_eager=False,
        task_default_queue=queue,
        worker_hijack_root_logger=False,
    )

    @app.task(name="tests.multiply")
    def multiply(x: int, y: int) -> int:
        return x * y

    try:
        with setup_default_app(app), start_worker(app, perform_ping_check=False):
            result = multiply.delay(6, 7)
            assert result.get(timeout=5) == 42
    finally:
        redis.Redis.from_url(redis_url).delete(f"_kombu.binding.{queue}")

    assert app.conf.broker_url == django_settings.CELERY_BROKER_URL == redis_url


def test_celery_uses_folder_broker_without_redis_url():
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SECRET_KEY")}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django; django.setup(); from config.celery import app; "
        "print(app.conf.broker_url); print(app.conf.broker_transport_options['data_folder_in']); "
        "app.connection().info()"
    )

    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    folder = str(BASE_DIR / "var" / "celery-broker")
    assert done.stdout.splitlines() == ["filesystem://localhost/", folder]
    # Named, so kombu does not warn on every connection (`make run`'s first line was one).
    assert "No hostname was supplied" not in done.stderr
