"""Permission matrix cases for the model registry, the deployment plan, the graveyard,
assignments and API tokens (the pages; the API's are in matrix_api.py).

The person of every case is org.engineer: the owner of a model their manager
registered. The owners and their direct managers change a model; the director above
sees it but does not act (403); everyone else gets 404.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from retention import services
from retention.audit import run_graveyard_audit
from retention.models import AuditRun, Purpose, Status
from tests.matrix import REPORTING_LINE, SIGNED_IN, Case, statuses
from tests.retention.builders import a_model, a_plan, problem_type

CHANGERS = statuses(404, person=302, manager=302, director=403)
CHANGERS_FORM = statuses(404, person=200, manager=200, director=403)
# Anyone registers a model for owners in their own line; others get the form back.
REGISTER_FOR_ENGINEER = statuses(200, person=302, manager=302, director=302)
APPROVER = statuses(404, person=403, manager=302, director=403)
ASSIGNER = statuses(404, person=403, manager=302, director=403)
DIRECTORS = statuses(403, director=302, other_director=302)


def the_model(org: SimpleNamespace) -> dict:
    org.model = a_model(org)
    return {"model_id": org.model.pk}


def production_model(org: SimpleNamespace) -> dict:
    org.model = a_model(org, purpose=Purpose.PRODUCTION)
    return {"model_id": org.model.pk}


def planned_production_with_plan(org: SimpleNamespace) -> dict:
    kwargs = production_model(org)
    org.plan = a_plan(org, org.model)
    return kwargs


def with_a_model(org: SimpleNamespace) -> dict:
    the_model(org)
    return {}


def with_findings(org: SimpleNamespace) -> dict:
    a_model(org, status=Status.TRAINED, trained_days_ago=120, name="Forgotten ranker")
    run_graveyard_audit(trigger=AuditRun.Trigger.COMMAND)
    return {}


def the_engineer(org: SimpleNamespace) -> dict:
    services.record_assignment(
        engineer=org.engineer,
        actor=org.manager,
        problem_type=problem_type(),
        project="Search quality",
        started_on=timezone.localdate() - timedelta(days=400),
    )
    return {"person_id": org.engineer.pk}


def the_token(org: SimpleNamespace) -> dict:
    org.token, _ = services.create_api_token(
        person=org.engineer, name="nightly training", expires_in_days=90
    )
    return {"token_id": org.token.pk}


def new_model_data(org: SimpleNamespace) -> dict:
    return {
        "name": "Query rewriter",
        "project": "Search quality",
        "problem_type": str(problem_type().pk),
        "purpose": "research",
        "owners": [str(org.engineer.pk)],
    }


def plan_data(org: SimpleNamespace) -> dict:
    return {
        "target_system": "Search ranking service",
        "owner": str(org.engineer.pk),
        "success_metric": "+2% clicks on the first result",
        "target_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "rollback": "Feature flag back to v1.",
        "version": "0",
    }


def assignment_data(org: SimpleNamespace) -> dict:
    evals = problem_type("Evals")
    return {
        "problem_type": str(evals.pk),
        "project": "Judge study",
        "started_on": timezone.localdate().isoformat(),
        "ended_on": "",
    }


HTMX = {"HX-Request": "true"}

CASES = [
    Case("retention:model_list", SIGNED_IN, kwargs=with_a_model),
    Case(
        "retention:model_list",
        SIGNED_IN,
        kwargs=with_a_model,
        data=lambda org: {"team": str(org.vision.pk)},
        label="team",
    ),
    Case("retention:model_create", SIGNED_IN),
    Case("retention:model_create", REGISTER_FOR_ENGINEER, method="post", data=new_model_data),
    Case("retention:model_detail", REPORTING_LINE, kwargs=the_model),
    Case(
        "retention:model_detail", REPORTING_LINE, kwargs=planned_production_with_plan, label="plan"
    ),
    Case(
        "retention:model_move",
        CHANGERS,
        kwargs=the_model,
        method="post",
        data=lambda org: {"to": "training"},
    ),
    Case(
        "retention:model_move",
        CHANGERS_FORM,
        kwargs=the_model,
        method="post",
        data=lambda org: {"to": "training"},
        headers=HTMX,
        label="htmx",
    ),
    # The gate refuses a production run without a plan: the page says why (200).
    Case(
        "retention:model_move",
        CHANGERS_FORM,
        kwargs=production_model,
        method="post",
        data=lambda org: {"to": "training"},
        label="gate",
    ),
    Case("retention:model_archive", CHANGERS_FORM, kwargs=the_model),
    Case(
        "retention:model_archive",
        CHANGERS,
        kwargs=the_model,
        method="post",
        data=lambda org: {"reason": "Superseded by the v3 run"},
    ),
    Case("retention:plan_edit", CHANGERS_FORM, kwargs=production_model),
    Case("retention:plan_edit", CHANGERS, kwargs=production_model, method="post", data=plan_data),
    Case(
        "retention:plan_approve",
        APPROVER,
        kwargs=planned_production_with_plan,
        method="post",
        data=lambda org: {"version": str(org.plan.version)},
    ),
    Case(
        "retention:plan_approve",
        statuses(404, person=403, manager=200, director=403),
        kwargs=planned_production_with_plan,
        method="post",
        data=lambda org: {"version": str(org.plan.version)},
        headers=HTMX,
        label="htmx",
    ),
    Case("retention:graveyard", SIGNED_IN, kwargs=with_findings),
    Case("retention:audit_run", DIRECTORS, method="post"),
    Case("retention:assignments", REPORTING_LINE, kwargs=the_engineer),
    Case(
        "retention:assignment_create",
        ASSIGNER,
        kwargs=the_engineer,
        method="post",
        data=assignment_data,
    ),
    Case("retention:token_list", SIGNED_IN),
    # The new token is shown on the page that answers (never a redirect).
    Case(
        "retention:token_create",
        SIGNED_IN,
        method="post",
        data=lambda org: {"name": "nightly training", "expires_in_days": "90"},
    ),
    Case("retention:token_revoke", statuses(404, person=302), kwargs=the_token, method="post"),
]
