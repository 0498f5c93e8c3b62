from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Level, Person
from growth.ladder_defaults import seed_ladder
from growth.models import (
    QUARTER_DAYS,
    Competency,
    Experiment,
    GrowthPlan,
    LevelPolicy,
    QuarterlyReview,
    Transition,
)
from growth.stagnation import assess_stagnation
from tests.conftest import make_person

TODAY = date(2026, 6, 1)
SENIOR_DWELL = 1095


@pytest.fixture
def ladder(db) -> None:
    # The migration seeds these; a transactional test elsewhere may have flushed them.
    seed_ladder(LevelPolicy, Transition, Competency)


def senior(days_at_level: int, email: str = "sol@example.com") -> Person:
    return make_person(
        email,
        "Sol Senior",
        level=Level.SENIOR,
        level_since=TODAY - timedelta(days=days_at_level),
    )


def plan_for(person: Person) -> GrowthPlan:
    return GrowthPlan.objects.create(
        engineer=person,
        aspiration="Run a staged rollout",
        gap="Never owned one",
        next_review_due=TODAY,
    )


def done_experiment(plan: GrowthPlan, closed_on: date, status: str = Experiment.Status.DONE):
    return Experiment.objects.create(
        plan=plan,
        hypothesis="A canary catches regressions",
        what_to_try="Canary the ranker",
        success_signal="One regression caught",
        due_date=closed_on,
        status=status,
        closed_on=closed_on,
    )


def review(plan: GrowthPlan, on: date, *, made_progress: bool) -> QuarterlyReview:
    return QuarterlyReview.objects.create(
        plan=plan,
        quarter=f"{on.year}-Q{(on.month - 1) // 3 + 1}",
        due_date=on,
        submitted_at=datetime(on.year, on.month, on.day, 12, tzinfo=UTC),
        submitted_by=plan.engineer,
        what_changed="Ran the canary",
        next_quarter="Monitoring",
        made_progress=made_progress,
        snapshot={},
    )


def test_stagnation_exactly_at_dwell_time_is_not_stagnating(ladder):
    person = senior(SENIOR_DWELL)

    assert assess_stagnation([person], today=TODAY) == {person.pk: None}


def test_stagnation_one_day_over_dwell_time_without_progress_is_stagnating(ladder):
    person = senior(SENIOR_DWELL + 1)
    plan_for(person)

    result = assess_stagnation([person], today=TODAY)[person.pk]

    assert result is not None
    assert result.transition.name == "Senior → Staff"
    assert result.transition.focus == "organizational leverage"
    assert result.days_at_level == SENIOR_DWELL + 1
    assert result.expected_dwell_days == SENIOR_DWELL
    assert result.last_progress is None
    assert result.support == Transition.objects.get(from_level=Level.SENIOR).support
    assert result.evidence == [
        "At Senior for 3 years; expected about 3 years",
        "No experiment completed yet",
        "Last quarterly review with progress: never",
    ]
    assert "two quarters" in result.rule


def test_stagnation_evidence_names_time_at_level_and_last_experiment(ladder):
    person = senior(4 * 365 + 60)
    done_experiment(plan_for(person), closed_on=date(2025, 3, 12))

    result = assess_stagnation([person], today=TODAY)[person.pk]

    assert result.evidence == [
        "At Senior for 4 years 2 months; expected about 3 years",
        "No experiment completed since 12 Mar 2025",
        "Last quarterly review with progress: never",
    ]
    assert result.last_progress == date(2025, 3, 12)


def test_stagnation_experiment_done_two_quarters_ago_counts_as_progress(ladder):
    person = senior(2000)
    done_experiment(plan_for(person), closed_on=TODAY - timedelta(days=2 * QUARTER_DAYS))

    assert assess_stagnation([person], today=TODAY)[person.pk] is None


def test_stagnation_experiment_done_three_quarters_ago_is_too_old(ladder):
    person = senior(2000)
    closed = TODAY - timedelta(days=3 * QUARTER_DAYS)
    done_experiment(plan_for(person), closed_on=closed)

    result = assess_stagnation([person], today=TODAY)[person.pk]

    assert result is not None
    assert result.last_progress == closed


@pytest.mark.parametrize("status", [Experiment.Status.ABANDONED, Experiment.Status.RUNNING])
def test_stagnation_recent_experiment_not_done_is_not_progress(ladder, status):
    person = senior(2000)
    done_experiment(plan_for(person), closed_on=TODAY - timedelta(days=10), status=status)

    assert assess_stagnation([person], today=TODAY)[person.pk] is not None


def test_stagnation_review_with_progress_inside_window_counts(ladder):
    person = senior(2000)
    review(plan_for(person), TODAY - timedelta(days=QUARTER_DAYS), made_progress=True)

    assert assess_stagnation([person], today=TODAY)[person.pk] is None


