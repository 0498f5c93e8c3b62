"""Permission matrix cases for the quarterly review URLs (joined by tests/growth/matrix.py).

The person of every case is org.engineer; the builders give them a plan, and
a submitted review where the URL is about one.
"""

from __future__ import annotations

from types import SimpleNamespace

from growth.review_services import submit_quarterly_review
from tests.growth.builders import engineer_plan, the_plan
from tests.matrix import LOGIN, REPORTING_LINE, Case, statuses

# Submitted by the engineer or their manager; the director sees the plan but
# may not review it; everyone else cannot see the engineer at all.
REVIEWERS_FORM = statuses(404, person=200, manager=200, director=403)
REVIEWERS_WRITE = statuses(404, person=302, manager=302, director=403, anonymous=LOGIN)


def a_review(org: SimpleNamespace) -> dict:
    org.review = submit_quarterly_review(
        plan=engineer_plan(org),
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
