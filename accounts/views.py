from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.forms import OrgImportForm
from accounts.http import AuthedRequest
from accounts.models import Person
from accounts.org_tree import org_rows
from accounts.services import import_org


@login_required
@require_GET
def org_chart(request: AuthedRequest) -> HttpResponse:
    people = list(Person.objects.visible_to(request.user).select_related("team"))
    rows = org_rows(people, request.user.pk)
    # One reverse() for the whole chart rather than a {% url %} per person.
    profile = reverse("home:person_detail", args=[0]).removesuffix("0/")
    ctx = {"rows": rows, "count": len(rows), "profile_url_prefix": profile}
    return render(request, "accounts/org_chart.html", ctx)


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
@require_GET
def org_setup(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    return render(request, "accounts/org_setup.html")


@login_required
def org_import(request: AuthedRequest) -> HttpResponse:
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
