"""Exactly once across real OS processes, on PostgreSQL.

Two processes run the reminder job at the same moment; a real worker process is
killed in the middle of one. SQLite serialises whole-database writes, so neither
says anything there: these are skipped on SQLite locally, and CI runs them on
PostgreSQL (DATABASE_URL), where they must pass.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from notifications.models import JobRun, Notification, ReviewReminder
from notifications.tasks import task_send_review_reminders
from tests.conftest import make_person
from tests.notifications.conftest import plan_due
from tests.notifications.test_worker import wait_for

BASE_DIR = Path(__file__).resolve().parents[2]
PLANS = 12

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
    reason="concurrency needs PostgreSQL (DATABASE_URL); SQLite serialises all writes",
)


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(DATABASE_URL=_database_url(), **extra)
    return env


def _managers_with_reports(org) -> list:
    """PLANS engineers due today under Mara, so each run has a dozen reminders to claim."""
    engineers = [
        make_person(f"eng{i}@example.com", f"Engineer {i}", manager=org.manager)
        for i in range(PLANS)
    ]
    for engineer in engineers:
        plan_due(engineer, 0)
    return engineers


RUN_AT_ONCE = """
import os, time, django
django.setup()
from notifications.services import deliver_emails
{imports}
start = float(os.environ["START_AT"])
while time.time() < start:
    time.sleep(0.001)
log = {job}
deliver_emails()
print(log.sent)
"""


def run_twice_at_once(smtp, *, imports: str, job: str) -> list[int]:
    """Two processes on production settings and the SMTP server `smtp` start `job` at
    the same instant; tasks run inline, so each then sends the emails its run queued,
    racing the other for each one. Answers how many each run's log says it sent."""
    env = _env(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="concurrency-test-secret-key-0123456789abcdefghijklmnop",
        EMAIL_HOST=smtp.host,
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="false",
        CELERY_TASK_ALWAYS_EAGER="1",
        START_AT=str(time.time() + 3),
    )
    code = RUN_AT_ONCE.format(imports=imports, job=job)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
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
    return [int(out.strip().splitlines()[-1]) for out, _ in outputs]


def test_two_processes_running_the_job_at_once_tell_everyone_once(org, transactional_db, smtp):
    _managers_with_reports(org)
    sent = sorted(
        run_twice_at_once(
            smtp,
            imports="from notifications.reminders import send_review_reminders",
            job="send_review_reminders()",
        )
    )
    assert sum(sent) == 2 * PLANS  # each engineer and Mara for each
    assert Notification.objects.count() == 2 * PLANS
    assert ReviewReminder.objects.count() == PLANS
    recipients = smtp.recipients()
    assert len(recipients) == 2 * PLANS
    assert recipients.count("mara@example.com") == PLANS
    assert len(set(recipients)) == PLANS + 1


def test_a_worker_killed_mid_job_leaves_it_to_the_next_run_which_does_it_once(
    org, celery_app, transactional_db, redis_url
):
    _managers_with_reports(org)
    queue = celery_app.conf.task_default_queue
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=BASE_DIR,
        env=_env(DJANGO_SETTINGS_MODULE="config.settings_test", REDIS_URL=redis_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Hold the notifications table: the worker's run claims its reminders, then waits
    # on its insert of the notifications, in the middle of its transaction.
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    ) as blocker:
        blocker.execute("LOCK TABLE notifications_notification IN EXCLUSIVE MODE")
        try:
            task_send_review_reminders.delay()
            wait_for(lambda: _waiting_on_lock(blocker), timeout=30)
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        blocker.rollback()

    # The next run (beat's next tick) on a new worker finishes the job, once.
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10):
        task_send_review_reminders.delay()
        wait_for(
            lambda: JobRun.objects.filter(job="review-reminders", outcome="succeeded").exists(),
            timeout=20,
        )

    assert Notification.objects.count() == 2 * PLANS
    assert ReviewReminder.objects.count() == PLANS
    runs = JobRun.objects.filter(job="review-reminders")
    assert sorted(runs.values_list("outcome", "sent")) == [
        ("running", 0),  # the killed run: shown as interrupted once it is stale
        ("succeeded", 2 * PLANS),
    ]


def _waiting_on_lock(blocker: psycopg.Connection) -> bool:
    # Statistics are a snapshot per transaction, and the blocker is in one.
    blocker.execute("SELECT pg_stat_clear_snapshot()")
    row = blocker.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND query LIKE 'INSERT INTO \"notifications_notification\"%%'"
    ).fetchone()
    return bool(row and row[0])
