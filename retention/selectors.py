"""Reads several retention pages (and retention/panels.py) share. Each answers in a
fixed number of queries, however many models, findings or assignments there are.

The list pages (the registry, the graveyard) read their rows as tuples, one page at a
time, and compute in Python once per row what the template shows: a page of fifty
costs what a page of two does, and so does an empty one (`rows_of`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Person, duration
from retention import rules
from retention.models import (
    STATUS_BADGE,
    Assignment,
    AuditRun,
    GraveyardFinding,
    GraveyardRate,
    ModelOwner,
    ProblemType,
    Purpose,
    RegisteredModel,
    Status,
    model_age_days,
)

# Longer than this on one problem type, and the timeline suggests a rotation first.
ROTATION_DUE_DAYS = 365
RATE_RUNS = 8  # audit runs a trend shows
FINDINGS_PAGE = 25
RATES_PAGE = 12  # teams' rate charts on a page of the graveyard

STATUS_LABELS = dict(Status.choices)
PURPOSE_LABELS = dict(Purpose.choices)


def model_url(model_id: int) -> str:
    """reverse("retention:model_detail"), without resolving the URLconf for each row."""
    return _model_url_prefix() + f"{model_id}/"


@cache
def _model_url_prefix() -> str:
    return reverse("retention:model_detail", args=[1]).removesuffix("1/")


def _day(day: date) -> str:
    """The day as the templates' `date:"j M Y"` writes it: "2 Mar 2026"."""
    return f"{day.day} {day:%b %Y}"


def rows_of(page: Page) -> slice:
    """Where `page` lies in its list. Rows are sliced by this, not read from
    `page.object_list` (which Django never queries for an empty list), so a page
    costs the same queries with no rows as with fifty."""
    start = (page.number - 1) * page.paginator.per_page
    return slice(start, start + page.paginator.per_page)


def with_owners(models: QuerySet[RegisteredModel]) -> QuerySet[RegisteredModel]:
    """Models with what every registry page shows: problem type, team, plan, owners."""
    owners = Prefetch("owners", queryset=Person.objects.order_by("name"))
    return models.select_related("problem_type", "team", "plan").prefetch_related(owners)


def latest_run() -> AuditRun | None:
    return AuditRun.objects.select_related("run_by").first()


@dataclass(frozen=True)
class RateSeries:
    """One team's or engineer's graveyard rate over the last runs, oldest first."""

    label: str
    points: list[tuple[AuditRun, GraveyardRate]]

    @property
    def latest(self) -> GraveyardRate:
        return self.points[-1][1]


def recent_runs(limit: int = RATE_RUNS) -> list[AuditRun]:
    """The last `limit` audit runs, oldest first (the latest is the last)."""
    return list(reversed(AuditRun.objects.select_related("run_by")[:limit]))


def person_rates(people: Iterable[Person], runs: list[AuditRun]) -> dict[int, RateSeries]:
    by_person: dict[int, list[tuple[AuditRun, GraveyardRate]]] = defaultdict(list)
    people_by_id = {p.pk: p for p in people}
    by_run = {run.pk: run for run in runs}
    rates = GraveyardRate.objects.filter(run__in=runs, person__in=list(people_by_id))
    for rate in rates.order_by("run__at"):
        by_person[rate.person_id or 0].append((by_run[rate.run_id], rate))
    return {
        pk: RateSeries(people_by_id[pk].name, points) for pk, points in by_person.items() if points
    }


# --- the registry's list -----------------------------------------------------------------

MODEL_ORDER = ("team__name", "-created_at", "-pk")


def models_by_team(models: QuerySet[RegisteredModel]) -> list[tuple[int | None, str, int]]:
    """(team id, name, how many) of `models`, by team name, with the models of no team
    last as (None, "", n): the team filter's choices and, summed, the list's length, in
    one grouped query."""
    counts = models.order_by().values_list("team_id", "team__name").annotate(n=Count("pk"))
    return sorted(
        ((team, name or "", n) for team, name, n in counts), key=lambda t: (t[0] is None, t[1])
    )


@dataclass(frozen=True)
class ModelRow:
    """One line of the registry's list, as the template shows it."""

    url: str
    name: str
    project: str
    problem_type: str
    team: str
    status: str
    status_label: str
    badge: str
    age: str
    trained: bool  # its age counts from training (else from registering)
    purpose: str
    owners: str
    plan_label: str
    plan_css: str


def _plan_column(has_plan: bool, approved: bool, purpose: str) -> tuple[str, str]:
    if has_plan:
        return ("Approved", "badge badge-ok") if approved else ("Not approved", "badge badge-warn")
    if purpose == Purpose.PRODUCTION:
        return "None", "badge badge-danger"
    return "Not needed (research)", "muted"


