"""Growth's write rules (growth/rules.py) and per-model scoping (`visible_to`).

Views answer 403 through the rules (the permission matrix checks every URL);
these tests check that services ask the same rules, so no other caller — a task,
a command, the demo — can write what a view would refuse, and that every
plan-owned model scopes through the reporting line.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from growth import rules, services
from growth.models import (
    Experiment,
    GrowthPlan,
    PlanChange,
    PlanComment,
    QuarterlyReview,
    SupportCommitment,
)
from growth.review_services import submit_quarterly_review
from tests.growth.builders import engineer_plan


def _due():
    return timezone.localdate() + timedelta(days=20)


def test_rules_name_who_may_write(org):
    assert rules.can_edit_plan(org.engineer, org.engineer)
    assert not rules.can_edit_plan(org.manager, org.engineer)
    assert rules.can_close_experiment(org.engineer, org.engineer)
    assert not rules.can_close_experiment(org.manager, org.engineer)
    assert not rules.can_close_experiment(org.director, org.engineer)
    assert rules.can_commit_support(org.manager, org.engineer)
    assert not rules.can_commit_support(org.director, org.engineer)
    assert not rules.can_commit_support(org.engineer, org.engineer)
    assert rules.can_submit_review(org.engineer, org.engineer)
    assert rules.can_submit_review(org.manager, org.engineer)
    assert not rules.can_submit_review(org.director, org.engineer)
    assert not rules.can_submit_review(org.admin, org.engineer)


@pytest.mark.parametrize("actor", ["manager", "director", "admin", "peer"])
def test_services_refuse_plan_writes_by_anyone_but_the_engineer(org, actor):
    plan = engineer_plan(org)
    experiment = Experiment.objects.create(
        plan=plan, hypothesis="h", what_to_try="w", success_signal="s", due_date=_due()
    )
    who = getattr(org, actor)

    with pytest.raises(PermissionDenied):
        services.save_plan(
            engineer=org.engineer,
            actor=who,
            version=plan.version,
            aspiration="a",
            gap="g",
            transition=None,
        )
    with pytest.raises(PermissionDenied):
        services.create_experiment(
            plan=plan,
            actor=who,
            hypothesis="h",
            what_to_try="w",
            success_signal="s",
            due_date=_due(),
        )
    with pytest.raises(PermissionDenied):
        services.close_experiment(
            experiment=experiment, actor=who, version=1, status="done", learned="x"
        )
    with pytest.raises(PermissionDenied):
        services.move_experiment(experiment=experiment, actor=who, direction="up")

    plan.refresh_from_db()
    assert plan.aspiration != "a"
    assert list(plan.experiments.values_list("status", flat=True)) == ["planned"]
    assert not PlanChange.objects.exists()


@pytest.mark.parametrize("actor", ["engineer", "director", "admin", "other_manager"])
def test_services_refuse_support_commitments_by_anyone_but_the_direct_manager(org, actor):
    plan = engineer_plan(org)

    with pytest.raises(PermissionDenied):
        services.add_support_commitment(
            plan=plan,
            manager=getattr(org, actor),
            kind="project",
            description="d",
            due_date=_due(),
        )

    assert not SupportCommitment.objects.exists()


@pytest.mark.parametrize("actor", ["director", "admin", "peer"])
def test_review_service_refuses_anyone_outside_the_pair(org, actor):
    plan = engineer_plan(org)

    with pytest.raises(PermissionDenied):
        submit_quarterly_review(
            plan=plan,
            submitted_by=getattr(org, actor),
            what_changed="w",
            next_quarter="n",
            manager_note="",
            progress={},
        )

    assert not QuarterlyReview.objects.exists()


@pytest.mark.parametrize(
    "model", [GrowthPlan, Experiment, SupportCommitment, PlanComment, QuarterlyReview, PlanChange]
)
def test_every_plan_owned_model_is_scoped_by_the_reporting_line(org, model):
    plan = engineer_plan(org)
    experiment = services.create_experiment(
        plan=plan,
        actor=org.engineer,
        hypothesis="h",
        what_to_try="w",
        success_signal="s",
        due_date=_due(),
    )
    services.add_support_commitment(
        plan=plan, manager=org.manager, kind="project", description="d", due_date=_due()
    )
    services.add_plan_comment(plan=plan, author=org.director, body="Nice")
    submit_quarterly_review(
        plan=plan,
        submitted_by=org.engineer,
        what_changed="w",
        next_quarter="n",
        manager_note="",
        progress={experiment.pk: ("progressing", "")},
    )
    assert model.objects.exists()

    for viewer in (org.engineer, org.manager, org.director):
        assert model.objects.visible_to(viewer).count() == model.objects.count()
    for viewer in (org.peer, org.other_manager, org.other_director, org.admin, org.outsider):
        assert model.objects.visible_to(viewer).count() == 0


def test_partial_and_page_from_one_url_vary_on_hx_request(client, org):
    plan = engineer_plan(org)
    experiment = Experiment.objects.create(
        plan=plan, hypothesis="h", what_to_try="w", success_signal="s", due_date=_due()
    )
    client.force_login(org.engineer)
    url = reverse("growth:experiment_edit", args=[experiment.pk])

    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        assert "HX-Request" in response["Vary"]
