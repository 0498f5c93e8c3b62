from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from accounts.demo import seed_demo_org
from accounts.models import Level, Person
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


def seed() -> int:
    return seed_growth_demo(seed_demo_org().people)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (GrowthPlan, Experiment, SupportCommitment, QuarterlyReview, PlanChange)
    }


def plan_of(email: str) -> GrowthPlan:
    return GrowthPlan.objects.select_related("engineer").get(engineer__email=email)


def test_seed_growth_demo_twice_gives_the_same_growth_data():
    first = seed()
    before = counts()

    second = seed()

    assert counts() == before
    assert before["GrowthPlan"] == 5
    assert (first, second) == (5, 0)


def test_seed_growth_demo_leaves_an_edited_plan_alone():
    seed()
    plan = plan_of("engineer@example.com")
    plan.aspiration = "Edited during a demo"
    plan.save()
    experiment = plan.experiments.get(status="running")
    experiment.hypothesis = "Edited hypothesis"
    experiment.status = Experiment.Status.ABANDONED
    experiment.save()
    plan.experiments.filter(status="planned").delete()
    before = counts()

    assert seed() == 0

    plan.refresh_from_db()
    experiment.refresh_from_db()
    assert plan.aspiration == "Edited during a demo"
    assert (experiment.hypothesis, experiment.status) == ("Edited hypothesis", "abandoned")
    assert not plan.experiments.filter(status="planned").exists()
    assert counts() == before


def test_seed_growth_demo_never_writes_to_people():
    # People are the org seeder's: a demo person edited before the growth demo
    # existed (or whose plan is not there yet) keeps every edit.
    people = seed_demo_org().people
    Person.objects.filter(email="rahul.iyer@example.com").update(
        level=Level.STAFF, level_since=date(2025, 6, 1), name="Rahul I."
    )
    before = list(Person.objects.order_by("pk").values())
    people = {email: Person.objects.get(pk=p.pk) for email, p in people.items()}

    assert seed_growth_demo(people) == 5

    assert list(Person.objects.order_by("pk").values()) == before


def test_seed_growth_demo_without_the_demo_org_does_nothing():
    assert seed_growth_demo({}) == 0
    assert GrowthPlan.objects.count() == 0


def test_seed_growth_demo_plans_are_in_varied_states():
    seed()
    today = timezone.localdate()

    fresh = plan_of("amara.nwosu@example.com")
    assert fresh.experiments.count() == 0

    active = plan_of("engineer@example.com")
    # The first review is due a quarter after the plan started; a quarter back
    # and forth across a short month's end can come out up to three days early.
    assert today + timedelta(days=4) <= active.next_review_due <= today + timedelta(days=7)
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


def test_seed_growth_demo_history_reads_like_real_history():
    seed()
    today = timezone.localdate()
    chen = plan_of("chen.wei@example.com")
    first, second = chen.reviews.order_by("due_date")
    history = list(chen.changes.order_by("at", "pk"))

    # Written by the services, by the people who would have done it, over time.
    assert history[0].summary == "Started the growth plan"
    assert history[0].actor == chen.engineer
    assert timezone.localdate(history[0].at) < today - timedelta(days=7 * 30)
    assert [c.at for c in history] == sorted(c.at for c in history)
    assert {(c.subject, c.action) for c in history} >= {
        ("plan", "created"),
        ("experiment", "created"),
        ("experiment", "updated"),
        ("plan", "updated"),
        ("experiment", "closed"),
        ("review", "submitted"),
    }
    assert [c.summary for c in history if c.subject == "review"] == [
        f"Submitted the {first.period} quarterly review",
        f"Submitted the {second.period} quarterly review",
    ]
    # Each review was submitted on its due date, and scheduled the next one.
    assert timezone.localdate(first.submitted_at) == first.due_date
    assert timezone.localdate(second.submitted_at) == second.due_date
    assert (first.submitted_by, second.submitted_by) == (chen.engineer, chen.engineer.manager)
    assert first.snapshot["review"]["submitted_on"] == first.due_date.isoformat()
    assert chen.next_review_due > second.due_date > first.due_date
    assert first.made_progress and second.made_progress
    # Closing an experiment stamps the day it happened, not the day of seeding.
    closed = chen.experiments.filter(status__in=["done", "abandoned"])
    assert closed.count() == 2
    assert all(first.due_date < e.closed_on < second.due_date for e in closed)


def test_seed_growth_demo_reviews_show_on_the_demo_homes_and_compare(client):
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
    history = client.get(reverse("growth:plan_history", kwargs={"person_id": chen.engineer_id}))

    assertContains(engineer_home, "Your quarterly review is due on")
    assertContains(manager_home, "Sofia Marchetti")
    assertContains(manager_home, "overdue since")
    assertContains(compare, "<del>retrieval</del>")
    assertContains(compare, "<ins>ranking</ins>")
    assertContains(compare, "Running → Done")
    assertContains(compare, "Planned → Abandoned")
    assertContains(history, f"Submitted the {first.period} quarterly review")
