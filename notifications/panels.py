"""What notifications offers other apps: the only module of it they may import.

Telling people (exactly once per recipient and dedupe_key, with email for those
who want it), adding a kind of notification, and running a scheduled job that
shows on the job-health page:

    # retention/apps.py, in ready():
    from notifications.panels import Job, register_job, register_kind
    register_kind("graveyard_finding", "New graveyard findings")
    register_job(Job(name="graveyard-audit", title="Graveyard audit",
                     task="retention.tasks.task_run_graveyard_audit",
                     minute="0", hour="6", day_of_week="1"))

    # retention/tasks.py
    @shared_task(bind=True, acks_late=True, max_retries=3)
    def task_run_graveyard_audit(self):
        with recording("graveyard-audit") as run:   # a JobRun: counts, skips, errors
            run_graveyard_audit(run=run)            # sets run.found / run.sent, run.skip(what, why)

    # in the service, for each new finding:
    notify(recipients=[owner, owner.manager], kind="graveyard_finding",
           dedupe_key=f"graveyard:{model.pk}:{finding.trained_on}", title=..., link=...,
           subject_id=model.pk)

The dedupe_key names what a person is told of once, whichever run finds it: a key
with a run's or a finding row's id in it would tell them again every run.
retention/jobs.py is the worked example (the weekly graveyard audit); a task retries
a transient failure after `backoff(self.request.retries)` seconds, and a job may ask
`already_told(kind, keys)` what is new to tell (never to guard against telling twice).
"""

from __future__ import annotations

from notifications.jobs import Job, RunLog, recording, register_job
from notifications.kinds import register_kind
from notifications.selectors import already_told
from notifications.services import Message, notify, notify_many
from notifications.tasks import backoff

__all__ = [
    "Job",
    "Message",
    "RunLog",
    "already_told",
    "backoff",
    "notify",
    "notify_many",
    "recording",
    "register_job",
    "register_kind",
]
