"""Celery tasks: thin, taking primitive ids, calling the same services as everything else.

Every task acknowledges late (a worker killed mid-task leaves the message to be run
again, which is safe: each service claims its work with a unique row or a
conditional update), retries a bounded number of times with back-off, and never
counts down past the broker's visibility timeout (Redis would deliver the message
again meanwhile).
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from notifications import reminders, services

MAX_RETRIES = 5


def backoff(retries: int) -> int:
    """Seconds before retry number `retries` + 1: doubling from EMAIL_RETRY_SECONDS, and
    always well inside the broker's visibility timeout."""
    ceiling = settings.BROKER_VISIBILITY_TIMEOUT // 2
    return int(min(settings.EMAIL_RETRY_SECONDS * 2**retries, ceiling))


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def task_deliver_emails(self, delivery_ids: list[int] | None = None) -> int:
    """Send these pending emails (or, from beat, every pending one), each once."""
    try:
        return services.deliver_emails(delivery_ids=delivery_ids).sent
    except services.TransientEmailError as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


@shared_task(bind=True, acks_late=True, max_retries=3)
def task_send_review_reminders(self) -> int:
    """The reminder sweep (beat, hourly in the working day); a failed run shows on job health."""
    try:
        return reminders.send_review_reminders().sent
    except Exception as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
