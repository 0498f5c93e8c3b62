from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("trellis")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks.py is found here; each app adds its own periodic jobs to
# app.conf.beat_schedule in its tasks module (see README, "Scheduled jobs").
app.autodiscover_tasks()
