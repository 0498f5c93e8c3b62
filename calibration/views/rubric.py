from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthedRequest
from accounts.models import Level
from calibration.models import Anchor, Dimension


@login_required
@require_GET
def rubric(request: AuthedRequest) -> HttpResponse:
    """The process dimensions, the levels each counts for, and the anchor of each score.

    Read-only for everyone: admins edit the rubric in the admin site.
    """
    dimensions = list(
        Dimension.objects.prefetch_related(
            Prefetch("anchors", queryset=Anchor.objects.order_by("score"))
        )
    )
    rows = [
        {
            "dimension": d,
            "weights": [(label, d.weight_for(level)) for level, label in Level.choices],
            "counts_for": [label for level, label in Level.choices if d.applies_to(level)],
            "anchors": list(d.anchors.all()),
            "counts_for_me": d.applies_to(request.user.level),
        }
        for d in dimensions
    ]
    context = {
        "rows": rows,
        "levels": Level.choices,
        "my_level": request.user.get_level_display(),
    }
    return render(request, "calibration/rubric.html", context)
