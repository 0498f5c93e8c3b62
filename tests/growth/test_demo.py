from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from accounts.models import Person
from growth.demo import seed_growth_demo
from growth.models import (
    Experiment,
    GrowthPlan,
    PlanChange,
    QuarterlyReview,
    SupportCommitment,
)
from growth.stagnation import assess_stagnation

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (GrowthPlan, Experiment, SupportCommitment, QuarterlyReview, PlanChange)
    }


def plan_of(email: str) -> GrowthPlan:
    return GrowthPlan.objects.select_related("engineer").get(engineer__email=email)


def test_seed_demo_twice_gives_the_same_growth_data():
    first_output = seed()
    before = counts()

    second_output = seed()

    assert counts() == before
    assert before["GrowthPlan"] == 5
    assert "Demo growth plans: 5 new." in first_output
    assert "Demo growth plans: 0 new." in second_output


def test_seed_growth_demo_leaves_an_edited_plan_alone():
    seed()
    plan = plan_of("engineer@example.com")
    plan.aspiration = "Edited during a demo"
    plan.save()

    assert seed_growth_demo() == {"created": 0}

    plan.refresh_from_db()
    assert plan.aspiration == "Edited during a demo"


def test_seed_growth_demo_without_the_demo_org_does_nothing():
    assert seed_growth_demo() == {"created": 0}
    assert GrowthPlan.objects.count() == 0


def test_seed_demo_plans_are_in_varied_states():
    seed()
    today = timezone.localdate()

    fresh = plan_of("amara.nwosu@example.com")
    assert fresh.experiments.count() == 0

    active = plan_of("engineer@example.com")
    assert active.next_review_due == today + timedelta(days=7)
    assert active.review_state == "due"
    assert set(active.experiments.values_list("status", flat=True)) == {
        "running",
        "done",
        "planned",
    }
    assert active.experiments.get(status="done").learned
    assert active.commitments.filter(manager=active.engineer.manager).exists()

    assert plan_of("sofia.marchetti@example.com").review_state == "overdue"

    reviewed = plan_of("chen.wei@example.com")
    quarters = list(reviewed.reviews.order_by("due_date").values_list("quarter", flat=True))
    assert len(quarters) == 2 and quarters[0] != quarters[1]
    assert reviewed.next_review_due > today

    rahul = plan_of("rahul.iyer@example.com").engineer
    assert rahul.level == "senior"
    assert rahul.level_since < today - timedelta(days=4 * 365)
    assert assess_stagnation([rahul])[rahul.pk] is not None
    assert plan_of("rahul.iyer@example.com").review_state == "scheduled"


def test_seed_demo_reviews_show_on_the_demo_homes_and_compare(client):
    seed()
    manager = Person.objects.get(email="manager@example.com")
    engineer = Person.objects.get(email="engineer@example.com")
    chen = plan_of("chen.wei@example.com")
    first, second = chen.reviews.order_by("due_date")

    client.force_login(engineer)
    engineer_home = client.get(reverse("home"))
    client.force_login(manager)
    manager_home = client.get(reverse("home"))
    compare = client.get(
        reverse("growth:review_compare", kwargs={"person_id": chen.engineer_id}),
        {"a": first.pk, "b": second.pk},
    )

    assertContains(engineer_home, "Your quarterly review is due on")
    assertContains(manager_home, "Sofia Marchetti")
    assertContains(manager_home, "overdue since")
    assertContains(compare, "<del>retrieval</del>")
    assertContains(compare, "<ins>ranking</ins>")
    assertContains(compare, "Running → Done")
