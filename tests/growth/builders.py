"""Objects the growth permission-matrix cases point at."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from growth.models import GrowthPlan


def engineer_plan(org: SimpleNamespace) -> GrowthPlan:
    """org.engineer's growth plan (created once), its review due within two weeks."""
    plan, _ = GrowthPlan.objects.get_or_create(
        engineer=org.engineer,
        defaults={
            "aspiration": "Design an ablation that isolates one variable",
            "gap": "I change several things per run",
            "next_review_due": timezone.localdate() + timedelta(days=10),
        },
    )
    org.plan = plan
    return plan


def the_plan(org: SimpleNamespace) -> dict:
    engineer_plan(org)
    return {"person_id": org.engineer.pk}
