"""Pages that gather several apps: each app hands over its panel's data through its
public `panels` module; nothing here decides who may see what (accounts does)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.http import AuthedRequest
from accounts.models import Person
from accounts.roles import roles_for
from growth import panels as growth_panels
from one_on_ones import panels as one_on_ones_panels
from retention import panels as retention_panels


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    roles = roles_for(request)
    # Fetched again so the summary's team and manager come in the same query.
    me = Person.objects.select_related("team", "manager").get(pk=request.user.pk)
    ctx: dict = {"me": me, "growth": growth_panels.home_panel(me, is_manager=roles.manager)}
    ctx["one_on_ones"] = one_on_ones_panels.home_panel(me, is_manager=roles.manager)
    ctx["signals"] = retention_panels.signals_home_panel(
        me, is_manager=roles.manager, is_director=roles.director
    )
    if roles.manager:
        reports = list(Person.objects.filter(manager=me, is_active=True).select_related("team"))
        stagnation = growth_panels.stagnation_by_person(reports)
        ctx["direct_reports"] = [(report, stagnation.get(report.pk)) for report in reports]
    if roles.director:
        ctx.update(_organisation(me))
    return render(request, "home/home.html", ctx)


@dataclass(frozen=True)
class ManagerBelow:
    pk: int
    name: str
    team: str | None
    report_count: int


def _organisation(me: Person) -> dict:
    """Head count per team and every manager below with their direct reports.

    One query over four columns of the subtree, counted here: counting in SQL
    grouped by every person column and walked the subtree twice (bench/README.md).
    """
    below = Person.objects.below(me).filter(is_active=True)
    rows = list(below.values_list("pk", "name", "manager_id", "team__name"))
    teams = Counter(team for *_, team in rows)
    reports = Counter(manager_id for _, _, manager_id, _ in rows)
    return {
        "teams_below": [
            {"team__name": team, "head_count": teams[team]}
            for team in sorted(teams, key=lambda team: (team is None, team or ""))
        ],
        "managers_below": [
            ManagerBelow(pk, name, team, reports[pk]) for pk, name, _, team in rows if reports[pk]
        ],
        # One reverse() for every manager's link rather than a {% url %} each.
        "profile_url_prefix": reverse("home:person_detail", args=[0]).removesuffix("0/"),
    }


@login_required
@require_GET
def person_detail(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("manager", "team"), pk=person_id
    )
    # Deactivated reports stay listed: their history is still reachable here.
    reports = list(person.reports.select_related("team").order_by("-is_active", "name"))
    ctx = {
        "person": person,
        "reports": reports,
        # Everyone in the viewer's subtree but the viewer has their manager in
        # it too; only the viewer's own manager is out of scope.
        "manager_visible": person.pk != request.user.pk,
        "next_transition": growth_panels.next_transition(person),
    }
    return render(request, "home/person_detail.html", ctx)


@login_required
@require_GET
def floor(request: AuthedRequest) -> HttpResponse:
    """The bench's floor (`make bench`): nothing but the session check and base.html.

    Every page's budget is a multiple of this page's time, measured in the same run.
    """
    return render(request, "home/floor.html")
