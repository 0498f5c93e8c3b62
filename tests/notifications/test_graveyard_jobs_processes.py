"""The graveyard audit run by two OS processes at the same moment tells nobody twice,
on PostgreSQL (SQLite serialises whole-database writes, so it says nothing there: skipped
locally on SQLite; CI runs it on PostgreSQL, where it must pass)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from notifications.models import JobRun, Notification
from retention.models import AuditRun, GraveyardSettings, Status
from tests.conftest import make_person
from tests.notifications.test_processes import BASE_DIR, _env
from tests.retention.builders import a_model

MODELS = 12

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
    reason="concurrency needs PostgreSQL (DATABASE_URL); SQLite serialises all writes",
)

RUN_JOB = """
import os, time, django
django.setup()
from notifications.services import deliver_emails
from retention.jobs import run_scheduled_graveyard_audit
start = float(os.environ["START_AT"])
while time.time() < start:
    time.sleep(0.001)
log = run_scheduled_graveyard_audit()
deliver_emails()
print(log.sent)
"""


def test_two_processes_running_the_audit_at_once_tell_everyone_once(org, transactional_db, smtp):
    GraveyardSettings.load()
    for i in range(MODELS):
        engineer = make_person(
            f"eng{i}@example.com", f"Engineer {i}", manager=org.manager, team=org.vision
        )
        a_model(org, status=Status.TRAINED, owners=[engineer], name=f"Model {i}")
    env = _env(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="concurrency-test-secret-key-0123456789abcdefghijklmnop",
        EMAIL_HOST=smtp.host,
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="false",
        CELERY_TASK_ALWAYS_EAGER="1",
        START_AT=str(time.time() + 3),
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RUN_JOB],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=60) for proc in procs]

    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in outputs]
    sent = [int(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert sum(sent) == 2 * MODELS  # each engineer, and Mara once per model
    assert Notification.objects.filter(kind="graveyard_finding").count() == 2 * MODELS
    recipients = smtp.recipients()
    assert len(recipients) == 2 * MODELS
    assert recipients.count("mara@example.com") == MODELS
    assert len(set(recipients)) == MODELS + 1
    assert AuditRun.objects.count() == 2
    assert sorted(
        JobRun.objects.filter(job="graveyard-audit").values_list("outcome", flat=True)
    ) == [
        "succeeded",
        "succeeded",
    ]
