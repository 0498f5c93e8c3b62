"""The Django admin and the reporting line (DOMAIN.md, "Who uses it").

Admins are people-ops staff for the org's setup: the admin site edits the
ladder (levels, transitions, competencies) and shows no growth content, not
even to a superuser. A person is deactivated, never deleted, so their plan and
its history cannot go with them by accident.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db.models import Model, ProtectedError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Person
from growth import services
from growth.ladder_defaults import seed_ladder
from growth.models import (
    Competency,
    Experiment,
    GrowthPlan,
    LevelPolicy,
    PlanChange,
    PlanComment,
    QuarterlyReview,
    SupportCommitment,
    Transition,
)
from growth.review_services import PROGRESSING, submit_quarterly_review

GROWTH_CONTENT = [
    GrowthPlan,
    Experiment,
    QuarterlyReview,
    SupportCommitment,
    PlanComment,
    PlanChange,
]
LADDER = [LevelPolicy, Transition, Competency]


@pytest.fixture
def ladder(db) -> None:
    # The migration seeds these; a transactional test elsewhere may have flushed them.
    seed_ladder(LevelPolicy, Transition, Competency)


@pytest.fixture
def content(org, ladder) -> dict[type, object]:
    """One of each growth content row for org.engineer, written by the services."""
    due = timezone.localdate() + timedelta(days=20)
    plan = services.save_plan(
        engineer=org.engineer,
        actor=org.engineer,
        version=0,
        aspiration="Design an ablation that isolates one variable",
        gap="I change several things per run",
        transition=None,
    )
    experiment = services.create_experiment(
        plan=plan,
        actor=org.engineer,
        hypothesis="Seeds matter",
        what_to_try="Three seeds per run",
        success_signal="Variance reported",
        due_date=due,
    )
    commitment = services.add_support_commitment(
        plan=plan, manager=org.manager, kind="feedback", description="Weekly review", due_date=due
    )
    comment = services.add_plan_comment(plan=plan, author=org.manager, body="Which baseline?")
    review = submit_quarterly_review(
        plan=plan,
        submitted_by=org.manager,
        what_changed="Ran one ablation",
        next_quarter="Seeds next",
        manager_note="Private view of Eli's career",
        progress={experiment.pk: (PROGRESSING, "")},
    )
    return {
        GrowthPlan: plan,
        Experiment: experiment,
        QuarterlyReview: review,
        SupportCommitment: commitment,
        PlanComment: comment,
        PlanChange: PlanChange.objects.filter(plan=plan).first(),
    }


def admin_url(model: type[Model], view: str = "", pk: int | None = None) -> str:
    # Spelled out: reverse() knows no admin URL for a model that is not registered.
    middle = f"{pk}/" if pk is not None else ""
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{middle}{view}"


@pytest.mark.parametrize("model", GROWTH_CONTENT, ids=lambda m: m.__name__)
def test_growth_content_is_not_registered_in_the_admin(model):
    assert not admin.site.is_registered(model)


@pytest.mark.parametrize("model", GROWTH_CONTENT, ids=lambda m: m.__name__)
@pytest.mark.parametrize("view", ["", "add/", "change/", "delete/", "history/"])
def test_admin_has_no_page_for_growth_content_even_for_a_superuser(
    client, org, content, model, view
):
    assert org.admin.is_superuser
    client.force_login(org.admin)
    pk = None if view in ("", "add/") else content[model].pk

    response = client.get(admin_url(model, view, pk))

    assert response.status_code == 404


@pytest.mark.parametrize("model", GROWTH_CONTENT, ids=lambda m: m.__name__)
def test_admin_cannot_delete_growth_content(client, org, content, model):
    client.force_login(org.admin)
    row = content[model]

    response = client.post(admin_url(model, "delete/", row.pk), {"post": "yes"})

    assert response.status_code == 404
    assert model.objects.filter(pk=row.pk).exists()


def test_admin_index_lists_the_ladder_and_no_growth_content(client, org, content):
    client.force_login(org.admin)

    body = client.get(reverse("admin:index")).content.decode()

    for model in LADDER:
        assert f'href="{admin_url(model)}"' in body
    for model in GROWTH_CONTENT:
        assert admin_url(model) not in body
    for name in ("Growth plans", "Experiments", "Quarterly reviews", "Plan changes"):
        assert name not in body
    assert "Private view of Eli" not in body


@pytest.mark.parametrize("model", LADDER, ids=lambda m: m.__name__)
def test_admin_keeps_the_ladder_editable(client, org, ladder, model):
    client.force_login(org.admin)
    row = model.objects.first()
    name = model._meta.model_name

    changelist = client.get(reverse(f"admin:growth_{name}_changelist"))
    add = client.get(reverse(f"admin:growth_{name}_add"))
    change = client.get(reverse(f"admin:growth_{name}_change", args=[row.pk]))

    assert (changelist.status_code, add.status_code, change.status_code) == (200, 200, 200)
    assert 'name="_save"' in change.content.decode()


def test_admin_edits_a_competency(client, org, ladder):
    client.force_login(org.admin)
    competency = Competency.objects.first()
    url = reverse("admin:growth_competency_change", args=[competency.pk])

    response = client.post(
        url,
        {
            "transition": competency.transition_id,
            "name": "Designs a clean ablation",
            "behaviours": "Changes one variable\nReports variance",
            "order": competency.order,
        },
    )

    assert response.status_code == 302
    competency.refresh_from_db()
    assert competency.name == "Designs a clean ablation"


# --- a person in the admin: deactivated, never deleted ----------------------------------


def _plan_and_history_survive(org) -> None:
    assert Person.objects.filter(pk=org.engineer.pk).exists()
    plan = GrowthPlan.objects.get(engineer=org.engineer)
    assert plan.changes.count() == 5
    assert plan.reviews.count() == 1


def test_admin_person_delete_page_explains_deactivation_instead(client, org, content):
    client.force_login(org.admin)
    url = reverse("admin:accounts_person_delete", args=[org.engineer.pk])

    get = client.get(url, follow=True)
    post = client.post(url, {"post": "yes"}, follow=True)

    for response in (get, post):
        assert response.status_code == 200
        assert response.redirect_chain == [
            (reverse("admin:accounts_person_change", args=[org.engineer.pk]), 302)
        ]
        assert "People are deactivated, not deleted" in response.content.decode()
    _plan_and_history_survive(org)


def test_admin_person_list_offers_no_bulk_delete(client, org, content):
    client.force_login(org.admin)
    url = reverse("admin:accounts_person_changelist")

    page = client.get(url)
    client.post(url, {"action": "delete_selected", "_selected_action": [org.engineer.pk]})

    assert "delete_selected" not in page.content.decode()
    _plan_and_history_survive(org)


def test_deleting_a_person_with_a_plan_is_refused_by_the_database(org):
    # Removing a departed person's data is a deliberate, audited flow (still to
    # build), never a cascade from a stray delete. The plan here has history
    # written by the manager only, so nothing but the plan itself protects it.
    plan = GrowthPlan.objects.create(
        engineer=org.engineer,
        aspiration="Design an ablation that isolates one variable",
        gap="I change several things per run",
        next_review_due=timezone.localdate() + timedelta(days=20),
    )
    services.add_plan_comment(plan=plan, author=org.manager, body="Which baseline?")

    with pytest.raises(ProtectedError):
        Person.objects.get(pk=org.engineer.pk).delete()

    assert GrowthPlan.objects.filter(pk=plan.pk).exists()
    assert list(plan.changes.values_list("summary", flat=True)) == ["Commented: Which baseline?"]


def test_deleting_a_person_without_a_plan_still_works(org):
    org.outsider.delete()

    assert not Person.objects.filter(pk=org.outsider.pk).exists()
