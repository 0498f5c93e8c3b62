"""Reads the notification pages share: a person's inbox, and the jobs' latest runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import Person
from notifications.jobs import JOBS, Job
from notifications.models import EmailDelivery, JobRun, Notification

INBOX_SIZE = 50  # the latest ones on the list page
RUNS_SHOWN = 10  # per job on the job-health page
FAILED_EMAILS_SHOWN = 10
FAILED_EMAILS_DAYS = 7


def unread_count(person: Person) -> int:
    return Notification.objects.of(person).unread().count()


def inbox(person: Person) -> list[Notification]:
    """The person's latest notifications, unread first (one query)."""
    return list(
        Notification.objects.of(person).order_by(
            F("read_at").desc(nulls_first=True), "-created_at", "-pk"
        )[:INBOX_SIZE]
    )


@dataclass
class JobHealth:
    job: Job
    schedule: str
    runs: list[JobRun] = field(default_factory=list)


@dataclass
class Health:
    jobs: list[JobHealth]
    unregistered: list[JobRun]  # runs of jobs no longer registered (renamed, removed)
    emails_pending: int
    emails_failed: list[EmailDelivery]


def job_health() -> Health:
    """Each registered job's last runs, its schedule, and emails that did not go out.

    Four queries whatever the number of jobs, runs or emails.
    """
    from django_celery_beat.models import PeriodicTask

    latest = JobRun.objects.annotate(
        rank=Window(RowNumber(), partition_by=[F("job")], order_by=F("started_at").desc())
    ).filter(rank__lte=RUNS_SHOWN)
    schedules = {
        task.name: task
        for task in PeriodicTask.objects.filter(name__in=list(JOBS)).select_related("crontab")
    }
    health = {
        name: JobHealth(job=job, schedule=_schedule(schedules.get(name)))
        for name, job in JOBS.items()
    }
    unregistered: list[JobRun] = []
    for run in sorted(latest, key=lambda r: (r.started_at, r.pk), reverse=True):
        if run.job in health:
            health[run.job].runs.append(run)
        else:
            unregistered.append(run)
    since = timezone.now() - timedelta(days=FAILED_EMAILS_DAYS)
    failed = EmailDelivery.objects.filter(
        state=EmailDelivery.State.FAILED, created_at__gte=since
    ).select_related("notification")
    return Health(
        jobs=list(health.values()),
        unregistered=unregistered,
        emails_pending=EmailDelivery.objects.filter(state=EmailDelivery.State.PENDING).count(),
        emails_failed=list(failed.order_by("-created_at", "-pk")[:FAILED_EMAILS_SHOWN]),
    )


def _schedule(task) -> str:
    if task is None:
        return "Not scheduled (no beat entry: run migrate)"
    if not task.enabled:
        return "Turned off in the admin"
    if task.crontab is None:
        return "Scheduled (not by crontab)"
    cron = task.crontab
    return (
        f"minute {cron.minute}, hour {cron.hour}, day of week {cron.day_of_week} ({cron.timezone})"
    )


def already_told(kind: str, dedupe_keys: Iterable[str]) -> set[str]:
    """Which of these dedupe keys anyone has been told of in this kind (one query).

    For a job deciding what is new to tell (a graveyard finding told before is not new);
    never a guard against telling twice: that is notify_many's unique constraint.
    """
    keys = set(dedupe_keys)
    if not keys:
        return set()
    return set(
        Notification.objects.filter(kind=kind, dedupe_key__in=keys)
        .values_list("dedupe_key", flat=True)
        .distinct()
    )
