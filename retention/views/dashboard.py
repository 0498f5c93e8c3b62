"""The retention dashboard (directors, and managers for their reports), one engineer's
signals with their evidence, and the CSV export of what the viewer sees."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthedRequest
from accounts.models import Person
from accounts.roles import roles_for
from retention.dashboard import (
    NO_TEAM,
    Dashboard,
    build_dashboard,
    latest_snapshot,
    needing_action,
)
from retention.models import RetentionSettings, SignalSnapshot
from retention.signals import LABELS, LEVEL_RULE, RECORD_KINDS, compute_signals, level_for
from retention.views.scope import get_person_for_user

PAGE_SIZE = 25  # engineers listed (and their signals computed) per page
TEAMS_PAGE_SIZE = 15  # rows of the teams × signals table per page
WORST = 15  # a director's whole line: the engineers with the most signals, as stored
EXPORT_CHUNK = 500  # the CSV computes signals this many engineers at a time


def _scoped(
    request: AuthedRequest, thresholds: RetentionSettings, *, pulse: bool = True, heat: bool = True
) -> tuple[QuerySet[Person], Dashboard, int | None]:
    """Everyone below the viewer (a QuerySet, read as a subquery), the dashboard, and the
    team filter (404 when it names a team nobody in the viewer's scope is on)."""
    scope = Person.objects.below(request.user).filter(is_active=True)
    board = build_dashboard(
        scope,
        viewer=request.user,
        snapshot=latest_snapshot(),
        thresholds=thresholds,
        pulse=pulse,
        heat=heat,
    )
    raw = request.GET.get("team", "")
    if not raw:
        return scope, board, None
    try:
        team = int(raw)
    except ValueError:
        raise Http404("No such team.") from None
    if board.row(team) is None:
        raise Http404("No such team in your reporting line.")
    return scope, board, team


def _listed(scope: QuerySet[Person], board: Dashboard, team: int | None) -> QuerySet[Person]:
    """The engineers to list, worst in the latest snapshot first, then by name."""
    if team is not None:
        scope = scope.filter(team__isnull=True) if team == NO_TEAM else scope.filter(team=team)
    if board.snapshot is None:
        return scope.select_related("team").order_by("name", "pk")
    points = SignalSnapshot.objects.filter(person=OuterRef("pk"), period=board.snapshot.period)
    return (
        scope.select_related("team")
        .annotate(snapshot_points=Subquery(points.values("points")[:1]))
        .order_by(F("snapshot_points").desc(nulls_last=True), "name", "pk")
    )


@login_required
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    """The dashboard; its pulse figures (the costliest query) come by a request of their
    own (`?pulse=1`: htmx loads them into the page; without JavaScript a link shows them
    on a page of their own, with the filters)."""
    thresholds = RetentionSettings.load()
    target = request.htmx.target if request.htmx else None
    pulse = "pulse" in request.GET  # the pulse section alone (into the page, or as one)
    scope, board, team = _scoped(request, thresholds, pulse=pulse, heat=not pulse)
    # A large line has hundreds of teams: the table shows them a page at a time, the
    # teams where the most engineers have a signal first.
    team_page = Paginator(board.rows, TEAMS_PAGE_SIZE).get_page(request.GET.get("teams_page"))
    ctx: dict = {
        "board": board,
        "team": team,
        "level_rule": LEVEL_RULE,
        "rows": [board.row(team)] if team is not None else team_page.object_list,
        "pulse_query": _without(request, "pulse"),
        "teams": sorted(board.rows, key=lambda row: (row.key == NO_TEAM, row.name)),
        "team_page": team_page,
        "teams_query": _without(request, "teams_page"),
    }
    if not pulse:
        ctx |= _engineers(request, scope, board, team, thresholds)
    template = "retention/dashboard.html"
    if request.htmx:
        template += {"pulse": "#pulse", "engineers": "#engineers"}.get(
            target or "", "#dashboard-body"
        )
    return render(request, template, ctx)


def _engineers(
    request: AuthedRequest,
    scope: QuerySet[Person],
    board: Dashboard,
    team: int | None,
    thresholds: RetentionSettings,
) -> dict:
    """The engineers' list. A director's whole line: the worst in the latest snapshot, read
    as stored (records only, which is all a director sees one by one). A team, or a
    manager's reports: a page of engineers whose signals are computed now."""
    if team is None and board.snapshot is not None and roles_for(request).director:
        worst = needing_action(scope, board.snapshot, limit=WORST, min_points=1)
        return {
            "worst": [(row, level_for(row.points), [LABELS[k] for k in row.kinds]) for row in worst]
        }
    page = Paginator(_listed(scope, board, team), PAGE_SIZE).get_page(request.GET.get("page"))
    engineers = compute_signals(page.object_list, viewer=request.user, thresholds=thresholds)
    return {"engineers": engineers, "page": page, "page_query": _without(request, "page")}


def _without(request: AuthedRequest, name: str) -> str:
    """The page's query string without `name`, for the pagers' links."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@login_required
@require_GET
def person_signals(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_user(request, person_id)
    (engineer,) = compute_signals([person], viewer=request.user)
    ctx = {"engineer": engineer, "person": person, "level_rule": LEVEL_RULE}
    return render(request, "retention/dashboard_person.html", ctx)


@login_required
@require_GET
def export_csv(request: AuthedRequest) -> HttpResponse:
    """What the dashboard shows, as CSV: engineers' visible signals, then the teams'
    figures, pulse ones only where the anonymity floor allows."""
    thresholds = RetentionSettings.load()
    scope, board, team = _scoped(request, thresholds)
    # Every engineer listed, their signals computed now EXPORT_CHUNK at a time.
    people = _listed(scope, board, team)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="retention-signals.csv"'
    out = csv.writer(response)
    out.writerow(["engineer", "team", "level", "points", "signals"])
    paginator = Paginator(people, EXPORT_CHUNK)
    engineers = (
        engineer
        for number in paginator.page_range
        for engineer in compute_signals(
            paginator.page(number).object_list, viewer=request.user, thresholds=thresholds
        )
    )
    for e in engineers:
        out.writerow(
            [
                e.person.name,
                e.person.team.name if e.person.team else "",
                e.level,
                e.points,
                "; ".join(s.label for s in e.signals),
            ]
        )
    out.writerow([])
    pulse_headers = [label for _, label in board.pulse_kinds]
    out.writerow(["team", "people", *[k for k in RECORD_KINDS], "pulse answered", *pulse_headers])
    rows = [board.row(team)] if team is not None else [*board.rows, board.total]
    for row in rows:
        assert row is not None and row.pulse is not None
        pulse = (
            [row.pulse.answered, *[count for _, count in row.pulse.rows()]]
            if row.pulse.shown
            else [f"hidden (fewer than {board.floor})"] * (1 + len(pulse_headers))
        )
        out.writerow([row.name, row.size, *[cell.count for cell in row.cells], *pulse])
    return response
