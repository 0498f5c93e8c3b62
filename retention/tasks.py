"""Celery tasks for retention's scheduled jobs (retention/jobs.py), run by beat.

Thin: no arguments (each is a sweep over the whole registry or org), the same services
the pages use. Both acknowledge late: a worker killed mid-run leaves the message to be
run again, which is safe (the audit and its notifications commit together and tell
each person once per episode; snapshots replace the quarter's rows). A transient
failure (the database connection lost, a deadlock, a snapshot racing another) is
retried a bounded number of times with back-off, never counting down past the broker's
visibility timeout; every attempt shows on the job-health page.
"""

from __future__ import annotations

from celery import shared_task
from django.db import IntegrityError, InterfaceError, OperationalError

from notifications.panels import backoff
from retention import jobs

MAX_RETRIES = 3
TRANSIENT = (OperationalError, InterfaceError)


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def task_run_graveyard_audit(self) -> int:
    """The weekly graveyard audit (beat, Monday 06:00 by default): answers how many
    people it told."""
    try:
        return jobs.run_scheduled_graveyard_audit().sent
    except TRANSIENT as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def task_take_signal_snapshots(self) -> int:
    """The nightly signal snapshots (beat, 02:30 by default): answers how many engineers
    were snapshotted."""
    try:
        return jobs.run_signal_snapshots().found
    except (*TRANSIENT, IntegrityError) as exc:
        # IntegrityError: another run stored the quarter's rows between this run's delete
        # and insert (one snapshot per person and period); the retry replaces them.
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
