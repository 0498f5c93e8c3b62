"""Retention's scheduled jobs through a real Celery worker on the real Redis (REDIS_URL;
skipped locally without it, a failure in CI), emails to a real SMTP server on loopback.

The worker is celery.contrib.testing's (tests/notifications/conftest.py): a thread of
this process consuming a private queue, so no other worker on the same Redis takes
these messages.
"""

from __future__ import annotations

from django.urls import reverse

import retention.tasks  # noqa: F401 - registers the tasks before the test app finalises
from accounts.models import Person
from notifications.models import JobRun, Notification
from notifications.tasks import task_deliver_emails
from retention.models import AuditRun, SignalSnapshot, Status
from retention.tasks import task_run_graveyard_audit, task_take_signal_snapshots
from tests.notifications.test_worker import finished_runs, wait_for
from tests.retention.builders import a_model


def test_the_graveyard_audit_through_the_worker_tells_owner_and_manager_once(
    org, celery_worker, smtp, client
):
    a_model(org, status=Status.TRAINED, owners=[org.engineer], name="Reranker")

    task_run_graveyard_audit.delay()
    wait_for(lambda: len(smtp.accepted) == 2)  # its emails, queued after it committed
    task_run_graveyard_audit.delay()  # the next week's run, or a second beat
    wait_for(lambda: finished_runs("graveyard-audit") == 2)
    task_deliver_emails.delay()  # the email sweep finds nothing left to send
    wait_for(lambda: finished_runs("email-delivery") == 2)

    assert smtp.recipients() == ["eli@example.com", "mara@example.com"]
    assert Notification.objects.filter(kind="graveyard_finding").count() == 2
    runs = JobRun.objects.filter(job="graveyard-audit").order_by("started_at")
    assert [(r.outcome, r.found, r.sent) for r in runs] == [
        ("succeeded", 1, 2),
        ("succeeded", 1, 0),
    ]
    assert AuditRun.objects.filter(trigger="schedule").count() == 2

    task_take_signal_snapshots.delay()
    task_take_signal_snapshots.delay()
    wait_for(lambda: finished_runs("signal-snapshots") == 2)
    assert SignalSnapshot.objects.count() == Person.objects.filter(is_active=True).count()

    client.force_login(org.director)
    html = client.get(reverse("notifications:job_health")).content.decode()
    assert "Graveyard audit" in html
    assert "Signal snapshots" in html
