"""The graveyard audit: models trained more than N days ago, neither deployed nor
archived with a reason (DOMAIN.md §4, "their work isn't used").

Set-based: the findings and the rates are written by INSERT … SELECT statements the
database runs over every model at once, so a run costs the same few queries for a
hundred models or a hundred thousand (tests/retention/test_audit.py counts them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from accounts.models import Person
from retention.models import (
    AuditRun,
    GraveyardFinding,
    GraveyardRate,
    GraveyardSettings,
    ModelOwner,
    RegisteredModel,
    Status,
)

# The steps a run reports to `on_step` (the command's progress bar counts them).
STEPS = ("count", "findings", "team rates", "engineer rates")


def judged_models(cutoff) -> QuerySet[RegisteredModel]:
    """Models old enough to judge: trained before `cutoff` (more than N days ago)."""
    return RegisteredModel.objects.filter(trained_on__isnull=False, trained_on__lt=cutoff)


# Within the judged models: never deployed, and not archived (archived needs a reason).
GRAVEYARD = Q(deployed_on__isnull=True) & ~Q(status=Status.ARCHIVED)


def _insert_select(
    model: type[Model], target: list[str], source: list[str], select: QuerySet, run: AuditRun
) -> None:
    """INSERT INTO model's table (run_id, *target) SELECT run, *source FROM (select):
    one statement, whatever the number of rows."""
    sql, params = select.query.sql_with_params()
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in ["run_id", *target])
    picked = ", ".join(f"q.{qn(c)}" for c in source)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(model._meta.db_table)} ({columns}) "
            f"SELECT %s, {picked} FROM ({sql}) q",
            (run.pk, *params),
        )


@transaction.atomic
def run_graveyard_audit(
    *,
    trigger: str,
    run_by: Person | None = None,
    days: int | None = None,
    at: datetime | None = None,
    on_step: Callable[[str], None] | None = None,
) -> AuditRun:
    """Record one audit run: its findings and the graveyard rate per team and engineer.

    `days` defaults to the admin's setting (GraveyardSettings, 60 unless changed). A
    model trained exactly `days` days ago is not a finding yet; one day more is.
    """
    now = at or timezone.now()
    days = days if days is not None else GraveyardSettings.load().graveyard_days
    cutoff = timezone.localdate(now) - timedelta(days=days)
    judged = judged_models(cutoff)
    step = on_step or (lambda name: None)

    totals = judged.aggregate(judged=Count("pk"), graveyard=Count("pk", filter=GRAVEYARD))
    run = AuditRun.objects.create(
        at=now,
        days=days,
        cutoff=cutoff,
        trigger=trigger,
        run_by=run_by,
        judged=totals["judged"],
        findings_count=totals["graveyard"],
    )
    step("count")

    graves = judged.filter(GRAVEYARD).order_by().values("id", "trained_on")
    _insert_select(GraveyardFinding, ["model_id", "trained_on"], ["id", "trained_on"], graves, run)
    step("findings")

    per_team = (
        judged.filter(team__isnull=False)
        .order_by()
        .values("team_id")
        .annotate(n_judged=Count("id"), n_graveyard=Count("id", filter=GRAVEYARD))
    )
    _insert_select(GraveyardRate, *_rate_columns("team_id"), per_team, run)
    step("team rates")

    owned = ModelOwner.objects.filter(model__in=judged.values("id"))
    per_person = (
        owned.order_by()
        .values("person_id")
        .annotate(
            n_judged=Count("model_id"),
            n_graveyard=Count(
                "model_id",
                filter=Q(model__deployed_on__isnull=True) & ~Q(model__status=Status.ARCHIVED),
            ),
        )
    )
    _insert_select(GraveyardRate, *_rate_columns("person_id"), per_person, run)
    step("engineer rates")
    return run


def _rate_columns(key: str) -> tuple[list[str], list[str]]:
    return [key, "judged", "graveyard"], [key, "n_judged", "n_graveyard"]
