"""Who may write what in retention: named rules asked by views, services, the API and
templates. Reading is scoped elsewhere (`visible_to(user)`, 404 outside the line).

- Anyone registers a model for owners in their own reporting line (themselves or below).
- A model's owners and their direct managers move it through its statuses, archive it
  and write its deployment plan; directors further up see it but do not act on it.
- An owner's direct manager (not an owner themselves) approves its deployment plan.
- Only an engineer's direct manager records their assignments (problem-type history).
- Directors (someone with managers below them) run the graveyard audit now.
- People create and revoke their own API tokens only.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from accounts.models import Person
from accounts.roles import roles_of
from retention.models import ApiToken, RegisteredModel


def _owners_and_managers(model: RegisteredModel) -> tuple[set[int], set[int]]:
    # `owners` is usually prefetched by the view; .all() then costs no query.
    owners = list(model.owners.all())
    return {o.pk for o in owners}, {o.manager_id for o in owners if o.manager_id}


def can_change_model(user: Person, model: RegisteredModel) -> bool:
    """Status moves, archiving, the deployment plan: an owner or an owner's manager."""
    owners, managers = _owners_and_managers(model)
    return user.pk in owners or user.pk in managers


def can_change_owned_by(user: Person, owners: Iterable[tuple[int, int | None]]) -> bool:
    """`can_change_model` for a list page that read the owners as (id, manager id)
    pairs instead of fetching each model's owners."""
    return any(user.pk in pair for pair in owners)


def can_approve_plan(user: Person, model: RegisteredModel) -> bool:
    owners, managers = _owners_and_managers(model)
    return user.pk in managers and user.pk not in owners


def can_assign(user: Person, engineer: Person) -> bool:
    return engineer.manager_id is not None and engineer.manager_id == user.pk


def can_run_audit(user: Person) -> bool:
    return roles_of(user).director


def can_revoke_token(user: Person, token: ApiToken) -> bool:
    return token.person_id == user.pk


def require(allowed: bool, reason: str) -> None:
    if not allowed:
        raise PermissionDenied(reason)


ONLY_OWNERS = "Only the model's owners and their managers change it."
ONLY_APPROVER = "Only an owner's manager approves the deployment plan (not an owner)."
ONLY_MANAGER_ASSIGNS = "Only the engineer's manager records their assignments."
ONLY_DIRECTORS_AUDIT = "Only a director (someone with managers reporting to them) runs the audit."
ONLY_TOKEN_OWNER = "Only the person a token belongs to revokes it."
