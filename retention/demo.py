"""Demo retention data for the demo org (accounts/demo.py): assignment histories, the
model registry, deployment plans, API tokens and two graveyard audits.

`seed_retention_demo(people)` is safe to run again: if any demo person already owns a
model or has an assignment, it adds nothing. Everything goes through
retention/services.py with the right person acting and past dates relative to the
day of seeding.

The stories worth seeing:

- Sofia Marchetti (RAG team, manager@example.com's report) has been on RAG for over
  two years across three projects: her timeline says it is time to rotate, and names
  the problem types she has not done;
- the Vision team (Samuel Mensah's) has three models trained months ago and never
  deployed nor archived: graveyard findings in both audits. The RAG team has one,
  Sofia's citation checker, for Priya (manager@example.com) to deploy or archive;
- Leo's (engineer@example.com) production run "Support answer generator" is blocked
  at the deployment gate: its plan is written but Priya (manager@example.com) has not
  approved it yet. Approve it as Priya, and the gate opens;
- Leo has an API token for the demo training pipeline (its secret was never shown:
  create your own at /retention/tokens/ to call the API, see README.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Person
from retention import services
from retention.audit import run_graveyard_audit
from retention.models import (
    Assignment,
    AuditRun,
    ModelOwner,
    ProblemType,
    Purpose,
    RegisteredModel,
    Status,
)
from retention.problem_types import seed_problem_types

DIRECTOR = "director@example.com"
MANAGER = "manager@example.com"  # Priya: RAG team
ENGINEER = "engineer@example.com"  # Leo
ON_RAG = "sofia.marchetti@example.com"  # over two years on RAG
VISION_MANAGER = "samuel.mensah@example.com"

# (email, [(problem type, project, months ago it started)]), oldest first; the last
# one goes on. Managers record them.
HISTORIES: list[tuple[str, list[tuple[str, str, int]]]] = [
    (ON_RAG, [("RAG", "Support search", 29), ("RAG", "Docs QA", 17), ("RAG", "Citations", 7)]),
    (ENGINEER, [("Evals", "Answer quality judge", 14), ("RAG", "Support search v2", 5)]),
    ("amara.nwosu@example.com", [("Data", "Ticket labelling", 3)]),
    (
        "rahul.iyer@example.com",
        [("Serving infrastructure", "Ranker serving", 30), ("RAG", "Hybrid retrieval", 11)],
    ),
    (
        "yusuf.demir@example.com",
        [("Training", "Distillation", 20), ("Serving infrastructure", "GPU autoscaling", 8)],
    ),
    ("ingrid.halvorsen@example.com", [("Training", "Vision backbone", 26)]),
    (
        "fatima.el.amrani@example.com",
        [("Evals", "Judge agreement", 13), ("Data", "Eval set refresh", 4)],
    ),
]

# (name, project, problem type, purpose, owner emails, status, days ago trained or None)
MODELS: list[tuple[str, str, str, str, list[str], str, int | None]] = [
    # RAG team
    (
        "Support answer generator",
        "Support assistant",
        "RAG",
        Purpose.PRODUCTION,
        [ENGINEER],
        Status.PLANNED,
        None,
    ),
    (
        "Hybrid retriever v3",
        "Support search",
        "RAG",
        Purpose.PRODUCTION,
        [ON_RAG, "rahul.iyer@example.com"],
        Status.DEPLOYED,
        120,
    ),
    # Sofia's research run, trained and left: the RAG team's one graveyard finding.
    ("Citation checker", "Citations", "RAG", Purpose.RESEARCH, [ON_RAG], Status.TRAINED, 75),
    # Vision: the graveyard
    (
        "Defect detector (ResNet-50)",
        "Line inspection",
        "Training",
        Purpose.PRODUCTION,
        ["ingrid.halvorsen@example.com"],
        Status.TRAINED,
        210,
    ),
    (
        "Defect detector (ViT-S)",
        "Line inspection",
        "Training",
        Purpose.RESEARCH,
        ["ingrid.halvorsen@example.com", "marco.bianchi@example.com"],
        Status.TRAINED,
        150,
    ),
    (
        "Shelf OCR",
        "Retail shelves",
        "Training",
        Purpose.RESEARCH,
        ["zainab.bello@example.com"],
        Status.TRAINED,
        95,
    ),
    (
        "Depth estimator",
        "Robotics",
        "Training",
        Purpose.RESEARCH,
        ["thomas.keller@example.com"],
        Status.DEPLOYED,
        100,
    ),
    # Evals and Serving
    (
        "Answer-quality judge",
        "Answer quality judge",
        "Evals",
        Purpose.RESEARCH,
        ["fatima.el.amrani@example.com"],
        Status.ARCHIVED,
        200,
    ),
    (
        "Latency predictor",
        "GPU autoscaling",
        "Serving infrastructure",
        Purpose.PRODUCTION,
        ["yusuf.demir@example.com"],
        Status.TRAINING,
        None,
    ),
]


def _months_ago(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 30.44))


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


@transaction.atomic
def seed_retention_demo(people: Mapping[str, Person]) -> int:
    """Add the demo's retention data for `people` (by email). Returns how many models it
    registered, or 0 when retention was seeded (or used) already."""
    if DIRECTOR not in people or ENGINEER not in people:
        return 0
    everyone = list(people.values())
    if (
        ModelOwner.objects.filter(person__in=everyone).exists()
        or Assignment.objects.filter(engineer__in=everyone).exists()
    ):
        return 0
    seed_problem_types(ProblemType)  # after a flush the migration's rows are gone
    types = {pt.name: pt for pt in ProblemType.objects.all()}
    today = timezone.localdate()
    for email, stretches in HISTORIES:
        engineer = people.get(email)
        if engineer is None or engineer.manager is None:
            continue
        for type_name, project, months in stretches:
            start = _months_ago(today, months)
            services.record_assignment(
                engineer=engineer,
                actor=engineer.manager,
                problem_type=types[type_name],
                project=project,
                started_on=start,
                at=_moment(start),
            )
    created = 0
    for name, project, type_name, purpose, owner_emails, status, trained_ago in MODELS:
        owners = [people[e] for e in owner_emails if e in people]
        if not owners or owners[0].manager is None:
            continue
        _seed_model(owners, name, project, types[type_name], purpose, status, trained_ago, today)
        created += 1
    leo = people[ENGINEER]
    services.create_api_token(
        person=leo, name="Demo training pipeline", expires_in_days=365, at=_moment(today)
    )
    # Two audits a month apart: the graveyard rate per team has a trend to show.
    run_graveyard_audit(trigger=AuditRun.Trigger.SCHEDULE, at=_moment(today - timedelta(days=30)))
    run_graveyard_audit(trigger=AuditRun.Trigger.SCHEDULE, at=_moment(today))
    return created


def _seed_model(
    owners: list[Person],
    name: str,
    project: str,
    problem_type: ProblemType,
    purpose: str,
    status: str,
    trained_ago: int | None,
    today: date,
) -> RegisteredModel:
    manager = owners[0].manager
    assert manager is not None
    trained_on = today - timedelta(days=trained_ago) if trained_ago is not None else None
    registered = (trained_on or today) - timedelta(days=40)
    model = services.register_model(
        actor=manager,
        name=name,
        project=project,
        problem_type=problem_type,
        purpose=purpose,
        owners=owners,
        at=_moment(registered),
    )
    if purpose == Purpose.PRODUCTION:
        plan = services.save_deployment_plan(
            model=model,
            actor=owners[0],
            version=0,
            target_system=f"{project} service",
            owner=owners[0],
            success_metric="Beats the current model on the team's eval set, p95 under budget",
            target_date=today + timedelta(days=45),
            rollback="Feature flag back to the current model; keep it warm for two weeks.",
            at=_moment(registered + timedelta(days=2)),
        )
        if status != Status.PLANNED:  # the blocked one waits for Priya's approval
            services.approve_deployment_plan(
                model=model,
                actor=manager,
                version=plan.version,
                at=_moment(registered + timedelta(days=3)),
            )
    if status == Status.PLANNED:
        return model
    started = (trained_on or today) - timedelta(days=10)
    services.move_model(
        model=model, actor=owners[0], to=Status.TRAINING, on=started, at=_moment(started)
    )
    if status == Status.TRAINING or trained_on is None:
        return model
    services.move_model(
        model=model, actor=owners[0], to=Status.TRAINED, on=trained_on, at=_moment(trained_on)
    )
    if status == Status.DEPLOYED:
        day = trained_on + timedelta(days=14)
        services.move_model(
            model=model, actor=owners[0], to=Status.DEPLOYED, on=day, at=_moment(day)
        )
    elif status == Status.ARCHIVED:
        services.archive_model(
            model=model,
            actor=manager,
            reason="The judge's agreement with people stayed below 0.6: we use human "
            "ratings instead, and the write-up is in the eval wiki.",
            at=_moment(trained_on + timedelta(days=30)),
        )
    return model
