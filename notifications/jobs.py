"""The scheduled jobs: a registry other apps add theirs to, and the record of each run.

A job is a Celery task run by beat on a crontab. Registering one names it, gives
the job-health page its title, and gives beat a default schedule: after migrate,
each registered job without a beat entry gets one (django-celery-beat's
PeriodicTask), and an admin may change its day and hour in the Django admin
(Periodic tasks) without that ever being overwritten.

Each run records itself with `recording(job)`: a JobRun row committed when the run
starts (so a run that dies still shows), finished with its counts and what it
skipped and why, or with the error that stopped it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from notifications.models import JobRun

logger = logging.getLogger(__name__)

SKIPPED_KEPT = 200  # reasons stored per run; skipped_count still counts them all


@dataclass(frozen=True)
class Job:
    name: str  # the JobRun.job and the beat entry's name: "review-reminders"
    title: str  # "Quarterly review reminders"
    task: str  # the Celery task's name, "notifications.tasks.task_send_review_reminders"
    description: str = ""
    # The default crontab (beat's): strings, as crontab takes them.
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"


JOBS: dict[str, Job] = {}


def register_job(job: Job) -> Job:
    if JOBS.get(job.name, job) != job:
        raise ValueError(f"Job {job.name!r} is already registered differently")
    JOBS[job.name] = job
    return job


@dataclass
class RunLog:
    """What a running job reports: counts and what it skipped, with why."""

    run: JobRun
    found: int = 0
    sent: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    skipped_count: int = 0

    def skip(self, what: str, why: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < SKIPPED_KEPT:
            self.skipped.append({"what": what, "why": why})


@contextmanager
def recording(job: str) -> Iterator[RunLog]:
    """Record one run of `job`. Call it outside any transaction (tasks do), so the row
    is committed when the run starts and a run that dies half-way still shows."""
    log = RunLog(run=JobRun.objects.create(job=job))
    try:
        yield log
    except BaseException as exc:
        _finish(log, JobRun.Outcome.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    _finish(log, JobRun.Outcome.SUCCEEDED)


def _finish(log: RunLog, outcome: str, *, error: str = "") -> None:
    try:
        JobRun.objects.filter(pk=log.run.pk).update(
            finished_at=timezone.now(),
            outcome=outcome,
            found=log.found,
            sent=log.sent,
            skipped=log.skipped,
            skipped_count=log.skipped_count,
            error=error,
        )
    except Exception:  # noqa: BLE001 - the database itself failing: the log is all there is
        logger.exception("Could not record the end of %s run %s", log.run.job, log.run.pk)


def install_schedules(**kwargs) -> None:
    """Give every registered job its default beat entry, once (post_migrate)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for job in JOBS.values():
        if PeriodicTask.objects.filter(name=job.name).exists():
            continue  # an admin may have changed it: never overwrite
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=job.minute,
            hour=job.hour,
            day_of_week=job.day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone=settings.CELERY_TIMEZONE,
        )
        PeriodicTask.objects.get_or_create(
            name=job.name,
            defaults={"task": job.task, "crontab": schedule, "description": job.description},
        )


# This app's own jobs. Sweeps over what is due, so a run the broker missed is made
# up by the next one; hourly in the working day, so that is the same day.
REVIEW_REMINDERS = register_job(
    Job(
        name="review-reminders",
        title="Quarterly review reminders",
        task="notifications.tasks.task_send_review_reminders",
        description="A week before a quarterly review is due, on the day, and two weeks "
        "overdue (then to the manager's manager too).",
        minute="5",
        hour="7-18",
    )
)
EMAIL_DELIVERY = register_job(
    Job(
        name="email-delivery",
        title="Email delivery",
        task="notifications.tasks.task_deliver_emails",
        description="Sends notification emails not sent yet: those that could not be queued "
        "(the broker was down) or are waiting to be retried.",
        minute="*/10",
    )
)
