"""Permission matrix cases for the growth URLs.

The plan page's cases live here; the ladder/coach and review cases beside them
in matrix_ladder.py and matrix_reviews.py (the matrix test collects every
tests/<app>/matrix*.py).

The person of every case is org.engineer, whose growth plan the builders create.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from growth.models import Experiment, SupportCommitment
from tests.growth.builders import engineer_plan, the_plan
from tests.matrix import REPORTING_LINE, Case, statuses

# Answers for a write by whoever may make it: 302 (saved, PRG) for them, 403 for
# the rest of the reporting line, 404 for everyone who cannot see the engineer.
OWNER_WRITES = statuses(404, person=302, manager=403, director=403)
OWNER_FORM = statuses(404, person=200, manager=403, director=403)
MANAGER_WRITES = statuses(404, manager=302, person=403, director=403)
MANAGER_FORM = statuses(404, manager=200, person=403, director=403)
LINE_WRITES = statuses(404, person=302, manager=302, director=302)


def _due() -> str:
    return (timezone.localdate() + timedelta(days=30)).isoformat()


def no_plan_yet(org: SimpleNamespace) -> dict:
    return {"person_id": org.engineer.pk}


def an_experiment(org: SimpleNamespace) -> dict:
    org.experiment = Experiment.objects.create(
        plan=engineer_plan(org),
        hypothesis="Fixing the seed halves the variance",
        what_to_try="Three seeds per configuration",
        success_signal="Variance reported with every result",
        due_date=timezone.localdate() + timedelta(days=20),
    )
    return {"experiment_id": org.experiment.pk}


def a_commitment(org: SimpleNamespace) -> dict:
    org.commitment = SupportCommitment.objects.create(
        plan=engineer_plan(org),
        manager=org.manager,
        kind=SupportCommitment.Kind.PROJECT,
        description="Put Eli on the retrieval evaluation project",
        due_date=timezone.localdate() + timedelta(days=30),
    )
    return {"commitment_id": org.commitment.pk}


def plan_data(org: SimpleNamespace) -> dict:
    return {
        "aspiration": "Run an ablation study end to end",
        "gap": "I have not chosen baselines myself",
        "transition": "",
        "version": str(org.plan.version),
    }


def new_plan_data(org: SimpleNamespace) -> dict:
    return {"aspiration": "Run an ablation", "gap": "No baselines yet", "version": "0"}


def experiment_data(org: SimpleNamespace) -> dict:
    return {
        "hypothesis": "Checking the baseline first saves a week",
        "what_to_try": "Reproduce the baseline before any change",
        "success_signal": "Baseline within 1% of the paper",
        "due_date": _due(),
        "status": "running",
        "learned": "",
        "version": str(getattr(org, "experiment", None) and org.experiment.version),
    }


def close_data(org: SimpleNamespace) -> dict:
    return {"status": "done", "learned": "Seeds matter", "version": str(org.experiment.version)}


def commitment_data(org: SimpleNamespace) -> dict:
    return {
        "kind": "feedback",
        "description": "Review one experiment design a week",
        "due_date": _due(),
        "status": "open",
        "version": str(getattr(org, "commitment", None) and org.commitment.version),
    }


def comment_data(org: SimpleNamespace) -> dict:
    return {"body": "Which baseline will you start from?"}


PLAN_CASES = [
    Case("growth:my_plan", statuses(302)),
    Case("growth:plan_detail", REPORTING_LINE, kwargs=the_plan),
    Case("growth:plan_detail", REPORTING_LINE, kwargs=no_plan_yet, label="no-plan"),
    Case("growth:plan_history", REPORTING_LINE, kwargs=the_plan),
    Case("growth:plan_edit", OWNER_FORM, kwargs=the_plan),
    Case("growth:plan_edit", OWNER_WRITES, kwargs=the_plan, method="post", data=plan_data),
    Case(
        "growth:plan_edit",
        OWNER_WRITES,
        kwargs=no_plan_yet,
        method="post",
        data=new_plan_data,
        label="start",
    ),
    Case(
        "growth:experiment_create",
        OWNER_WRITES,
        kwargs=the_plan,
        method="post",
        data=experiment_data,
    ),
    Case("growth:experiment_edit", OWNER_FORM, kwargs=an_experiment),
    Case(
        "growth:experiment_edit",
        OWNER_WRITES,
        kwargs=an_experiment,
        method="post",
        data=experiment_data,
    ),
    Case(
        "growth:experiment_edit",
        statuses(404, person=200, manager=403, director=403),
        kwargs=an_experiment,
        method="get",
        headers={"HX-Request": "true"},
        label="htmx",
    ),
    Case(
        "growth:experiment_move",
        OWNER_WRITES,
        kwargs=an_experiment,
        method="post",
        data=lambda org: {"direction": "up"},
    ),
    Case(
        "growth:experiment_close",
        OWNER_WRITES,
        kwargs=an_experiment,
        method="post",
        data=close_data,
    ),
    Case(
        "growth:commitment_create",
        MANAGER_WRITES,
        kwargs=the_plan,
        method="post",
        data=commitment_data,
    ),
    Case("growth:commitment_edit", MANAGER_FORM, kwargs=a_commitment),
    Case(
        "growth:commitment_edit",
        MANAGER_WRITES,
        kwargs=a_commitment,
        method="post",
        data=commitment_data,
    ),
    Case("growth:comment_create", LINE_WRITES, kwargs=the_plan, method="post", data=comment_data),
    # A write-only URL refuses GET for everyone, before looking anything up.
    Case("growth:comment_create", statuses(405), kwargs=the_plan, label="get"),
    # A redirect that only reads refuses other methods (require_GET), after sign-in.
    Case("growth:my_plan", statuses(405), method="post"),
]

CASES = PLAN_CASES
