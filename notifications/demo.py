"""Demo notifications and job runs (seed_demo): the bell has something in it and the
job-health page shows a schedule that has been alive for a few days, on first sign-in.

`seed_notifications_demo(people)` runs the real quarterly-review reminder sweep for
today (notifications/reminders.py): Leo (engineer@example.com), whose review is due
next week, and his manager Priya (manager@example.com) are told it is due soon, and
Sofia, twelve days overdue, and Priya are told it is due. Before that it records a few
earlier, quiet runs of every registered job (and one email run that failed, as a failed
run looks), so each job has a history. Other apps' demos run their own jobs through
their services (retention/demo_jobs.py: the graveyard audit's findings).

Safe to run again: with any job run recorded already, it adds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Person
from notifications.jobs import JOBS
from notifications.models import JobRun
from notifications.reminders import send_review_reminders

ENGINEER = "engineer@example.com"

# (job, days ago, at (hour, minute), found, sent, error): earlier runs, oldest first.
# Found None: everyone active (the snapshots' count).
HISTORY: list[tuple[str, int, tuple[int, int], int | None, int, str]] = [
    ("graveyard-audit", 14, (6, 0), 4, 0, ""),
    ("graveyard-audit", 7, (6, 0), 4, 0, ""),
    ("signal-snapshots", 3, (2, 30), None, 0, ""),
    ("signal-snapshots", 2, (2, 30), None, 0, ""),
    ("signal-snapshots", 1, (2, 30), None, 0, ""),
    ("review-reminders", 1, (7, 5), 2, 0, ""),
    ("review-reminders", 1, (12, 5), 2, 0, ""),
    ("review-reminders", 1, (18, 5), 2, 0, ""),
    (
        "email-delivery",
        1,
        (9, 10),
        1,
        0,
        "TransientEmailError: SMTP server unavailable: [Errno 111] Connection refused",
    ),
    ("email-delivery", 1, (9, 20), 1, 1, ""),
    ("email-delivery", 1, (9, 30), 0, 0, ""),
]


def _at(days_ago: int, hour: int, minute: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def seed_notifications_demo(people: Mapping[str, Person]) -> int:
    """Earlier job runs, then today's reminder sweep; answers how many people were told
    (0 when any job has run already, or without the demo org)."""
    if ENGINEER not in people or JobRun.objects.exists():
        return 0
    active = Person.objects.filter(is_active=True).count()
    for job, days_ago, (hour, minute), found, sent, error in HISTORY:
        if job not in JOBS:
            continue
        started = _at(days_ago, hour, minute)
        JobRun.objects.create(
            job=job,
            started_at=started,
            finished_at=started + timedelta(seconds=2 if job == "graveyard-audit" else 1),
            outcome=JobRun.Outcome.FAILED if error else JobRun.Outcome.SUCCEEDED,
            found=active if found is None else found,
            sent=sent,
            error=error,
        )
    return send_review_reminders().sent
