"""Permission matrix cases for the quarterly review URLs (joined by tests/growth/matrix.py).

The person of every case is org.engineer; the builders give them a plan, and
a submitted review where the URL is about one.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from growth.models import GrowthPlan
from growth.review_services import submit_quarterly_review
from tests.matrix import LOGIN, REPORTING_LINE, Case, statuses

# Submitted by the engineer or their manager; the director sees the plan but
# may not review it; everyone else cannot see the engineer at all.
REVIEWERS_FORM = statuses(404, person=200, manager=200, director=403)
REVIEWERS_WRITE = statuses(404, person=302, manager=302, director=403, anonymous=LOGIN)


def _plan(org: SimpleNamespace) -> GrowthPlan:
    plan, _ = GrowthPlan.objects.get_or_create(
        engineer=org.engineer,
        defaults={
            "aspiration": "Design an ablation that isolates one variable",
            "gap": "I change several things per run",
            "next_review_due": timezone.localdate() + timedelta(days=10),
        },
    )
    org.plan = plan
    return plan


def the_plan(org: SimpleNamespace) -> dict:
    _plan(org)
    return {"person_id": org.engineer.pk}


def a_review(org: SimpleNamespace) -> dict:
    org.review = submit_quarterly_review(
        plan=_plan(org),
        submitted_by=org.engineer,
        what_changed="Ran one ablation per week",
        next_quarter="Report variance across seeds",
        manager_note="",
        progress={},
    )
    return {"review_id": org.review.pk}


def plan_with_review(org: SimpleNamespace) -> dict:
    a_review(org)
    return {"person_id": org.engineer.pk}


def review_data(org: SimpleNamespace) -> dict:
    return {"what_changed": "Ran one ablation per week", "next_quarter": "Seeds next"}


def compare_with_current(org: SimpleNamespace) -> dict:
    return {"a": str(org.review.pk), "b": "current"}


CASES = [
    Case("growth:review_create", REVIEWERS_FORM, kwargs=the_plan),
    Case(
        "growth:review_create",
        REVIEWERS_WRITE,
        kwargs=the_plan,
        method="post",
        data=review_data,
    ),
    Case("growth:review_detail", REPORTING_LINE, kwargs=a_review),
    Case(
        "growth:review_compare",
        REPORTING_LINE,
        kwargs=plan_with_review,
        data=compare_with_current,
    ),
]
