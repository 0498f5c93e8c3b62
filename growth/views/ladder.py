from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthedRequest
from growth.models import Competency, LevelPolicy, Transition


@login_required
@require_GET
def ladder(request: AuthedRequest) -> HttpResponse:
    """The four levels and three transitions, and where the signed-in engineer stands."""
    levels = list(LevelPolicy.objects.order_by("order"))
    transitions = list(
        Transition.objects.order_by("order").prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("order", "pk"))
        )
    )
    me = request.user
    policy = next((lv for lv in levels if lv.level == me.level), None)
    expected = policy.expected_dwell_days if policy else None
    context = {
        "levels": levels,
        "transitions": transitions,
        "my_transition": next((t for t in transitions if t.from_level == me.level), None),
        "my_policy": policy,
        # Same rule as stagnation: exactly at the expected time is not past it.
        "past_dwell": expected is not None and me.days_at_level > expected,
    }
    return render(request, "growth/ladder.html", context)