def model_rows(models: QuerySet[RegisteredModel], rows: slice) -> list[ModelRow]:
    """`rows` of `models` in the list's order (team, newest first), with their owners:
    one query, a line per owner folded into a row per model."""
    on_page = models.order_by(*MODEL_ORDER).values("pk")[rows]
    lines = (
        RegisteredModel.objects.filter(pk__in=on_page)
        .order_by(*MODEL_ORDER, "ownerships__person__name")
        .values_list(
            "pk",
            "name",
            "project",
            "problem_type__name",
            "team__name",
            "status",
            "purpose",
            "trained_on",
            "created_at",
            "plan__pk",
            "plan__approved_at",
            "ownerships__person__name",
        )
    )
    by_model: dict[int, tuple] = {}  # in the list's order
    owners: dict[int, list[str]] = defaultdict(list)
    for line in lines:  # (the model's columns…, an owner's name)
        by_model.setdefault(line[0], line[:-1])
        if line[-1] is not None:
            owners[line[0]].append(line[-1])
    today = timezone.localdate()
    result = []
    for (
        pk,
        name,
        project,
        ptype,
        team,
        status,
        purpose,
        trained_on,
        created,
        plan,
        approved,
    ) in by_model.values():
        plan_label, plan_css = _plan_column(plan is not None, approved is not None, purpose)
        result.append(
            ModelRow(
                url=model_url(pk),
                name=name,
                project=project,
                problem_type=ptype,
                team=team or "—",
                status=status,
                status_label=STATUS_LABELS[status],
                badge=STATUS_BADGE.get(status, ""),
                age=duration(model_age_days(trained_on, created, today)),
                trained=trained_on is not None,
                purpose=PURPOSE_LABELS[purpose],
                owners=", ".join(owners[pk]),
                plan_label=plan_label,
                plan_css=plan_css,
            )
        )
    return result


# --- the graveyard -------------------------------------------------------------------------

# A finding its model has left since the run: deployed, or archived with a reason.
OPEN_FINDING = Q(model__deployed_on__isnull=True) & ~Q(model__status=Status.ARCHIVED)


@dataclass(frozen=True)
class FindingRow:
    """One finding of the latest run, with its model as it is now."""

    model_id: int
    url: str
    name: str
    project: str
    problem_type: str
    team: str
    status: str
    status_label: str
    badge: str
    trained_on: str  # "2026-03-02", for <time datetime>
    trained: str  # "2 Mar 2026"
    deployed: str  # the day it was deployed since, or ""
    archive_reason: str
    owners: str
    can_change: bool  # the viewer is an owner or an owner's manager

    @property
    def resolved(self) -> bool:
        return bool(self.deployed) or self.status == Status.ARCHIVED

    @property
    def can_deploy(self) -> bool:
        return self.can_change and self.status == Status.TRAINED


@dataclass(frozen=True)
class Findings:
    page: Page  # of the findings' positions; `rows` are its findings
    rows: list[FindingRow]
    open_count: int  # on every page


def graveyard_findings(user: Person, run: AuditRun | None, number: str | None) -> Findings:
    """Page `number` of the run's findings whose model the viewer may see, oldest trained
    first, each with its model's owners and current state (it may have moved on since
    the run). Two queries: the counts, and the page with its owners."""
    findings = GraveyardFinding.objects.visible_to(user).filter(run=run)  # None: no rows
    counts = findings.aggregate(total=Count("pk"), open=Count("pk", filter=OPEN_FINDING))
    # The paginator needs only the count: the rows are read below, with their owners.
    page = Paginator(range(counts["total"]), FINDINGS_PAGE).get_page(number)
    on_page = findings.order_by("trained_on", "pk").values("pk")[rows_of(page)]
    lines = (
        GraveyardFinding.objects.filter(pk__in=on_page)
        .order_by("trained_on", "pk", "model__ownerships__person__name")
        .values_list(
            "model_id",
            "model__name",
            "model__project",
            "model__problem_type__name",
            "model__team__name",
            "model__status",
            "trained_on",
            "model__deployed_on",
            "model__archive_reason",
            "model__ownerships__person__name",
            "model__ownerships__person_id",
            "model__ownerships__person__manager_id",
        )
    )
    by_model: dict[int, tuple] = {}  # oldest trained first
    owners: dict[int, list[tuple[str, int, int | None]]] = defaultdict(list)
    for line in lines:  # (the finding's columns…, an owner's name, id and manager's id)
        by_model.setdefault(line[0], line[:-3])
        if line[-2] is not None:
            owners[line[0]].append(line[-3:])
    rows = []
    for (
        model_id,
        name,
        project,
        ptype,
        team,
        status,
        trained_on,
        deployed_on,
        reason,
    ) in by_model.values():
        theirs = owners[model_id]
        rows.append(
            FindingRow(
                model_id=model_id,
                url=model_url(model_id),
                name=name,
                project=project,
                problem_type=ptype,
                team=team or "no team",
                status=status,
                status_label=STATUS_LABELS[status],
                badge=STATUS_BADGE.get(status, ""),
                trained_on=trained_on.isoformat(),
                trained=_day(trained_on),
                deployed=_day(deployed_on) if deployed_on else "",
                archive_reason=reason,
                owners=", ".join(owner for owner, _, _ in theirs),
                can_change=rules.can_change_owned_by(user, [(o, m) for _, o, m in theirs]),
            )
        )
    return Findings(page, rows, counts["open"])


