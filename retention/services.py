"""Writes in retention. Each asks retention/rules.py, refuses bad input with a
ValidationError that names the field (or GateClosed, naming what the deployment gate
misses), saves nothing when it refuses, and records the model's history in the same
transaction. Views, the API, the demo seeder and the audit command all call these."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Person
from accounts.versioning import StaleVersion, update_if_version
from retention import rules
from retention.models import (
    ApiToken,
    Assignment,
    DeploymentPlan,
    ModelEvent,
    ModelOwner,
    ProblemType,
    Purpose,
    RegisteredModel,
    Status,
)

__all__ = [
    "GateClosed",
    "StaleVersion",
    "approve_deployment_plan",
    "archive_model",
    "create_api_token",
    "hash_token",
    "move_model",
    "record_assignment",
    "register_model",
    "revoke_api_token",
    "save_deployment_plan",
]

Via = ModelEvent.Via
TOKEN_PREFIX = "trl_"


class GateClosed(Exception):
    """The deployment gate refused a production run: nothing changed."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def _today(at: datetime | None) -> date:
    return timezone.localdate(at or timezone.now())


# --- the registry ---------------------------------------------------------------------


@transaction.atomic
def register_model(
    *,
    actor: Person,
    name: str,
    project: str,
    problem_type: ProblemType,
    purpose: str,
    owners: Sequence[Person],
    at: datetime | None = None,
) -> RegisteredModel:
    """A model in the registry, planned, owned by people in the actor's reporting line."""
    if not owners:
        raise ValidationError(
            {"owners": "Name at least one owner: a model owned by nobody is nobody's to deploy."}
        )
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": "Choose research or production."})
    visible = set(
        Person.objects.visible_to(actor)
        .filter(pk__in=[o.pk for o in owners], is_active=True)
        .values_list("pk", flat=True)
    )
    outside = [o for o in owners if o.pk not in visible]
    if outside:
        raise ValidationError(
            {"owners": f"{outside[0]} is not in your reporting line: ask their manager."}
        )
    now = at or timezone.now()
    model = RegisteredModel.objects.create(
        name=name,
        project=project,
        problem_type=problem_type,
        purpose=purpose,
        team_id=owners[0].team_id,
        registered_by=actor,
        created_at=now,
    )
    ModelOwner.objects.bulk_create(ModelOwner(model=model, person=o) for o in dict.fromkeys(owners))
    ModelEvent.objects.create(
        model=model,
        actor=actor,
        kind=ModelEvent.Kind.REGISTERED,
        to_status=Status.PLANNED,
        note=f"{Purpose(purpose).label} run, owned by " + ", ".join(o.name for o in owners),
        at=now,
    )
    return model


def _plan_of(model: RegisteredModel) -> DeploymentPlan | None:
    return DeploymentPlan.objects.filter(model=model).first()


@transaction.atomic
def move_model(
    *,
    model: RegisteredModel,
    actor: Person,
    to: str,
    on: date | None = None,
    via: str = Via.BROWSER,
    at: datetime | None = None,
) -> RegisteredModel:
    """Move a model one step along planned → training → trained → deployed.

    A production run moves to training only through the deployment gate (GateClosed
    with its reasons otherwise). `on` is the day it happened (default: today); it may
    not be in the future nor before the step before it.
    """
    rules.require(rules.can_change_model(actor, model), rules.ONLY_OWNERS)
    before = model.status
    if model.next_status != to:
        current = Status(before).label.lower()
        raise ValidationError(
            {
                "to": f"The model is {current}: it cannot move to {Status(to).label.lower()}."
                if to in Status.values
                else "Choose training, trained or deployed."
            }
        )
    today = _today(at)
    on = on or today
    if on > today:
        raise ValidationError({"on": "That day is in the future."})
    previous = {
        Status.TRAINED: (model.training_started_on, "training started"),
        Status.DEPLOYED: (model.trained_on, "it was trained"),
    }.get(Status(to))
    if previous and previous[0] and on < previous[0]:
        raise ValidationError(
            {
                "on": f"The dates are out of order: {on:%-d %b %Y} is before {previous[1]} "
                f"({previous[0]:%-d %b %Y})."
            }
        )
    if to == Status.TRAINING:
        decision = model.gate(_plan_of(model))
        if not decision.allowed:
            raise GateClosed(decision.reasons)
    day_field = {
        Status.TRAINING: "training_started_on",
        Status.TRAINED: "trained_on",
        Status.DEPLOYED: "deployed_on",
    }[Status(to)]
    # Conditional on the status it was read at: two pipelines reporting the same step
    # at once move it once.
    moved = RegisteredModel.objects.filter(pk=model.pk, status=before).update(
        status=to, **{day_field: on}
    )
    if not moved:
        raise ValidationError({"to": "The model changed meanwhile: reload it and try again."})
    model.status = to
    setattr(model, day_field, on)
    ModelEvent.objects.create(
        model=model,
        actor=actor,
        kind=ModelEvent.Kind.STATUS,
        via=via,
        from_status=before,
        to_status=to,
        note=f"On {on:%-d %b %Y}",
        at=at or timezone.now(),
    )
    return model


