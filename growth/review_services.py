"""Submitting a quarterly review: the quarter's progress, closed experiments, a snapshot.

Either of the pair submits the review; only the engineer closes experiments in
it (rules.can_close_experiment), always saying what was learned. A manager's
"completed" or "abandoned" is their view of the experiment's progress: kept in
the snapshot, never written to the experiment.

Kept apart from growth/services.py (plans and experiments) because reviews read
the whole plan at once and never edit its text. Comparing snapshots is in
growth/plan_diff.py; the reads pages share (what is due) in growth/selectors.py.
"""

from __future__ import annotations

import copy
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from growth import rules
from growth.history import record_change
from growth.models import Experiment, GrowthPlan, QuarterlyReview, quarter_label
from growth.quarters import Quarter
from growth.services import REVIEW_INTERVAL, edit_with_history, require_learned

SNAPSHOT_VERSION = 1

NO_PROGRESS = "none"
PROGRESSING = "progressing"
COMPLETED = "completed"
ABANDONED = "abandoned"
# The engineer's choices: completed or abandoned closes the experiment.
PROGRESS_CHOICES = [
    (NO_PROGRESS, "No progress"),
    (PROGRESSING, "Progressing"),
    (COMPLETED, "Completed"),
    (ABANDONED, "Abandoned"),
]
# The manager's: the same values, worded as what they are, a view of progress.
VIEW_OF_PROGRESS_CHOICES = [
    (NO_PROGRESS, "No progress"),
    (PROGRESSING, "Progressing"),
    (COMPLETED, "Looks completed"),
    (ABANDONED, "Looks abandoned"),
]
CLOSING_STATUS = {COMPLETED: Experiment.Status.DONE, ABANDONED: Experiment.Status.ABANDONED}


def progress_choices(*, can_close: bool) -> list[tuple[str, str]]:
    """The progress choices a reviewer is offered (and the snapshot's labels)."""
    return PROGRESS_CHOICES if can_close else VIEW_OF_PROGRESS_CHOICES


def closing_status(experiment: Experiment, choice: str) -> str | None:
    """The status `choice` closes `experiment` to, or None if it closes nothing new."""
    status = CLOSING_STATUS.get(choice)
    return status if status and experiment.status != status else None


class ReviewAlreadySubmitted(Exception):
    """The plan already has a review for this quarter (nothing was saved)."""

    def __init__(self, quarter: str) -> None:
        super().__init__(quarter)
        self.quarter = quarter


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def build_plan_snapshot(
    plan: GrowthPlan,
    *,
    experiments: list[Experiment] | None = None,
    progress: dict[int, tuple[str, str]] | None = None,
    progress_labels: list[tuple[str, str]] = PROGRESS_CHOICES,
) -> dict:
    """The whole plan as plain JSON (also used for "current plan" in comparisons)."""
    if experiments is None:
        experiments = list(plan.experiments.all())
    progress = progress or {}
    labels = dict(progress_labels)
    transition = plan.transition
    return {
        "version": SNAPSHOT_VERSION,
        "engineer": {"id": plan.engineer_id, "name": plan.engineer.name},
        "transition": (
            {"id": transition.pk, "name": transition.name, "focus": transition.focus}
            if transition
            else None
        ),
        "aspiration": plan.aspiration,
        "gap": plan.gap,
        "next_review_due": _iso(plan.next_review_due),
        "experiments": [
            {
                "id": e.pk,
                "position": e.position,
                "hypothesis": e.hypothesis,
                "what_to_try": e.what_to_try,
                "success_signal": e.success_signal,
                "due_date": _iso(e.due_date),
                "status": e.status,
                "status_label": e.get_status_display(),
                "learned": e.learned,
                "closed_on": _iso(e.closed_on),
                "progress": (
                    {
                        "value": progress[e.pk][0],
                        "label": labels[progress[e.pk][0]],
                        "note": progress[e.pk][1],
                    }
                    if e.pk in progress
                    else None
                ),
            }
            for e in experiments
        ],
        "commitments": [
            {
                "id": c.pk,
                "kind": c.kind,
                "kind_label": c.get_kind_display(),
                "description": c.description,
                "due_date": _iso(c.due_date),
                "status": c.status,
                "status_label": c.get_status_display(),
                "manager": c.manager.name,
            }
            for c in plan.commitments.select_related("manager")
        ],
    }


def snapshot_for_display(snapshot: dict) -> dict:
    """A copy of a snapshot with its ISO dates as dates, for templates to format."""
    shown = copy.deepcopy(snapshot)
    for item in shown.get("experiments", []) + shown.get("commitments", []):
        for key in ("due_date", "closed_on"):
            if item.get(key):
                item[key] = date.fromisoformat(item[key])
    return shown


