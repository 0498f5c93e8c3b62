"""What growth offers the pages that gather several apps (home/).

The only growth module other apps may import (import-linter keeps it so): each
function takes people already fetched and answers in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Person
from growth.models import Experiment, GrowthPlan, Transition
from growth.selectors import ReviewAlerts, reviews_needing_attention
from growth.stagnation import Stagnation, assess_stagnation
from growth.widgets import CoachedTextarea

# The coach's textarea: other apps' forms coach their free text with it.
__all__ = [
    "CoachedTextarea",
    "GrowthPanel",
    "experiments_of",
    "home_panel",
    "next_transition",
    "plan_exists",
    "plan_review_dates",
    "review_dates",
    "review_due_within",
    "reviews_due",
    "stagnation_by_person",
]


def next_transition(person: Person) -> Transition | None:
    """The transition in front of the person, read from the ladder admins edit."""
    return Transition.objects.filter(from_level=person.level).first()


@dataclass(frozen=True)
class GrowthPanel:
    """The home page's growth data for one person."""

    next_transition: Transition | None
    review_alerts: ReviewAlerts
    template: str = "growth/_home_reviews.html"


def home_panel(person: Person, *, is_manager: bool) -> GrowthPanel:
    """Next transition; quarterly reviews due: the person's own and, for a manager, their
    direct reports'."""
    return GrowthPanel(
        next_transition=next_transition(person),
        review_alerts=reviews_needing_attention(
            engineer=person, manager=person if is_manager else None
        ),
    )


def review_due_within(person: Person, days: int) -> GrowthPlan | None:
    """The person's plan if its quarterly review is due within `days` (or overdue)."""
    horizon = timezone.localdate() + timedelta(days=days)
    return GrowthPlan.objects.filter(engineer=person, next_review_due__lte=horizon).first()


def review_dates(person: Person) -> list[GrowthPlan]:
    """The plans whose next quarterly review the person takes part in: their own and, for
    a manager, their active direct reports' (one query; for the calendar feed)."""
    plans = GrowthPlan.objects.filter(
        Q(engineer=person) | Q(engineer__manager=person), engineer__is_active=True
    )
    return list(plans.select_related("engineer").order_by("next_review_due", "engineer__name"))


def stagnation_by_person(people: Sequence[Person]) -> dict[int, Stagnation | None]:
    """Stagnation beside each name a manager sees (a signal for them to act on)."""
    return assess_stagnation(people)


def experiments_of(people: Iterable[Person]) -> list[Experiment]:
    """The growth-plan experiments of these people (a list, or a QuerySet used as a
    subquery), with each plan's engineer: one query, for linking an experiment as
    calibration evidence."""
    return list(
        Experiment.objects.filter(plan__engineer__in=people)
        .select_related("plan__engineer")
        .order_by("plan__engineer__name", "position", "pk")
    )


def reviews_due(*, by: date) -> list[GrowthPlan]:
    """Every plan whose quarterly review is due on or before `by` (overdue ones too), with
    the engineer, their manager and the manager's manager: one query, for the reminder
    job (notifications/reminders.py), which decides who is told what."""
    plans = GrowthPlan.objects.filter(next_review_due__lte=by)
    return list(plans.select_related("engineer__manager__manager").order_by("pk"))


def plan_exists(plan_id: int) -> bool:
    """Whether a growth plan is still there (a reminder email queued before it was deleted)."""
    return GrowthPlan.objects.filter(pk=plan_id).exists()


@dataclass(frozen=True)
class PlanReviewDates:
    """When a person's growth plan began and when it last had a quarterly review."""

    plan_id: int
    created_on: date
    last_review_on: date | None


def plan_review_dates(people: Iterable[Person]) -> dict[int, PlanReviewDates]:
    """Each person's plan dates by person id; people without a plan are absent. One query,
    for the "growth neglected" retention signal."""
    rows = (
        GrowthPlan.objects.filter(engineer__in=people)
        .annotate(last_review=Max("reviews__submitted_at"))
        .values_list("engineer_id", "pk", "created_at", "last_review")
    )
    return {
        engineer_id: PlanReviewDates(
            plan_id=pk,
            created_on=timezone.localdate(created_at),
            last_review_on=timezone.localdate(last) if last else None,
        )
        for engineer_id, pk, created_at, last in rows
    }
