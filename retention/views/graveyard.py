"""The graveyard: the latest audit's findings in the viewer's line, with what each
owner can do (deploy, archive with a reason), the rate per team over the last runs,
and "run now" for directors.

Both lists come a page at a time: the findings (`?page=`) and the teams' rate charts
(`?rates=`), each link keeping the other's page. htmx swaps just that section (its
named partial); the same links load the whole page without JavaScript.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthedRequest
from accounts.roles import roles_for
from retention import rules
from retention.audit import run_graveyard_audit
from retention.charts import rate_chart
from retention.models import AuditRun
from retention.selectors import graveyard_findings, recent_runs, team_rates

PAGE = "retention/graveyard.html"
SECTIONS = ("findings", "rates")


def _url(findings: int, rates: int) -> str:
    params = {k: v for k, v in (("page", findings), ("rates", rates)) if v != 1}
    url = reverse("retention:graveyard")
    return f"{url}?{urlencode(params)}" if params else url


@login_required
@require_GET
def graveyard(request: AuthedRequest) -> HttpResponse:
    user = request.user
    runs = recent_runs()
    run = runs[-1] if runs else None
    findings = graveyard_findings(user, run, request.GET.get("page"))
    rates = team_rates(user, runs, request.GET.get("rates"))
    at, rates_at = findings.page.number, rates.page.number
    ctx = {
        "run": run,
        "findings": findings,
        "rates": rates,
        "charts": [rate_chart(s) for s in rates.series],
        "runs": runs,
        "can_run": roles_for(request).director,
        "findings_previous": _url(at - 1, rates_at) if findings.page.has_previous() else "",
        "findings_next": _url(at + 1, rates_at) if findings.page.has_next() else "",
        "rates_previous": _url(at, rates_at - 1) if rates.page.has_previous() else "",
        "rates_next": _url(at, rates_at + 1) if rates.page.has_next() else "",
    }
    target = request.htmx.target if request.htmx else None
    response = render(request, f"{PAGE}#{target}" if target in SECTIONS else PAGE, ctx)
    patch_vary_headers(response, ["HX-Target"])  # HX-Request: config/middleware.py
    return response


@login_required
@require_POST
def audit_run(request: AuthedRequest) -> HttpResponse:
    """Run the audit now (directors): the whole org's models, recorded as a run."""
    rules.require(roles_for(request).director, rules.ONLY_DIRECTORS_AUDIT)
    run = run_graveyard_audit(trigger=AuditRun.Trigger.BUTTON, run_by=request.user)
    messages.success(
        request,
        f"The audit ran: {run.findings_count} graveyard finding"
        f"{'s' if run.findings_count != 1 else ''} among {run.judged} models trained more "
        f"than {run.days} days ago.",
    )
    return redirect("retention:graveyard")
