"""Retention for the benchmark's large org (`make bench`, home/bench/), in bulk.

Every active engineer gets an assignment history (two to four stretches over the
last three years) and two to four models in the registry: mostly trained, some
deployed, some archived with a reason, some still planned or training; production
runs have a deployment plan, most of them approved. Then the graveyard audit runs
six times, a month apart, through the real set-based service: the graveyard page's
rates have six points per team, and the builder's time includes the audit over the
whole registry. Last, the signal snapshots of the last four quarters (the nightly job's
service), which the dashboard and the director's home read. Rows are built in memory
and inserted in batches.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from tqdm import tqdm

from accounts.bench import BenchOrg
from retention.audit import run_graveyard_audit
from retention.models import (
    Assignment,
    AuditRun,
    DeploymentPlan,
    ModelOwner,
    ProblemType,
    Purpose,
    RegisteredModel,
    Status,
)
from retention.problem_types import seed_problem_types
from retention.snapshots import take_signal_snapshots

BATCH = 1000
AUDITS = 6
PROJECTS = ["Search", "Support assistant", "Ranking", "Vision QA", "Speech", "Eval harness"]
# status, weight: most models are trained; about one in four never leaves that state.
STATUSES = [
    (Status.TRAINED, 40),
    (Status.DEPLOYED, 35),
    (Status.ARCHIVED, 10),
    (Status.TRAINING, 8),
    (Status.PLANNED, 7),
]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def build_retention_bench(org: BenchOrg, *, rng: random.Random, bar: tqdm) -> None:
    seed_problem_types(ProblemType)
    types = list(ProblemType.objects.all())
    today = timezone.localdate()
    engineers = [p for p in org.engineers if p.is_active and p.manager_id]
    bar.reset(total=len(engineers))
    bar.set_description("retention: models and assignments")
    assignments: list[Assignment] = []
    models: list[RegisteredModel] = []
    owners: list[int] = []
    statuses = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    for engineer in engineers:
        manager_id = engineer.manager_id
        assert manager_id is not None  # engineers without a manager were left out
        start = today - timedelta(days=rng.randint(500, 1100))
        stretches = rng.randint(2, 4)
        for i in range(stretches):
            end = None if i == stretches - 1 else start + timedelta(days=rng.randint(120, 300))
            assignments.append(
                Assignment(
                    engineer_id=engineer.pk,
                    problem_type=rng.choice(types),
                    project=rng.choice(PROJECTS),
                    started_on=start,
                    ended_on=end,
                    created_by_id=manager_id,
                )
            )
            if end is not None:
                start = end
        for _ in range(rng.randint(2, 4)):
            models.append(_model(engineer, rng, rng.choices(statuses, weights)[0], types, today))
            owners.append(engineer.pk)
        bar.update(1)
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    created = RegisteredModel.objects.bulk_create(models, batch_size=BATCH)
    ModelOwner.objects.bulk_create(
        (ModelOwner(model_id=m.pk, person_id=p) for m, p in zip(created, owners, strict=True)),
        batch_size=BATCH,
    )
    plans = [
        DeploymentPlan(
            model_id=m.pk,
            target_system=f"{m.project} service",
            owner_id=p,
            success_metric="Beats the current model on the eval set, p95 under budget",
            target_date=today + timedelta(days=30),
            rollback="Feature flag back to the current model.",
            approved_by_id=org.by_id[p].manager_id if m.status != Status.PLANNED else None,
            approved_at=_moment(today - timedelta(days=200))
            if m.status != Status.PLANNED
            else None,
        )
        for m, p in zip(created, owners, strict=True)
        if m.purpose == Purpose.PRODUCTION
    ]
    DeploymentPlan.objects.bulk_create(plans, batch_size=BATCH)
    bar.set_description("retention: graveyard audits")
    for months_ago in range(AUDITS - 1, -1, -1):
        run_graveyard_audit(
            trigger=AuditRun.Trigger.SCHEDULE, at=_moment(today - timedelta(days=30 * months_ago))
        )
    # The nightly signal snapshots of the last four quarters, as seed_demo takes them: the
    # dashboard's team figures and trends, and the director's home, read the latest.
    bar.set_description("retention: signal snapshots")
    for quarters_ago in (3, 2, 1, 0):
        take_signal_snapshots(at=today - timedelta(days=91 * quarters_ago))


def _model(engineer, rng: random.Random, status: str, types, today: date) -> RegisteredModel:
    trained_on = today - timedelta(days=rng.randint(5, 400))
    started = trained_on - timedelta(days=rng.randint(2, 20))
    registered = started - timedelta(days=rng.randint(5, 30))
    fields: dict = {}
    if status in (Status.TRAINED, Status.DEPLOYED, Status.ARCHIVED):
        fields = {"training_started_on": started, "trained_on": trained_on}
    elif status == Status.TRAINING:
        fields = {"training_started_on": min(started, today)}
    if status == Status.DEPLOYED:
        fields["deployed_on"] = min(trained_on + timedelta(days=rng.randint(3, 40)), today)
    if status == Status.ARCHIVED:
        fields |= {"archived_on": today, "archive_reason": "Superseded by a later run."}
    return RegisteredModel(
        name=f"{rng.choice(PROJECTS)} model {rng.randint(1, 99)}",
        project=rng.choice(PROJECTS),
        problem_type=rng.choice(types),
        purpose=Purpose.PRODUCTION if rng.random() < 0.4 else Purpose.RESEARCH,
        status=status,
        team_id=engineer.team_id,
        registered_by_id=engineer.manager_id,
        created_at=_moment(registered),
        **fields,
    )