@transaction.atomic
def archive_model(
    *,
    model: RegisteredModel,
    actor: Person,
    reason: str,
    via: str = Via.BROWSER,
    at: datetime | None = None,
) -> RegisteredModel:
    """Archive a model, saying why: archived with a reason, it leaves the graveyard."""
    rules.require(rules.can_change_model(actor, model), rules.ONLY_OWNERS)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Say why it is archived: what was learned, or why it will not be deployed."}
        )
    if model.is_archived:
        raise ValidationError({"reason": "The model is already archived."})
    before = model.status
    day = _today(at)
    archived = RegisteredModel.objects.filter(pk=model.pk, status=before).update(
        status=Status.ARCHIVED, archive_reason=reason, archived_on=day
    )
    if not archived:
        raise ValidationError({"reason": "The model changed meanwhile: reload it and try again."})
    model.status, model.archive_reason, model.archived_on = Status.ARCHIVED, reason, day
    ModelEvent.objects.create(
        model=model,
        actor=actor,
        kind=ModelEvent.Kind.ARCHIVED,
        via=via,
        from_status=before,
        to_status=Status.ARCHIVED,
        note=reason,
        at=at or timezone.now(),
    )
    return model


# --- the deployment plan ---------------------------------------------------------------


PLAN_FIELDS = ["target_system", "owner", "success_metric", "target_date", "rollback"]


@transaction.atomic
def save_deployment_plan(
    *,
    model: RegisteredModel,
    actor: Person,
    version: int,
    target_system: str,
    owner: Person,
    success_metric: str,
    target_date: date,
    rollback: str,
    at: datetime | None = None,
) -> DeploymentPlan:
    """Write the model's deployment plan (version 0: there is none yet) or edit it.

    An edit withdraws any approval: the manager approves what the plan says now.
    Raises StaleVersion (nothing saved) when someone saved it since it was opened.
    """
    rules.require(rules.can_change_model(actor, model), rules.ONLY_OWNERS)
    values = {
        "target_system": target_system.strip(),
        "owner": owner,
        "success_metric": success_metric.strip(),
        "target_date": target_date,
        "rollback": rollback.strip(),
    }
    missing = [label for name, label in DeploymentPlan.PARTS.items() if not values[name]]
    if missing:
        raise ValidationError(f"The plan needs a {' and a '.join(missing)}.")
    if not Person.objects.visible_to(actor).filter(pk=owner.pk, is_active=True).exists():
        raise ValidationError({"owner": f"{owner} is not in your reporting line."})
    before = _plan_of(model)
    changed_date = before is None or before.target_date != target_date
    if changed_date and target_date < _today(at):
        raise ValidationError({"target_date": "The target date is in the past."})
    now = at or timezone.now()
    if before is None:
        if version != 0:
            raise StaleVersion
        try:
            with transaction.atomic():
                plan = DeploymentPlan.objects.create(
                    model=model, created_at=now, updated_at=now, **values
                )
        except IntegrityError as exc:  # another tab wrote the plan a moment ago
            raise StaleVersion from exc
        note = "Wrote the deployment plan"
    else:
        values |= {"approved_by": None, "approved_at": None}
        update_if_version(DeploymentPlan, pk=before.pk, version=version, values=values, at=now)
        plan = DeploymentPlan.objects.get(pk=before.pk)
        note = "Edited the deployment plan"
        if before.is_approved:
            note += "; its approval is withdrawn until it is approved again"
    ModelEvent.objects.create(
        model=model, actor=actor, kind=ModelEvent.Kind.PLAN_SAVED, note=note, at=now
    )
    return plan


