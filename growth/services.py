"""Writes to growth plans. Each one records its line of history in the same transaction.

Edits are optimistic: a form carries the version it was opened at and the save is
a conditional UPDATE on that version, so a second tab (or a second person) is told
the record changed instead of silently overwriting the first save.
"""

from __future__ import annotations

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Person
from accounts.versioning import StaleVersion, update_if_version
from growth import rules
from growth.history import field_diff, record_change
from growth.models import Experiment, GrowthPlan, PlanComment, SupportCommitment, Transition

PLAN_FIELDS = ["aspiration", "gap", "transition"]
EXPERIMENT_FIELDS = ["hypothesis", "what_to_try", "success_signal", "due_date", "status", "learned"]
COMMITMENT_FIELDS = ["kind", "description", "due_date", "status"]
# The first review of a new plan, and the cadence after it: one quarter.
REVIEW_INTERVAL = relativedelta(months=3)


class LearnedRequired(ValueError):
    """Closing an experiment without saying what was learned; nothing was saved."""


def require_learned(learned: str) -> None:
    # Every way of closing an experiment (the close form, the edit form, a
    # review) asks what it taught; the forms say so, this keeps other callers honest.
    if not learned.strip():
        raise LearnedRequired("Closing an experiment records what was learned.")


def _diff(before, after, fields: list[str]) -> dict:
    diff = field_diff(before, after, fields)
    if before is None:  # a new record: its empty fields are not news
        diff = {label: pair for label, pair in diff.items() if pair[1] not in ("", None)}
    # field_diff shows a foreign key as its id; a transition reads better by name.
    if "transition" in fields:
        old = before.transition if before is not None else None
        new = after.transition
        if (old and old.pk) != (new and new.pk):
            diff["Transition"] = [old.name if old else None, new.name if new else None]
    return diff


def edit_with_history(
    instance,
    *,
    subject: str,
    actor: Person,
    version: int,
    values: dict,
    fields: list[str],
    action: str,
    summary,
    at: datetime | None = None,
):
    """Save `values` if the row is still at `version`, and record what changed.

    `summary` is called with the saved row. Returns the saved row; raises
    StaleVersion (nothing saved) when another save came first.
    """
    model = type(instance)
    before = model.objects.get(pk=instance.pk)
    update_if_version(model, pk=before.pk, version=version, values=values, at=at)
    after = model.objects.get(pk=before.pk)
    diff = _diff(before, after, fields)
    if diff:
        record_change(
            plan=instance.plan,
            actor=actor,
            subject=subject,
            subject_id=after.pk,
            action=action,
            summary=summary(after),
            diff=diff,
            at=at,
        )
    return after


@transaction.atomic
def save_plan(
    *,
    engineer: Person,
    actor: Person,
    version: int,
    aspiration: str,
    gap: str,
    transition: Transition | None,
    at: datetime | None = None,
) -> GrowthPlan:
    """Start the engineer's plan (version 0: none yet) or edit its text and transition."""
    rules.require(rules.can_edit_plan, actor, engineer)
    values = {"aspiration": aspiration, "gap": gap, "transition": transition}
    before = GrowthPlan.objects.select_related("transition").filter(engineer=engineer).first()
    if before is None:
        if version != 0:
            raise StaleVersion
        try:
            with transaction.atomic():
                plan = GrowthPlan.objects.create(
                    engineer=engineer,
                    next_review_due=timezone.localdate(at) + REVIEW_INTERVAL,
                    **values,
                )
        except IntegrityError as exc:  # another tab started the plan a moment ago
            raise StaleVersion from exc
        record_change(
            plan=plan,
            actor=actor,
            subject="plan",
            subject_id=plan.pk,
            action="created",
            summary="Started the growth plan",
            diff=_diff(None, plan, PLAN_FIELDS),
            at=at,
        )
        return plan
    update_if_version(GrowthPlan, pk=before.pk, version=version, values=values, at=at)
    plan = GrowthPlan.objects.select_related("transition").get(pk=before.pk)
    diff = _diff(before, plan, PLAN_FIELDS)
    if diff:
        record_change(
            plan=plan,
            actor=actor,
            subject="plan",
            subject_id=plan.pk,
            action="updated",
            summary="Edited the plan: " + ", ".join(diff).lower(),
            diff=diff,
            at=at,
        )
    return plan


@transaction.atomic
def create_experiment(
    *,
    plan: GrowthPlan,
    actor: Person,
    hypothesis: str,
    what_to_try: str,
    success_signal: str,
    due_date: date,
    at: datetime | None = None,
) -> Experiment:
    """Add an experiment at the end of the plan's list, planned."""
    rules.require(rules.can_edit_plan, actor, plan.engineer)
    last = plan.experiments.aggregate(last=Max("position"))["last"]
    experiment = Experiment.objects.create(
        plan=plan,
        hypothesis=hypothesis,
        what_to_try=what_to_try,
        success_signal=success_signal,
        due_date=due_date,
        position=0 if last is None else last + 1,
    )
    record_change(
        plan=plan,
        actor=actor,
        subject="experiment",
        subject_id=experiment.pk,
        action="created",
        summary=f"Added an experiment: {experiment}",
        diff=_diff(None, experiment, EXPERIMENT_FIELDS),
        at=at,
    )
    return experiment


