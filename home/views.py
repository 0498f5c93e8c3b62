"""Pages that gather several apps: each app hands over its panel's data through its
public `panels` module; nothing here decides who may see what (accounts does)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.http import AuthedRequest
from accounts.models import Person
from accounts.roles import roles_for
from growth import panels as growth_panels


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    roles = roles_for(request)
    # Fetched again so the summary's team and manager come in the same query.
    me = Person.objects.select_related("team", "manager").get(pk=request.user.pk)
    ctx: dict = {"me": me, "growth": growth_panels.home_panel(me, is_manager=roles.manager)}
    if roles.manager:
        reports = list(Person.objects.filter(manager=me, is_active=True).select_related("team"))
        stagnation = growth_panels.stagnation_by_person(reports)
        ctx["direct_reports"] = [(report, stagnation.get(report.pk)) for report in reports]
    if roles.director:
        below = Person.objects.below(me).filter(is_active=True)
        ctx["teams_below"] = list(
            below.values("team__name").annotate(head_count=Count("pk")).order_by("team__name")
        )
        ctx["managers_below"] = list(
            below.annotate(report_count=Count("reports", filter=Q(reports__is_active=True)))
            .filter(report_count__gt=0)
            .select_related("team")
        )
    return render(request, "home/home.html", ctx)


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
