"""Who may write what in 1:1s: named rules that views, services and templates ask.

- The engineer's current manager logs 1:1s and sets the pair's cadence.
- Either member of the pair adds agenda items, action items and notes; each writes
  only their own private note.
- Only the owner of an action item ticks it.
- Only the engineer answers their pulse and gives (or withdraws) consent for a new
  manager to read earlier shared history.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import Person
from one_on_ones.models import ActionItem, Pair


def can_log_one_on_one(user: Person, engineer: Person) -> bool:
    return engineer.manager_id is not None and engineer.manager_id == user.pk


def is_member(user: Person, pair: Pair) -> bool:
    return user.pk in (pair.manager_id, pair.engineer_id)


def is_pair_manager(user: Person, pair: Pair) -> bool:
    return user.pk == pair.manager_id


def is_pair_engineer(user: Person, pair: Pair) -> bool:
    return user.pk == pair.engineer_id


def can_tick(user: Person, item: ActionItem) -> bool:
    return user.pk == item.owner_id


def require(allowed: bool, reason: str) -> None:
    """Raise PermissionDenied (403, with the reason) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(reason)


ONLY_MANAGER = "Only the engineer's manager logs 1:1s and sets their cadence."
ONLY_MEMBERS = "Only the two people in a 1:1 write in it."
ONLY_OWNER = "Only the owner of an action item ticks it."
ONLY_ENGINEER = "Only the engineer answers their pulse and decides who reads their history."
