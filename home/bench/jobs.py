"""Scheduled jobs at size, for `make bench` (home/bench/registry.py JOBS): the review
reminders, the weekly graveyard audit with its notifications, the nightly snapshots.

The reminder job:

As many engineers as the bench org (2,000; a manager per 8, under 8 directors), each
with a quarterly review two weeks overdue, so each is told to three people: 6,000
notifications and their emails queued, in one run. Built and run inside a transaction
that is rolled back, so the bench database is left as it was. Answers the run's time
and query count (fixed on PostgreSQL; SQLite splits bulk inserts by its limit on
query parameters).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Person
from growth.models import GrowthPlan
from notifications.models import Notification
from notifications.reminders import ESCALATE_DAYS, send_review_reminders
from retention.jobs import GRAVEYARD_KIND, run_scheduled_graveyard_audit, run_signal_snapshots

PREFIX = "bench-reminders"


@dataclass(frozen=True)
class JobMeasure:
    name: str
    seconds: float
    queries: int
    found: int
    sent: int


class _Rollback(Exception):
    pass


def measure_reminder_job(*, engineers: int = 2000) -> JobMeasure:
    managers = max(1, engineers // 8)
    result: JobMeasure | None = None
    try:
        with transaction.atomic():
            due = timezone.localdate() - timedelta(days=ESCALATE_DAYS)
            directors = Person.objects.bulk_create(
                Person(email=f"{PREFIX}-d{i}@example.com", name=f"Director {i}", password="!")
                for i in range(8)
            )
            bosses = Person.objects.bulk_create(
                Person(
                    email=f"{PREFIX}-m{i}@example.com",
                    name=f"Manager {i}",
                    manager=directors[i % len(directors)],
                    password="!",
                )
                for i in range(managers)
            )
            people = Person.objects.bulk_create(
                Person(
                    email=f"{PREFIX}-e{i}@example.com",
                    name=f"Engineer {i}",
                    manager=bosses[i % len(bosses)],
                    password="!",
                )
                for i in range(engineers)
            )
            GrowthPlan.objects.bulk_create(
                GrowthPlan(engineer=p, aspiration="a", gap="g", next_review_due=due) for p in people
            )
            # Plans of the bench org due now are swept too: `found` counts them all.
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                log = send_review_reminders()
                seconds = time.perf_counter() - started
            result = JobMeasure(
                name=f"review reminders ({engineers:,} overdue)",
                seconds=round(seconds, 3),
                queries=len(queries.captured_queries),
                found=log.found,
                sent=log.sent,
            )
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result


def _timed(name: str, run, prepare=None) -> JobMeasure:
    """Run one job on the bench org as it is (after `prepare`, untimed), inside a
    transaction rolled back after."""
    result: JobMeasure | None = None
    try:
        with transaction.atomic():
            if prepare is not None:
                prepare()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                log = run()
                seconds = time.perf_counter() - started
            result = JobMeasure(
                name=name,
                seconds=round(seconds, 3),
                queries=len(queries.captured_queries),
                found=log.found,
                sent=log.sent,
            )
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result


def measure_graveyard_job(*, engineers: int = 2000) -> JobMeasure:
    """The weekly audit over the bench org's models, telling owners and managers of every
    finding: the worst case, as if nobody had been told of any before."""

    def nobody_told() -> None:
        Notification.objects.filter(kind=GRAVEYARD_KIND).delete()

    return _timed(
        "graveyard audit and its notifications",
        run_scheduled_graveyard_audit,
        prepare=nobody_told,
    )


def measure_snapshot_job(*, engineers: int = 2000) -> JobMeasure:
    """The nightly signal snapshot of every engineer of the bench org."""
    return _timed("signal snapshots", run_signal_snapshots)
