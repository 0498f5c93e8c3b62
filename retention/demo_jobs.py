"""Demo runs of retention's scheduled jobs (seed_demo), through the jobs themselves
(retention/jobs.py), so that the bell and the job-health page show them on first
sign-in.

The demo's latest graveyard audit (retention/demo.py, today's, by the schedule) has its
new findings told, as the weekly job tells them: Sofia Marchetti and her manager Priya
(manager@example.com) of the citation checker, the Vision team's owners and their
manager of theirs. Then tonight's signal snapshots are taken (replacing this quarter's,
which retention/demo_signals.py took). Safe to run again: findings told already are
not new, and then nothing is run.
"""

from __future__ import annotations

from django.db import transaction

from notifications.panels import already_told, recording
from retention.jobs import (
    GRAVEYARD_AUDIT,
    GRAVEYARD_KIND,
    dedupe_key,
    run_signal_snapshots,
    tell_new_findings,
)
from retention.models import AuditRun


@transaction.atomic
def seed_retention_jobs_demo() -> int:
    """Tell the latest scheduled audit's findings and take the snapshots, once; answers
    how many people were told."""
    run = AuditRun.objects.filter(trigger=AuditRun.Trigger.SCHEDULE).first()
    if run is None:
        return 0
    keys = [dedupe_key(f.model_id, f.trained_on) for f in run.findings.all()]
    if not keys or already_told(GRAVEYARD_KIND, keys):
        return 0
    with recording(GRAVEYARD_AUDIT.name) as log:
        tell_new_findings(run, log)
    run_signal_snapshots()
    return log.sent