def review_snapshot(
    plan: GrowthPlan,
    *,
    experiments: list[Experiment] | None,
    progress: dict[int, tuple[str, str]],
    due: date,
    submitted_by,
    submitted_on: date,
    texts: dict[str, str],
    progress_labels: list[tuple[str, str]] = PROGRESS_CHOICES,
) -> dict:
    """The plan's snapshot plus the review itself, as stored on QuarterlyReview."""
    snapshot = build_plan_snapshot(
        plan, experiments=experiments, progress=progress, progress_labels=progress_labels
    )
    snapshot["review"] = {
        "quarter": quarter_label(due),
        "due_date": _iso(due),
        "submitted_by": submitted_by.name,
        "submitted_on": _iso(submitted_on),
        "what_changed": texts["what_changed"],
        "next_quarter": texts["next_quarter"],
        "manager_note": texts.get("manager_note", ""),
        "made_progress": shows_progress(progress),
    }
    return snapshot


def shows_progress(progress: dict[int, tuple[str, str]]) -> bool:
    """A quarter made progress when any experiment is progressing or completed."""
    return any(choice in (PROGRESSING, COMPLETED) for choice, _ in progress.values())


@transaction.atomic
def submit_quarterly_review(
    *,
    plan: GrowthPlan,
    submitted_by,
    what_changed: str,
    next_quarter: str,
    manager_note: str,
    progress: dict[int, tuple[str, str]],
    at: datetime | None = None,
) -> QuarterlyReview:
    """Record the quarter's review, close finished experiments, snapshot the plan.

    Submitted by the engineer, "completed" or "abandoned" closes the experiment
    and its note becomes what was learned (services.LearnedRequired, nothing
    saved, when a note is empty). Submitted by the manager, those choices are their view of
    the experiment's progress, kept in the snapshot; the experiment is untouched.

    The review covers the quarter of the plan's due date; the next review is
    due one quarter after the later of today and that date. Raises
    ReviewAlreadySubmitted (and saves nothing) if that quarter is reviewed.
    `at` (default: now) is when it is submitted; the demo seeder passes past moments.
    """
    rules.require(rules.can_submit_review, submitted_by, plan.engineer)
    at = at or timezone.now()
    today = timezone.localdate(at)
    due = plan.next_review_due
    quarter = quarter_label(due)
    # Checked first for a clear answer; the unique constraint below still
    # decides when two submissions race.
    if QuarterlyReview.objects.filter(plan=plan, quarter=quarter).exists():
        raise ReviewAlreadySubmitted(quarter)

    experiments = list(plan.experiments.select_for_update())
    # Only this plan's experiments count, whatever the caller passed.
    ids = {e.pk for e in experiments}
    progress = {pk: entry for pk, entry in progress.items() if pk in ids}
    can_close = rules.can_close_experiment(submitted_by, plan.engineer)
    # Checked for every experiment before anything is written.
    closing: dict[int, tuple[str, str]] = {}
    if can_close:
        for experiment in experiments:
            choice, note = progress.get(experiment.pk, (NO_PROGRESS, ""))
            status = closing_status(experiment, choice)
            if status:
                require_learned(note)
                closing[experiment.pk] = (status, note)
    for i, experiment in enumerate(experiments):
        if experiment.pk in closing:
            status, learned = closing[experiment.pk]
            # The version bump tells an edit open in another tab that it changed.
            experiments[i] = edit_with_history(
                experiment,
                subject="experiment",
                actor=submitted_by,
                version=experiment.version,
                values={"status": status, "learned": learned, "closed_on": today},
                fields=["status", "learned", "closed_on"],
                action="closed",
                summary=lambda after: (
                    f"Closed “{after.hypothesis[:80]}” as {after.get_status_display().lower()}"
                    f" in the {Quarter.parse(quarter)} review"
                ),
                at=at,
            )

    made_progress = shows_progress(progress)
    snapshot = review_snapshot(
        plan,
        experiments=experiments,
        progress=progress,
        due=due,
        submitted_by=submitted_by,
        submitted_on=today,
        texts={
            "what_changed": what_changed,
            "next_quarter": next_quarter,
            "manager_note": manager_note,
        },
        progress_labels=progress_choices(can_close=can_close),
    )
    try:
        # A savepoint, so a lost race leaves the outer transaction usable.
        with transaction.atomic():
            review = QuarterlyReview.objects.create(
                plan=plan,
                quarter=quarter,
                due_date=due,
                submitted_at=at,
                submitted_by=submitted_by,
                what_changed=what_changed,
                next_quarter=next_quarter,
                manager_note=manager_note,
                made_progress=made_progress,
                snapshot=snapshot,
            )
    except IntegrityError:
        raise ReviewAlreadySubmitted(quarter) from None

    next_due = max(today, due) + REVIEW_INTERVAL
    GrowthPlan.objects.filter(pk=plan.pk).update(next_review_due=next_due)
    plan.next_review_due = next_due
    record_change(
        plan=plan,
        actor=submitted_by,
        subject="review",
        subject_id=review.pk,
        action="submitted",
        summary=f"Submitted the {Quarter.parse(quarter)} quarterly review",
        diff={"Next review due": [_iso(due), _iso(next_due)]},
        at=at,
    )
    return review
