"""Reads several pages share: what a quarterly review looks at, what is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from growth.models import QUARTER_DAYS, REVIEW_DUE_SOON_DAYS, Experiment, GrowthPlan


def reviewable_experiments(plan: GrowthPlan) -> list[Experiment]:
    """Open experiments and those closed within the last quarter: what a review looks at."""
    since = timezone.localdate() - timedelta(days=QUARTER_DAYS)
    open_statuses = [Experiment.Status.PLANNED, Experiment.Status.RUNNING]
    return list(plan.experiments.filter(Q(status__in=open_statuses) | Q(closed_on__gte=since)))


@dataclass
class ReviewAlerts:
    mine: GrowthPlan | None
    reports: list[GrowthPlan]


def reviews_needing_attention(*, manager=None, engineer=None) -> ReviewAlerts:
    """Plans whose review is due soon or overdue: the engineer's own, the manager's reports'.

    One query whichever is asked.
    """
    who = Q()
    if engineer is not None:
        who |= Q(engineer=engineer)
    if manager is not None:
        who |= Q(engineer__manager=manager)
    if not who:
        return ReviewAlerts(mine=None, reports=[])
    horizon = timezone.localdate() + timedelta(days=REVIEW_DUE_SOON_DAYS)
    plans = list(
        GrowthPlan.objects.filter(who, engineer__is_active=True, next_review_due__lte=horizon)
        .select_related("engineer")
        .order_by("next_review_due", "engineer__name")
    )
    mine = next((p for p in plans if engineer is not None and p.engineer_id == engineer.pk), None)
    reports = [p for p in plans if manager is not None and p.engineer.manager_id == manager.pk]
    return ReviewAlerts(mine=mine, reports=reports)
