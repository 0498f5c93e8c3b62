from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Person
from accounts.roles import roles_for


def _get_person_for_user(request: HttpRequest, person_id: int) -> Person:
    """The person, if the viewer may see them; 404 for everyone else."""
    qs = Person.objects.visible_to(request.user).select_related("manager", "team")
    return get_object_or_404(qs, pk=person_id)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = roles_for(request)
    me = request.user
    ctx: dict = {"me": me}
    if roles.manager:
        ctx["direct_reports"] = list(
            Person.objects.filter(manager=me, is_active=True).select_related("team")
        )
    if roles.director:
        below = list(Person.objects.below(me).filter(is_active=True).select_related("team"))
        manager_ids = {p.manager_id for p in below}
        ctx["managers_below"] = [p for p in below if p.pk in manager_ids]
        teams: dict[str, int] = {}
        for p in below:
            key = p.team.name if p.team else "No team"
            teams[key] = teams.get(key, 0) + 1
        ctx["teams_below"] = sorted(teams.items())
        ctx["people_below_count"] = len(below)
    return render(request, "accounts/home.html", ctx)


@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    people = list(
        Person.objects.visible_to(request.user).filter(is_active=True).select_related("team")
    )
    children: dict[int | None, list[Person]] = {}
    for p in people:
        children.setdefault(p.manager_id, []).append(p)

    def build(person: Person) -> dict:
        return {"person": person, "reports": [build(c) for c in children.get(person.pk, [])]}

    me = next((p for p in people if p.pk == request.user.pk), request.user)
    return render(request, "accounts/org_chart.html", {"tree": build(me), "count": len(people)})


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person_for_user(request, person_id)
    reports = list(person.reports.filter(is_active=True).select_related("team"))
    return render(request, "accounts/person_detail.html", {"person": person, "reports": reports})


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
    # Filled in by the org import work: upload a CSV, validate all rows, all-or-nothing.
    if not request.user.is_staff:
        raise PermissionDenied
    return render(request, "accounts/org_import.html")