@transaction.atomic
def approve_deployment_plan(
    *, model: RegisteredModel, actor: Person, version: int, at: datetime | None = None
) -> DeploymentPlan:
    """An owner's manager approves the plan as it stood when they read it (`version`)."""
    rules.require(rules.can_approve_plan(actor, model), rules.ONLY_APPROVER)
    plan = _plan_of(model)
    if plan is None:
        raise ValidationError("There is no deployment plan to approve yet.")
    if plan.is_approved:
        raise ValidationError("The deployment plan is already approved.")
    now = at or timezone.now()
    update_if_version(
        DeploymentPlan,
        pk=plan.pk,
        version=version,
        values={"approved_by": actor, "approved_at": now},
        at=now,
    )
    ModelEvent.objects.create(
        model=model,
        actor=actor,
        kind=ModelEvent.Kind.PLAN_APPROVED,
        note=f"Target: {plan.target_system} by {plan.target_date:%-d %b %Y}",
        at=now,
    )
    return DeploymentPlan.objects.get(pk=plan.pk)


# --- assignments (problem-type history) -----------------------------------------------


@transaction.atomic
def record_assignment(
    *,
    engineer: Person,
    actor: Person,
    problem_type: ProblemType,
    project: str,
    started_on: date,
    ended_on: date | None = None,
    at: datetime | None = None,
) -> Assignment:
    """Add a stretch to the engineer's history. One without an end is what they work on
    now: it ends the current one on the day it starts (a rotation)."""
    rules.require(rules.can_assign(actor, engineer), rules.ONLY_MANAGER_ASSIGNS)
    today = _today(at)
    if started_on > today:
        raise ValidationError({"started_on": "That day is in the future."})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": "The dates are out of order: it ends before it starts."})
    if ended_on is not None and ended_on > today:
        raise ValidationError(
            {"ended_on": "That day is in the future: leave it empty while the assignment goes on."}
        )
    current = Assignment.objects.filter(engineer=engineer, ended_on__isnull=True).first()
    closing = current if ended_on is None else None
    if closing is not None and started_on < closing.started_on:
        raise ValidationError(
            {
                "started_on": f"It starts before the current assignment ({closing.problem_type}, "
                f"since {closing.started_on:%-d %b %Y}): record past work with an end date."
            }
        )
    end = ended_on or date.max
    overlaps = Assignment.objects.filter(engineer=engineer, started_on__lt=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=started_on)
    )
    if closing is not None:
        overlaps = overlaps.exclude(pk=closing.pk)
    clash = overlaps.first()
    if clash is not None:
        raise ValidationError(
            {
                "started_on": f"It overlaps {clash.problem_type} ({clash.project}) from "
                f"{clash.started_on:%-d %b %Y}."
            }
        )
    if closing is not None:
        Assignment.objects.filter(pk=closing.pk).update(ended_on=started_on)
    return Assignment.objects.create(
        engineer=engineer,
        problem_type=problem_type,
        project=project,
        started_on=started_on,
        ended_on=ended_on,
        created_by=actor,
        created_at=at or timezone.now(),
    )


# --- API tokens ----------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(
    *, person: Person, name: str, expires_in_days: int | None, at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `person`: the row (with only its hash) and the token itself,
    which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the token after what uses it."})
    if expires_in_days is not None and expires_in_days < 1:
        raise ValidationError({"expires_in_days": "A token lasts at least a day."})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = at or timezone.now()
    token = ApiToken.objects.create(
        person=person,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        token_hash=hash_token(raw),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor: Person, at: datetime | None = None) -> ApiToken:
    rules.require(rules.can_revoke_token(actor, token), rules.ONLY_TOKEN_OWNER)
    if token.revoked_at is None:
        token.revoked_at = at or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for(raw: str, *, at: datetime | None = None) -> tuple[ApiToken | None, str]:
    """The token a request presents and, if it may not be used, why (empty if it may)."""
    token = (
        ApiToken.objects.select_related("person").filter(token_hash=hash_token(raw)).first()
        if raw.startswith(TOKEN_PREFIX)
        else None
    )
    if token is None:
        return None, "This API token is not valid."
    now = at or timezone.now()
    why = token.why_unusable(now)
    if not why:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token, why
