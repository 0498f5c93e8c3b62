"""The model registry and the deployment gate in the browser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from retention import services
from retention.models import (
    DeploymentPlan,
    ModelEvent,
    ModelOwner,
    Purpose,
    RegisteredModel,
    Status,
)
from retention.views import registry
from tests.retention.builders import a_model, a_plan, problem_type

HTMX = {"HX-Request": "true"}


def _move(client, model, to="training", headers=None, **extra):
    url = reverse("retention:model_move", args=[model.pk])
    return client.post(url, {"to": to, **extra}, headers=headers or {})


def test_registering_a_model_records_owners_team_and_history(client, org):
    client.force_login(org.manager)

    response = client.post(
        reverse("retention:model_create"),
        {
            "name": "Query rewriter",
            "project": "Search quality",
            "problem_type": problem_type().pk,
            "purpose": "production",
            "owners": [org.engineer.pk, org.peer.pk],
        },
    )

    model = RegisteredModel.objects.get()
    assert response.status_code == 302
    assert (model.status, model.purpose, model.team) == ("planned", "production", org.vision)
    assert set(model.owners.all()) == {org.engineer, org.peer}
    assert model.events.get().kind == ModelEvent.Kind.REGISTERED


def test_a_model_owned_by_nobody_is_refused(client, org):
    client.force_login(org.manager)

    response = client.post(
        reverse("retention:model_create"),
        {
            "name": "Orphan",
            "project": "X",
            "problem_type": problem_type().pk,
            "purpose": "research",
        },
    )

    assert response.status_code == 200
    assert "Name at least one owner" in response.content.decode()
    assert not RegisteredModel.objects.exists()


def test_owners_outside_the_line_are_not_offered(client, org):
    client.force_login(org.peer)

    response = client.post(
        reverse("retention:model_create"),
        {
            "name": "Not mine",
            "project": "X",
            "problem_type": problem_type().pk,
            "purpose": "research",
            "owners": [org.engineer.pk],
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ModelOwner.objects.exists()


def test_the_gate_refuses_a_production_run_without_a_plan_saying_what_is_missing(client, org):
    model = a_model(org, purpose=Purpose.PRODUCTION)
    client.force_login(org.engineer)

    response = _move(client, model)

    body = response.content.decode()
    assert response.status_code == 200
    assert "The deployment gate refused: Reranker v2 cannot start training" in body
    assert "No deployment plan: a production run needs one" in body
    model.refresh_from_db()
    assert (model.status, model.training_started_on) == (Status.PLANNED, None)
    assert not model.events.filter(kind=ModelEvent.Kind.STATUS).exists()


def test_the_gate_refuses_a_plan_not_yet_approved(client, org):
    model = a_model(org, purpose=Purpose.PRODUCTION)
    a_plan(org, model)
    client.force_login(org.engineer)

    response = _move(client, model, headers=HTMX)

    body = response.content.decode()
    assert "<html" not in body
    assert "The deployment plan is not approved: an owner&#x27;s manager approves it." in body
    assert RegisteredModel.objects.get(pk=model.pk).status == Status.PLANNED


def test_the_manager_approves_and_the_gate_lets_the_run_train(client, org):
    model = a_model(org, purpose=Purpose.PRODUCTION)
    plan = a_plan(org, model)
    client.force_login(org.manager)

    approved = client.post(
        reverse("retention:plan_approve", args=[model.pk]), {"version": plan.version}, headers=HTMX
    )
    client.force_login(org.engineer)
    moved = _move(client, model)

    assert approved.status_code == 200
    assert "Approved</span> by Mara Manager" in approved.content.decode()
    assert moved.status_code == 302
    model.refresh_from_db()
    assert (model.status, model.training_started_on) == (Status.TRAINING, timezone.localdate())


def test_a_research_run_needs_no_plan(client, org):
    model = a_model(org)
    client.force_login(org.engineer)

    assert _move(client, model).status_code == 302
    assert RegisteredModel.objects.get(pk=model.pk).status == Status.TRAINING


def test_an_owner_may_not_approve_their_own_plan(client, org):
    model = a_model(org, purpose=Purpose.PRODUCTION)
    plan = a_plan(org, model)
    client.force_login(org.engineer)

    response = client.post(
        reverse("retention:plan_approve", args=[model.pk]), {"version": plan.version}
    )

    assert response.status_code == 403
    assert DeploymentPlan.objects.get(pk=plan.pk).approved_at is None


def test_editing_an_approved_plan_withdraws_the_approval(client, org):
    model = a_model(org, purpose=Purpose.PRODUCTION)
    plan = a_plan(org, model, approved=True)
    client.force_login(org.engineer)

    response = client.post(
        reverse("retention:plan_edit", args=[model.pk]),
        {
            "target_system": "Search ranking service (EU)",
            "owner": org.engineer.pk,
            "success_metric": plan.success_metric,
            "target_date": plan.target_date.isoformat(),
            "rollback": plan.rollback,
            "version": plan.version,
        },
    )

    plan.refresh_from_db()
    assert response.status_code == 302
    assert (plan.target_system, plan.approved_at) == ("Search ranking service (EU)", None)
    assert model.gate(plan).reasons == [
        "The deployment plan is not approved: an owner's manager approves it."
    ]


def test_approving_a_plan_that_changed_since_it_was_read_is_refused(client, org):
    model = a_model(org, purpose=Purpose.PRODUCTION)
    plan = a_plan(org, model)
    stale = plan.version
    services.save_deployment_plan(
        model=model,
        actor=org.engineer,
        version=plan.version,
        target_system="Another system",
        owner=org.engineer,
        success_metric="m",
        target_date=plan.target_date,
        rollback="r",
    )
    client.force_login(org.manager)

    response = client.post(reverse("retention:plan_approve", args=[model.pk]), {"version": stale})

    assert response.status_code == 200
    assert "The plan changed since you opened it" in response.content.decode()
    assert DeploymentPlan.objects.get(pk=plan.pk).approved_at is None


def test_a_plan_with_a_past_target_date_is_refused(client, org):
    model = a_model(org, purpose=Purpose.PRODUCTION)
    client.force_login(org.engineer)

    response = client.post(
        reverse("retention:plan_edit", args=[model.pk]),
        {
            "target_system": "S",
            "owner": org.engineer.pk,
            "success_metric": "m",
            "target_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "rollback": "r",
            "version": 0,
        },
    )

    assert response.status_code == 200
    assert "The target date is in the past." in response.content.decode()
    assert not DeploymentPlan.objects.exists()


def test_dates_out_of_order_are_refused_in_the_browser(client, org):
    model = a_model(org, status=Status.TRAINING)
    client.force_login(org.engineer)
    before_start = model.training_started_on - timedelta(days=1)

    response = _move(client, model, to="trained", on=before_start.isoformat())

    assert response.status_code == 200
    assert "The dates are out of order" in response.content.decode()
    assert RegisteredModel.objects.get(pk=model.pk).status == Status.TRAINING


def test_archiving_needs_a_reason(client, org):
    model = a_model(org, status=Status.TRAINED)
    client.force_login(org.engineer)
    url = reverse("retention:model_archive", args=[model.pk])

    empty = client.post(url, {"reason": "   "})
    done = client.post(url, {"reason": "Superseded by v3", "back": "graveyard"})

    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    assert done.status_code == 302
    assert done["Location"] == f"{reverse('retention:graveyard')}#finding-{model.pk}"
    model.refresh_from_db()
    assert (model.status, model.archive_reason) == (Status.ARCHIVED, "Superseded by v3")


def test_the_model_page_shows_its_plan_and_history(client, org):
    model = a_model(org, purpose=Purpose.PRODUCTION, status=Status.TRAINED)
    client.force_login(org.director)

    body = client.get(reverse("retention:model_detail", args=[model.pk])).content.decode()

    assert "Search ranking service" in body
    assert "Approved</span> by Mara Manager" in body
    assert "deployment plan approved" in body
    assert "(training → trained)" in body
    assert "Start training" not in body and "Mark as deployed" not in body  # the director reads


@pytest.mark.parametrize("size", [0, 2, 60])
def test_the_team_models_page_costs_the_same_queries_at_any_size(
    client, org, django_assert_num_queries, size
):
    for i in range(size):
        a_model(
            org,
            name=f"Run {i}",
            owners=[org.engineer, org.peer],
            purpose=Purpose.PRODUCTION if i % 2 else Purpose.RESEARCH,
            status=Status.TRAINED if i % 2 else Status.PLANNED,
        )
    client.force_login(org.director)

    # Session, user, roles, the models counted per team, the page with its owners (read
    # even when there is nothing to show: the same count with no model at all).
    with django_assert_num_queries(5):
        response = client.get(reverse("retention:model_list"), {"team": org.vision.pk})

    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row">') == min(size, registry.PAGE_SIZE)


def _models(org, count: int, **kwargs) -> None:
    """`count` models owned by org.engineer, "Run 0" the oldest."""
    for i in range(count):
        a_model(org, name=f"Run {i}", **kwargs)


def _rows(body: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', body)


def test_the_second_page_of_models_shows_the_next_ones_and_keeps_the_team(client, org, monkeypatch):
    monkeypatch.setattr(registry, "PAGE_SIZE", 2)
    _models(org, 5)
    client.force_login(org.manager)
    url = reverse("retention:model_list")

    first = client.get(url, {"team": org.vision.pk}).content.decode()
    second = client.get(url, {"team": org.vision.pk, "page": 2}).content.decode()

    assert _rows(first) == ["Run 4", "Run 3"]  # newest first
    assert _rows(second) == ["Run 2", "Run 1"]
    assert f'href="{url}?team={org.vision.pk}&amp;page=3"' in second
    assert f'href="{url}?team={org.vision.pk}&amp;page=1"' in second
    assert "Models 3–4 of 5 (page 2 of 3)" in second


def test_a_page_past_the_end_of_the_models_shows_the_last(client, org, monkeypatch):
    monkeypatch.setattr(registry, "PAGE_SIZE", 2)
    _models(org, 3)
    client.force_login(org.manager)

    body = client.get(reverse("retention:model_list"), {"page": 99}).content.decode()

    assert _rows(body) == ["Run 0"]
    assert "page 2 of 2" in body


def test_htmx_gets_only_the_page_of_models(client, org, monkeypatch):
    monkeypatch.setattr(registry, "PAGE_SIZE", 2)
    _models(org, 3)
    client.force_login(org.manager)

    response = client.get(
        reverse("retention:model_list"), {"page": 2}, headers={**HTMX, "HX-Target": "models"}
    )

    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="models"')
    assert _rows(body) == ["Run 0"]
    assert "HX-Target" in response["Vary"]


def test_the_team_filter_offers_the_teams_of_the_models_in_view_with_their_counts(client, org):
    _models(org, 2)
    a_model(org, name="Speech run", owners=[org.other_engineer])
    a_model(org, name="Far run", owners=[org.far_engineer])
    client.force_login(org.director)

    body = client.get(reverse("retention:model_list")).content.decode()

    assert f'<option value="{org.speech.pk}">Speech (1)</option>' in body
    assert f'<option value="{org.vision.pk}">Vision (2)</option>' in body
    assert f'value="{org.search.pk}"' not in body  # a team outside the director's line


def test_the_team_filter_shows_that_teams_models(client, org):
    a_model(org, name="Vision run")
    a_model(org, name="Speech run", owners=[org.other_engineer])
    client.force_login(org.director)

    body = client.get(reverse("retention:model_list"), {"team": org.speech.pk}).content.decode()

    assert "Speech run" in body
    assert "Vision run" not in body
