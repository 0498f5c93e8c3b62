from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone

from growth.models import GrowthPlan, PlanChange


def field_diff(before: models.Model | None, after: models.Model, fields: list[str]) -> dict:
    """{verbose field name: [old, new]} for the fields that differ (choices shown as labels)."""
    diff: dict[str, list] = {}
    for name in fields:
        field = after._meta.get_field(name)
        assert isinstance(field, models.Field), f"{name} is a relation's reverse side"
        old = _display(before, field) if before is not None else None
        new = _display(after, field)
        if old != new:
            diff[str(field.verbose_name).capitalize()] = [old, new]
    return diff


def _display(obj: models.Model, field: models.Field):
    value = getattr(obj, field.attname)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def record_change(
    *,
    plan: GrowthPlan,
    actor,
    subject: str,
    subject_id: int | None,
    action: str,
    summary: str,
    diff: dict | None = None,
    at: datetime | None = None,
) -> PlanChange:
    """Append one line to the plan's history. Call inside the write's transaction.

    `at` defaults to now; only the demo seeder writes history in the past.
    """
    return PlanChange.objects.create(
        plan=plan,
        actor=actor,
        subject=subject,
        subject_id=subject_id,
        action=action,
        summary=summary[:300],
        diff=diff or {},
        at=at or timezone.now(),
    )
