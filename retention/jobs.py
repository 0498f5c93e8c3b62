"""Retention's scheduled jobs (DOMAIN.md §4, §6): the weekly graveyard audit, which tells
owners and their managers of new findings, and the nightly signal snapshots.

Both are registered in RetentionConfig.ready() (notifications.panels: register_job,
register_kind), run by beat through retention/tasks.py, and record every run with
`recording(...)` for the job-health page.

**Exactly once per graveyard episode.** A model's episode in the graveyard is its
training: `graveyard:<model id>:<trained_on>` is the dedupe key of what its owners and
their managers are told, and the notifications' unique (recipient, dedupe_key)
constraint makes that once per person, however many runs find it, and whatever runs
at the same time (notify_many inserts with ON CONFLICT DO NOTHING and reads back only
what its own insert created). A model retrained later is a new episode.

**New findings only.** A finding is new when nobody has been told of its episode yet:
a model in the graveyard for three weeks is told in the first week's run and is
never new again, and a person who becomes its owner's manager later is not told of an
old finding. "Told" is read from the notifications, not from earlier audit runs: an
audit run from the graveyard page, the command or the demo tells nobody, so a model it
found first is still new to the next scheduled run. Reading it is no guard against
telling twice (two runs at once both read "not told"): the constraint is.

The audit and the telling commit together: a run killed half-way leaves no audit run
and no notifications, and the next run does both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.urls import reverse

from accounts.models import Person
from notifications.panels import Job, Message, RunLog, already_told, notify_many, recording
from retention.audit import run_graveyard_audit
from retention.models import AuditRun, GraveyardFinding, ModelOwner, RegisteredModel
from retention.snapshots import take_signal_snapshots

GRAVEYARD_KIND = "graveyard_finding"

GRAVEYARD_AUDIT = Job(
    name="graveyard-audit",
    title="Graveyard audit",
    task="retention.tasks.task_run_graveyard_audit",
    description="Models trained more than the set number of days ago and neither deployed "
    "nor archived with a reason; each owner and their manager are told of new findings, "
    "once.",
    minute="0",
    hour="6",
    day_of_week="1",  # Monday
)
SIGNAL_SNAPSHOTS = Job(
    name="signal-snapshots",
    title="Signal snapshots",
    task="retention.tasks.task_take_signal_snapshots",
    description="Stores each engineer's retention signals for this quarter (replacing the "
    "quarter's earlier snapshot), so the dashboard draws trends.",
    minute="30",
    hour="2",
)


def model_exists(model_id: int) -> bool:
    """Is the model a notification is about still registered? (A deleted one's queued
    email is not sent.)"""
    return RegisteredModel.objects.filter(pk=model_id).exists()


def dedupe_key(model_id: int, trained_on: date) -> str:
    """One graveyard episode of one model: its training."""
    return f"graveyard:{model_id}:{trained_on.isoformat()}"


# --- the weekly graveyard audit --------------------------------------------------------


def run_scheduled_graveyard_audit(*, at: datetime | None = None) -> RunLog:
    """Audit the registry and tell owners and their managers of new findings; record
    the run (found: the audit's findings; sent: the notifications created)."""
    with recording(GRAVEYARD_AUDIT.name) as log:
        _audit_and_tell(at, log)
    return log


@transaction.atomic
def _audit_and_tell(at: datetime | None, log: RunLog) -> None:
    run = run_graveyard_audit(trigger=AuditRun.Trigger.SCHEDULE, at=at)
    tell_new_findings(run, log)


def tell_new_findings(run: AuditRun, log: RunLog) -> None:
    """Tell each owner of the run's new findings, and their managers, once (a fixed
    number of queries whatever the number of findings)."""
    log.found = run.findings_count
    findings = list(
        GraveyardFinding.objects.filter(run=run).select_related("model").order_by("model_id")
    )
    told = already_told(GRAVEYARD_KIND, (dedupe_key(f.model_id, f.trained_on) for f in findings))
    new = [f for f in findings if dedupe_key(f.model_id, f.trained_on) not in told]
    owners = _owners_of(f.model_id for f in new)
    messages: list[Message] = []
    for finding in new:
        messages.extend(_messages(finding, owners.get(finding.model_id, []), run, log))
    # One order for every run: two runs inserting the same rows at once then wait on
    # each other in the same order instead of deadlocking.
    messages.sort(key=lambda m: (m.recipient.pk, m.dedupe_key))
    log.sent = len(notify_many(messages))


def _owners_of(model_ids: Iterable[int]) -> dict[int, list[Person]]:
    """Each model's owners, with their managers (one query)."""
    ids = list(model_ids)
    owners: dict[int, list[Person]] = {}
    if not ids:
        return owners
    for ownership in (
        ModelOwner.objects.filter(model_id__in=ids)
        .select_related("person__manager")
        .order_by("model_id", "person__name", "person_id")
    ):
        owners.setdefault(ownership.model_id, []).append(ownership.person)
    return owners


TITLE_OWN = "Your model “{model}” is in the graveyard"
TITLE_THEIRS = "{owner}'s model “{model}” is in the graveyard"
BODY = (
    "It was trained on {trained} — more than {days} days ago — and is neither deployed nor "
    "archived with a reason. Deploy it, or archive it saying what was learned: work that "
    "is never used is one of the reasons engineers leave."
)


def _messages(
    finding: GraveyardFinding, owners: list[Person], run: AuditRun, log: RunLog
) -> list[Message]:
    """Who is told of this finding (each owner, and each owner's manager, once); anyone
    who cannot be is recorded with why."""
    model = finding.model
    what = f"“{model.name}” (trained {finding.trained_on:%-d %b %Y})"
    if not owners:
        log.skip(what, "the model has no owners: nobody was told")
        return []
    titles: dict[Person, str] = {}
    for owner in owners:
        if owner.is_active:
            titles[owner] = TITLE_OWN.format(model=model.name)
        else:
            log.skip(what, f"its owner {owner.name} is deactivated and was not told")
    for owner in owners:
        manager = owner.manager
        if manager is None:
            log.skip(what, f"its owner {owner.name} has no manager to tell")
        elif not manager.is_active:
            log.skip(what, f"{owner.name}'s manager {manager.name} is deactivated and was not told")
        elif manager not in titles:  # an owner's own title wins; one message each
            titles[manager] = TITLE_THEIRS.format(owner=owner.name, model=model.name)
    key = dedupe_key(model.pk, finding.trained_on)
    link = reverse("retention:model_detail", args=[model.pk])
    body = BODY.format(trained=f"{finding.trained_on:%-d %b %Y}", days=run.days)
    return [
        Message(
            recipient=person,
            kind=GRAVEYARD_KIND,
            dedupe_key=key,
            title=title,
            body=body,
            link=link,
            subject_id=model.pk,
        )
        for person, title in titles.items()
    ]


# --- the nightly signal snapshots ------------------------------------------------------


def run_signal_snapshots(*, at: date | None = None) -> RunLog:
    """Take this quarter's signal snapshots (replacing the quarter's earlier ones); record
    the run (found: the engineers snapshotted)."""
    with recording(SIGNAL_SNAPSHOTS.name) as log:
        log.found = take_signal_snapshots(at=at)
    return log
