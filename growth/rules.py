"""Who may write what in growth: named rules that views, services and templates all ask.

Reading is scoped elsewhere (`<Model>.objects.visible_to(user)`: the person and
their reporting subtree). These rules answer the next question, for someone who
can already see the plan: may they change this part of it? DOMAIN.md §2:

- the engineer owns the plan: only they edit its text and experiments, and
  only they close an experiment (a manager's review records their view of its
  progress, never its status);
- the manager creates the conditions: only the direct manager records support
  commitments (never the director, never an admin);
- the quarterly review is the pair's: the engineer or their direct manager submits it;
- anyone who can see the plan may comment on it.

A view asks `require(rule, ...)`, which raises PermissionDenied (403) with the
rule's reason; a service asks the same rule so no other caller can skip it; a
template reads `PlanRights` so it offers only the controls that will work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from accounts.models import Person


def is_owner(user: Person, engineer: Person) -> bool:
    return user.pk == engineer.pk


def is_direct_manager(user: Person, engineer: Person) -> bool:
    return engineer.manager_id is not None and engineer.manager_id == user.pk


def can_edit_plan(user: Person, engineer: Person) -> bool:
    """The plan's text and its experiments: the engineer alone."""
    return is_owner(user, engineer)


def can_close_experiment(user: Person, engineer: Person) -> bool:
    """Closing an experiment (done or abandoned, with what was learned): the engineer alone.

    Asked on the plan and by the quarterly review, which either of the pair submits.
    """
    return can_edit_plan(user, engineer)


def can_commit_support(user: Person, engineer: Person) -> bool:
    """Support commitments: the engineer's direct manager alone."""
    return is_direct_manager(user, engineer)


def can_submit_review(user: Person, engineer: Person) -> bool:
    """The quarterly review: the engineer or their direct manager."""
    return is_owner(user, engineer) or is_direct_manager(user, engineer)


REASONS: dict[Callable[[Person, Person], bool], str] = {
    can_edit_plan: "Only the engineer edits their growth plan.",
    can_close_experiment: "Only the engineer closes their experiments.",
    can_commit_support: "Only the engineer's manager records support commitments.",
    can_submit_review: "Only the engineer and their manager submit the quarterly review.",
}


def require(rule: Callable[[Person, Person], bool], user: Person, engineer: Person) -> None:
    """Raise PermissionDenied, with the rule's reason, unless `rule(user, engineer)`."""
    if not rule(user, engineer):
        raise PermissionDenied(REASONS[rule])


@dataclass(frozen=True)
class PlanRights:
    """What the viewer may do on one engineer's plan, for templates."""

    edit_plan: bool
    commit_support: bool
    submit_review: bool

    @classmethod
    def of(cls, user: Person, engineer: Person) -> PlanRights:
        return cls(
            edit_plan=can_edit_plan(user, engineer),
            commit_support=can_commit_support(user, engineer),
            submit_review=can_submit_review(user, engineer),
        )