def test_stagnation_review_with_progress_outside_window_does_not_count(ladder):
    person = senior(2000)
    on = TODAY - timedelta(days=3 * QUARTER_DAYS)
    review(plan_for(person), on, made_progress=True)

    result = assess_stagnation([person], today=TODAY)[person.pk]

    assert result is not None
    assert result.last_progress == on
    assert f"Last quarterly review with progress: {on.day} {on:%b %Y}" in result.evidence


def test_stagnation_review_without_progress_inside_window_does_not_count(ladder):
    person = senior(2000)
    review(plan_for(person), TODAY - timedelta(days=30), made_progress=False)

    assert assess_stagnation([person], today=TODAY)[person.pk] is not None


def test_stagnation_without_a_plan_over_dwell_time_is_stagnating(ladder):
    person = senior(SENIOR_DWELL + 1)

    result = assess_stagnation([person], today=TODAY)[person.pk]

    assert result is not None
    assert "No growth plan yet" in result.evidence


def test_stagnation_without_a_plan_under_dwell_time_is_not_stagnating(ladder):
    person = senior(100)

    assert assess_stagnation([person], today=TODAY)[person.pk] is None


def test_stagnation_staff_is_never_stagnating(ladder):
    person = make_person(
        "st@example.com", "Stef Staff", level=Level.STAFF, level_since=date(2000, 1, 1)
    )

    assert assess_stagnation([person], today=TODAY)[person.pk] is None


def test_stagnation_level_without_dwell_time_is_never_stagnating(ladder):
    LevelPolicy.objects.filter(level=Level.SENIOR).update(expected_dwell_days=None)
    person = senior(5000)

    assert assess_stagnation([person], today=TODAY)[person.pk] is None


def test_stagnation_follows_the_admins_dwell_time(ladder):
    LevelPolicy.objects.filter(level=Level.JUNIOR).update(expected_dwell_days=100)
    person = make_person(
        "jo@example.com", "Jo Junior", level=Level.JUNIOR, level_since=TODAY - timedelta(days=101)
    )

    result = assess_stagnation([person], today=TODAY)[person.pk]

    assert result.transition.name == "Junior → Mid"
    assert result.transition.focus == "experiment design"
    assert result.evidence[0] == "At Junior for 3 months; expected about 3 months"


def test_stagnation_assesses_a_queryset_and_defaults_to_today(ladder):
    stagnating = make_person("a@example.com", "A", level=Level.MID, level_since=date(2000, 1, 1))
    fresh = make_person("b@example.com", "B", level=Level.MID, level_since=timezone.localdate())

    result = assess_stagnation(Person.objects.filter(pk__in=[stagnating.pk, fresh.pk]))

    assert result[fresh.pk] is None
    assert result[stagnating.pk].transition.name == "Mid → Senior"


def _org_of(size: int) -> list[int]:
    """`size` people at every level, half over their dwell time, some with progress."""
    levels = [Level.JUNIOR, Level.MID, Level.SENIOR, Level.STAFF]
    people = Person.objects.bulk_create(
        Person(
            email=f"s{size}-{i}@example.com",
            name=f"Person {i}",
            level=levels[i % 4],
            level_since=TODAY - timedelta(days=2000 if i % 2 else 10),
            password="!",
        )
        for i in range(size)
    )
    plans = GrowthPlan.objects.bulk_create(
        GrowthPlan(engineer=p, aspiration="a", gap="g", next_review_due=TODAY) for p in people[::3]
    )
    for plan in plans[::2]:
        done_experiment(plan, closed_on=TODAY - timedelta(days=20))
        review(plan, TODAY - timedelta(days=400), made_progress=True)
    return [p.pk for p in people]


@pytest.mark.parametrize("size", [5, 200])
def test_stagnation_uses_constant_queries_whatever_the_org_size(
    ladder, django_assert_max_num_queries, size
):
    ids = _org_of(size)
    people = Person.objects.filter(pk__in=ids)

    with django_assert_max_num_queries(4):
        result = assess_stagnation(people, today=TODAY)

    assert set(result) == set(ids)
    assert any(result.values())


def test_stagnation_partial_renders_heading_evidence_support_and_rule(ladder):
    person = senior(SENIOR_DWELL + 1)
    stagnation = assess_stagnation([person], today=TODAY)[person.pk]

    html = render_to_string("growth/_stagnation.html", {"stagnation": stagnation})

    assert "Stagnating at Senior → Staff (organizational leverage)" in html
    assert "<li>No growth plan yet</li>" in html
    assert f"What helps:</strong> {stagnation.support}" in html
    assert "a signal, not a verdict" in html.lower()


def test_stagnation_partial_renders_nothing_without_stagnation():
    assert render_to_string("growth/_stagnation.html", {"stagnation": None}).strip() == ""
