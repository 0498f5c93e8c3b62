from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.forms import OrgImportForm
from accounts.models import Person
from accounts.roles import roles_for
from accounts.services import import_org
from growth.models import Transition
from growth.review_services import reviews_needing_attention
from growth.stagnation import assess_stagnation


def _next_transition(person: Person) -> Transition | None:
    # Read from the ladder admins edit, not a fixed label.
    return Transition.objects.filter(from_level=person.level).first()


def _get_person_for_user(request: HttpRequest, person_id: int) -> Person:
    """The person, if the viewer may see them; 404 for everyone else."""
    qs = Person.objects.visible_to(request.user).select_related("manager", "team")
    return get_object_or_404(qs, pk=person_id)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = roles_for(request)
    # Fetched again so the summary's team and manager come in the same query.
    me = Person.objects.select_related("team", "manager").get(pk=request.user.pk)
    ctx: dict = {"me": me, "next_transition": _next_transition(me)}
    # Quarterly reviews due soon or overdue: your own and your direct reports'.
    ctx["review_alerts"] = reviews_needing_attention(
        engineer=me, manager=me if roles.manager else None
    )
    if roles.manager:
        reports = list(Person.objects.filter(manager=me, is_active=True).select_related("team"))
        # Stagnation is a signal for the manager to act on, so it sits beside each name.
        stagnation = assess_stagnation(reports)
        for report in reports:
            report.stagnation = stagnation.get(report.pk)
        ctx["direct_reports"] = reports
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
    return render(request, "accounts/home.html", ctx)


@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    people = list(Person.objects.visible_to(request.user).select_related("team"))
    children: dict[int | None, list[Person]] = {}
    for p in people:
        children.setdefault(p.manager_id, []).append(p)

    def nodes(person: Person) -> list[dict]:
        reports = [n for child in children.get(person.pk, []) for n in nodes(child)]
        # A deactivated person drops out of the chart; their active reports
        # move up a level rather than vanish with them.
        return [{"person": person, "reports": reports}] if person.is_active else reports

    me = next(p for p in people if p.pk == request.user.pk)
    count = sum(p.is_active for p in people)
    return render(request, "accounts/org_chart.html", {"tree": nodes(me), "count": count})


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person_for_user(request, person_id)
    # Deactivated reports stay listed: their history is still reachable here.
    reports = list(person.reports.select_related("team").order_by("-is_active", "name"))
    ctx = {
        "person": person,
        "reports": reports,
        # Everyone in the viewer's subtree but the viewer has their manager in
        # it too; only the viewer's own manager is out of scope.
        "manager_visible": person.pk != request.user.pk,
        "next_transition": _next_transition(person),
    }
    return render(request, "accounts/person_detail.html", ctx)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker-compose: the database, and the broker if set."""
    from django.conf import settings

    checks: dict[str, str] = {}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
        status = 503
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
            status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", **checks}, status=status)


@login_required
def org_setup(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    return render(request, "accounts/org_setup.html")


@login_required
def org_import(request: HttpRequest) -> HttpResponse:
    # Admins only: an import can change anyone's manager, level and team.
    if not request.user.is_staff:
        raise PermissionDenied
    report = None
    if request.method == "POST":
        form = OrgImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = import_org(file=form.cleaned_data["file"])
            if report.ok:
                messages.success(request, report.summary())
                return redirect("accounts:org_import")
    else:
        form = OrgImportForm()
    return render(request, "accounts/org_import.html", {"form": form, "report": report})
