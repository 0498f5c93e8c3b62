"""Job health: each scheduled job's last runs, for admins and directors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthedRequest
from notifications import rules, selectors


@login_required
@require_GET
def job_health(request: AuthedRequest) -> HttpResponse:
    rules.require(rules.can_see_job_health(request.user), rules.ONLY_ADMINS_AND_DIRECTORS)
    return render(request, "notifications/job_health.html", {"health": selectors.job_health()})