@dataclass(frozen=True)
class TeamRates:
    page: Page  # of the teams, the highest latest rate first
    series: list[RateSeries]  # the page's teams


def team_rates(user: Person, runs: list[AuditRun], number: str | None) -> TeamRates:
    """Page `number` of the graveyard rates of the teams with someone in the viewer's
    line, over `runs` (oldest first). One query for every team's rates, as tuples; only
    the page's teams become series."""
    teams = Person.objects.visible_to(user).values("team_id")
    # The runs as a subquery rather than a list of ids: before the first audit the
    # query still runs (an empty list would skip it), so the page's count is fixed.
    recent = AuditRun.objects.values("pk")[: max(len(runs), 1)]
    lines = (
        GraveyardRate.objects.filter(run__in=recent, team__in=teams)
        .order_by("team_id", "run__at", "run_id")
        .values_list("team_id", "team__name", "run_id", "graveyard", "judged")
    )
    by_run = {run.pk: run for run in runs}
    by_team: dict[int, list[tuple[str, int, int, int]]] = defaultdict(list)
    for team_id, name, run_id, graveyard, judged in lines:
        if run_id in by_run:  # (a run that finished since `runs` were read waits)
            by_team[team_id].append((name, run_id, graveyard, judged))

    def highest_latest_first(points: list[tuple[str, int, int, int]]) -> tuple[float, str]:
        name, _, graveyard, judged = points[-1]
        return (-graveyard / judged if judged else 0.0, name)

    ordered = sorted(by_team.values(), key=highest_latest_first)
    page = Paginator(ordered, RATES_PAGE).get_page(number)
    series = [
        RateSeries(
            points[0][0],
            [
                (by_run[run_id], GraveyardRate(graveyard=graveyard, judged=judged))
                for _, run_id, graveyard, judged in points
            ],
        )
        for points in page.object_list
    ]
    return TeamRates(page, series)


# --- assignments ------------------------------------------------------------------------


@dataclass(frozen=True)
class Streak:
    """How long an engineer has been on the problem type they work on now."""

    problem_type: ProblemType
    since: date
    days: int

    @property
    def length(self) -> str:
        return duration(self.days)

    @property
    def rotation_due(self) -> bool:
        return self.days > ROTATION_DUE_DAYS


def assignments_by_person(people: Iterable[Person]) -> dict[int, list[Assignment]]:
    """Each person's assignments, oldest first (one query)."""
    history: dict[int, list[Assignment]] = defaultdict(list)
    assignments = Assignment.objects.filter(engineer__in=list(people)).select_related(
        "problem_type"
    )
    for assignment in assignments.order_by("engineer_id", "started_on", "pk"):
        history[assignment.engineer_id].append(assignment)
    return history


def streak_of(history: list[Assignment], today: date | None = None) -> Streak | None:
    """The current problem type and since when, across consecutive assignments on it
    (a new project on the same problem type is no rotation)."""
    if not history or history[-1].ended_on is not None:
        return None
    today = today or timezone.localdate()
    current = history[-1].problem_type
    since = history[-1].started_on
    for assignment in reversed(history[:-1]):
        if assignment.problem_type_id != current.pk:
            break
        since = assignment.started_on
    return Streak(current, since, (today - since).days)


def rotation_suggestions(history: list[Assignment]) -> list[ProblemType]:
    """Problem types the engineer has not worked on yet, in the admins' order."""
    done = {a.problem_type_id for a in history}
    return [pt for pt in ProblemType.objects.all() if pt.pk not in done]


def owners_by_model(model_ids: Iterable[int]) -> dict[int, list[Person]]:
    owners: dict[int, list[Person]] = defaultdict(list)
    rows = ModelOwner.objects.filter(model_id__in=list(model_ids)).select_related("person")
    for row in rows:
        owners[row.model_id].append(row.person)
    return owners