def _closed_on(before: Experiment, status: str, today: date) -> date | None:
    closing = status in (Experiment.Status.DONE, Experiment.Status.ABANDONED)
    if not closing:
        return None
    return (before.closed_on if before.is_closed else None) or today


@transaction.atomic
def update_experiment(
    *,
    experiment: Experiment,
    actor: Person,
    version: int,
    hypothesis: str,
    what_to_try: str,
    success_signal: str,
    due_date: date,
    status: str,
    learned: str,
    at: datetime | None = None,
) -> Experiment:
    """Edit every field; closing through the edit form stamps closed_on like close does."""
    rules.require(rules.can_edit_plan, actor, experiment.plan.engineer)
    if status in (Experiment.Status.DONE, Experiment.Status.ABANDONED):
        require_learned(learned)
    values = {
        "hypothesis": hypothesis,
        "what_to_try": what_to_try,
        "success_signal": success_signal,
        "due_date": due_date,
        "status": status,
        "learned": learned,
        "closed_on": _closed_on(experiment, status, timezone.localdate(at)),
    }
    return edit_with_history(
        experiment,
        subject="experiment",
        actor=actor,
        version=version,
        values=values,
        fields=EXPERIMENT_FIELDS,
        action="updated",
        summary=lambda after: f"Edited the experiment: {after}",
        at=at,
    )


@transaction.atomic
def close_experiment(
    *,
    experiment: Experiment,
    actor: Person,
    version: int,
    status: str,
    learned: str,
    at: datetime | None = None,
) -> Experiment:
    """Close as done or abandoned, with what was learned; closed_on is today."""
    rules.require(rules.can_close_experiment, actor, experiment.plan.engineer)
    require_learned(learned)
    return edit_with_history(
        experiment,
        subject="experiment",
        actor=actor,
        version=version,
        values={"status": status, "learned": learned, "closed_on": timezone.localdate(at)},
        fields=["status", "learned"],
        action="closed",
        summary=lambda after: (
            f"Closed the experiment as {after.get_status_display().lower()}: {after}"
        ),
        at=at,
    )


@transaction.atomic
def move_experiment(*, experiment: Experiment, actor: Person, direction: str) -> None:
    """Swap the experiment with its neighbour above or below; the ends stay put.

    Positions are renumbered 0..n-1 on the way, so rows that share a position
    (all created at 0, say) still move one step at a time.
    """
    rules.require(rules.can_edit_plan, actor, experiment.plan.engineer)
    siblings = list(Experiment.objects.select_for_update().filter(plan_id=experiment.plan_id))
    index = next(i for i, e in enumerate(siblings) if e.pk == experiment.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    # Reordering is not an edit of the experiment: no version bump, so an edit
    # form open in another tab still saves.
    Experiment.objects.bulk_update(siblings, ["position"])
    record_change(
        plan=experiment.plan,
        actor=actor,
        subject="experiment",
        subject_id=experiment.pk,
        action="reordered",
        summary=f"Moved the experiment {direction}: {experiment}",
        diff={"Position": [index + 1, other + 1]},
    )


@transaction.atomic
def add_support_commitment(
    *,
    plan: GrowthPlan,
    manager: Person,
    kind: str,
    description: str,
    due_date: date,
    status: str = SupportCommitment.Status.OPEN,
    at: datetime | None = None,
) -> SupportCommitment:
    """The manager commits to a condition for growth: a project, feedback or exposure."""
    rules.require(rules.can_commit_support, manager, plan.engineer)
    commitment = SupportCommitment.objects.create(
        plan=plan,
        manager=manager,
        kind=kind,
        description=description,
        due_date=due_date,
        status=status,
    )
    record_change(
        plan=plan,
        actor=manager,
        subject="commitment",
        subject_id=commitment.pk,
        action="created",
        summary=f"Committed to {commitment.get_kind_display().lower()}: {description[:80]}",
        diff=_diff(None, commitment, COMMITMENT_FIELDS),
        at=at,
    )
    return commitment


@transaction.atomic
def update_support_commitment(
    *,
    commitment: SupportCommitment,
    actor: Person,
    version: int,
    kind: str,
    description: str,
    due_date: date,
    status: str,
    at: datetime | None = None,
) -> SupportCommitment:
    rules.require(rules.can_commit_support, actor, commitment.plan.engineer)
    return edit_with_history(
        commitment,
        subject="commitment",
        actor=actor,
        version=version,
        values={"kind": kind, "description": description, "due_date": due_date, "status": status},
        fields=COMMITMENT_FIELDS,
        action="updated",
        summary=lambda after: f"Updated the commitment: {after.description[:80]}",
        at=at,
    )


@transaction.atomic
def add_plan_comment(*, plan: GrowthPlan, author: Person, body: str) -> PlanComment:
    comment = PlanComment.objects.create(plan=plan, author=author, body=body)
    record_change(
        plan=plan,
        actor=author,
        subject="comment",
        subject_id=comment.pk,
        action="created",
        summary=f"Commented: {body[:80]}",
    )
    return comment
