from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("trellis")
# Every CELERY_* Django setting configures Celery: the broker (REDIS_URL, or a
# local folder without it) and the periodic jobs in CELERY_BEAT_SCHEDULE.
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks.py is found here.
app.autodiscover_tasks()
