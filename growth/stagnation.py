"""Stagnation: a signal, not a verdict (DOMAIN.md §1).

An engineer is stagnating at their transition when they have been at their
level longer than the org's expected dwell time for it AND their growth plan
shows no progress in the last two quarters: no experiment done, no quarterly
review that recorded progress. The retention work reuses this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import DateField, DateTimeField, Max, OuterRef, Subquery
from django.utils import timezone

from accounts.models import duration
from growth.models import (
    QUARTER_DAYS,
    Experiment,
    GrowthPlan,
    LevelPolicy,
    QuarterlyReview,
    Transition,
)

PROGRESS_WINDOW_DAYS = 2 * QUARTER_DAYS

RULE = (
    "Stagnating means longer at a level than the expected dwell time for it, with no "
    f"experiment done and no quarterly review showing progress in the last two quarters "
    f"({PROGRESS_WINDOW_DAYS} days)."
)


@dataclass
class Stagnation:
    transition: Transition
    days_at_level: int
    expected_dwell_days: int
    last_progress: date | None
    evidence: list[str] = field(default_factory=list)
    support: str = ""
    rule: str = RULE


def assess_stagnation(
    people: Iterable, *, today: date | None = None
) -> dict[int, Stagnation | None]:
    """For each person (pk), their Stagnation or None, in a constant number of queries.

    Reads LevelPolicy and Transition once and every plan's latest progress in one
    query over all the people, so a whole org costs the same as one engineer.
    """
    today = today or timezone.localdate()
    people = list(people)
    if not people:
        return {}
    dwell = dict(LevelPolicy.objects.values_list("level", "expected_dwell_days"))
    transitions = {t.from_level: t for t in Transition.objects.all()}
    progress = _latest_progress([p.pk for p in people])
    window_start = today - timedelta(days=PROGRESS_WINDOW_DAYS)
    result: dict[int, Stagnation | None] = {}
    for person in people:
        transition = transitions.get(person.level)
        expected = dwell.get(person.level)
        days = (today - person.level_since).days
        # Exactly at the dwell time is still "expected"; only beyond it counts.
        if transition is None or expected is None or days <= expected:
            result[person.pk] = None
            continue
        has_plan, last_experiment, last_review = progress.get(person.pk, (False, None, None))
        dates = [d for d in (last_experiment, last_review) if d is not None]
        last_progress = max(dates) if dates else None
        if last_progress is not None and last_progress >= window_start:
            result[person.pk] = None
            continue
        result[person.pk] = Stagnation(
            transition=transition,
            days_at_level=days,
            expected_dwell_days=expected,
            last_progress=last_progress,
            evidence=_evidence(person, days, expected, has_plan, last_experiment, last_review),
            support=transition.support,
        )
    return result


def _latest_progress(person_ids: list[int]) -> dict[int, tuple[bool, date | None, date | None]]:
    """engineer id → (has a plan, last experiment done on, last review with progress on)."""
    done = (
        Experiment.objects.filter(plan=OuterRef("pk"), status=Experiment.Status.DONE)
        .values("plan")
        .annotate(last=Max("closed_on"))
        .values("last")
    )
    progressed = (
        QuarterlyReview.objects.filter(plan=OuterRef("pk"), made_progress=True)
        .values("plan")
        .annotate(last=Max("submitted_at"))
        .values("last")
    )
    rows = (
        GrowthPlan.objects.filter(engineer_id__in=person_ids)
        .annotate(
            last_experiment=Subquery(done, output_field=DateField()),
            last_review=Subquery(progressed, output_field=DateTimeField()),
        )
        .values_list("engineer_id", "last_experiment", "last_review")
    )
    return {
        engineer_id: (
            True,
            last_experiment,
            timezone.localdate(last_review) if last_review else None,
        )
        for engineer_id, last_experiment, last_review in rows
    }


def _evidence(
    person,
    days: int,
    expected: int,
    has_plan: bool,
    last_experiment: date | None,
    last_review: date | None,
) -> list[str]:
    evidence = [
        f"At {person.get_level_display()} for {duration(days)}; expected about {duration(expected)}"
    ]
    if not has_plan:
        evidence.append("No growth plan yet")
    if last_experiment:
        evidence.append(f"No experiment completed since {format_day(last_experiment)}")
    else:
        evidence.append("No experiment completed yet")
    review = format_day(last_review) if last_review else "never"
    evidence.append(f"Last quarterly review with progress: {review}")
    return evidence


def format_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"
