"""The jobs through a real Celery worker on the real Redis (REDIS_URL; skipped locally
without it, a failure in CI), emails to a real SMTP server on loopback.

The worker is celery.contrib.testing's: a thread of this process consuming a
private queue, so no other worker on the same Redis takes these messages.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from collections.abc import Callable
from contextlib import ExitStack

import pytest
import redis
from django.urls import reverse

from notifications.models import EmailDelivery, JobRun, Notification
from notifications.services import notify
from notifications.tasks import task_deliver_emails, task_send_review_reminders
from tests.conftest import service_missing
from tests.notifications.conftest import free_port, plan_due, private_celery_app


def wait_for(check: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def finished_runs(job: str) -> int:
    return JobRun.objects.filter(job=job).exclude(outcome="running").count()


def test_reminders_go_out_through_the_worker_once_however_often_it_runs(org, celery_worker, smtp):
    plan_due(org.engineer, 0)

    task_send_review_reminders.delay()
    wait_for(lambda: len(smtp.accepted) == 2)
    task_send_review_reminders.delay()
    wait_for(lambda: finished_runs("review-reminders") == 2)
    task_deliver_emails.delay()  # the email sweep, as beat runs it
    wait_for(lambda: finished_runs("email-delivery") == 2)

    assert smtp.recipients() == ["eli@example.com", "mara@example.com"]
    assert Notification.objects.count() == 2
    assert list(JobRun.objects.filter(job="review-reminders").values_list("sent", flat=True)) == [
        0,
        2,
    ]


def test_a_transient_smtp_failure_is_retried_by_the_worker_and_delivered_once(
    org, celery_worker, smtp, settings
):
    settings.EMAIL_RETRY_SECONDS = 1
    smtp.data_failures.append("421 4.3.2 Try again later")

    notify(recipients=[org.engineer], kind="review_due", dedupe_key="k", title="Due today")
    wait_for(lambda: len(smtp.accepted) == 1)
    wait_for(lambda: finished_runs("email-delivery") == 2)

    assert smtp.recipients() == ["eli@example.com"]
    delivery = EmailDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    outcomes = JobRun.objects.filter(job="email-delivery").order_by("started_at")
    assert [run.outcome for run in outcomes] == ["failed", "succeeded"]


@pytest.fixture
def own_redis():
    """A redis-server of this test's own on a free port, that it stops and starts: the
    shared Redis (REDIS_URL) is never disturbed, and other tests keep using it."""
    server = shutil.which("redis-server")
    if server is None:
        service_missing("redis-server")
    port = free_port()
    procs: list[subprocess.Popen] = []

    def start() -> None:
        proc = subprocess.Popen(
            [server, "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        procs.append(proc)
        client = redis.Redis(port=port, socket_timeout=1)
        wait_for(lambda: _pings(client), timeout=5)

    def stop() -> None:
        procs[-1].terminate()
        procs[-1].wait(5)

    start()
    yield f"redis://127.0.0.1:{port}/0", start, stop
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(5)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def stack():
    with ExitStack() as stack:
        yield stack


def test_with_redis_stopped_pages_answer_writes_are_kept_and_sent_once_it_is_back(
    org, client, settings, own_redis, transactional_db, smtp, caplog, stack
):
    url, start, stop = own_redis
    settings.REDIS_URL = url  # /healthz checks this one
    celery_app = stack.enter_context(private_celery_app(url))
    stop()

    # Redis is down: a write that queues an email keeps its rows, and says so in the log.
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        notify(recipients=[org.engineer], kind="review_due", dedupe_key="k", title="Due today")
    assert time.monotonic() - started < 5
    assert "Could not queue 1 notification email(s)" in caplog.text
    assert EmailDelivery.objects.get().state == "pending"
    client.force_login(org.director)
    for name in ("home", "notifications:list", "notifications:job_health"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("healthz")).status_code == 503  # and it says why

    # Redis is back: the next email sweep (beat's) sends what could not be queued, once.
    start()
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10):
        task_deliver_emails.delay()
        task_deliver_emails.delay()
        wait_for(lambda: finished_runs("email-delivery") == 2)

    assert smtp.recipients() == ["eli@example.com"]
    assert EmailDelivery.objects.get().state == "sent"
