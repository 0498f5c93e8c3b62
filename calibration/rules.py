"""Who may do what in calibration: named rules asked by views, services and templates.

- A director opens a cycle over their own subtree, moves it forward, changes
  ratings in the session (with a reason) and publishes.
- The engineer's manager in the cycle drafts their ratings, locks the draft, and
  after locking changes a rating only with a reason.
- While a manager has an unlocked draft in a drafting cycle, work items' results
  are hidden from them on every page (outcome-blind drafting).
- Anyone adds work items for people in their scope; each engineer confirms or
  corrects their own contribution.
- After publishing, an engineer reads their own final ratings; their managers up
  the line read their reports'. Nobody reads drafts but their author and the director.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import Person
from accounts.roles import roles_of
from calibration.models import CalibrationCycle, Contribution, CycleMember


def results_hidden_from(user: Person) -> bool:
    """True while `user` has an unlocked draft in a cycle that is drafting."""
    if not getattr(user, "is_authenticated", False):
        return True
    return CycleMember.objects.filter(
        manager=user, locked_at__isnull=True, cycle__state=CalibrationCycle.State.DRAFTING
    ).exists()


def can_run_cycle(user: Person, cycle: CalibrationCycle) -> bool:
    return user.pk == cycle.director_id


def can_draft(user: Person, member: CycleMember) -> bool:
    return user.pk == member.manager_id and member.cycle.state == CalibrationCycle.State.DRAFTING


def can_open_cycle(user: Person) -> bool:
    """A director (someone with managers below them) opens cycles over their subtree."""
    return roles_of(user).director


def can_read_draft(user: Person, member: CycleMember) -> bool:
    return user.pk in (member.manager_id, member.cycle.director_id)


def can_export(user: Person, cycle: CalibrationCycle) -> bool:
    """The director exports at any time (drafts too); the rest of the line once published."""
    return can_run_cycle(user, cycle) or cycle.state == CalibrationCycle.State.PUBLISHED


def can_hold_session(user: Person, cycle: CalibrationCycle) -> bool:
    """The director holds the session once drafting is over; after publishing it is read-only."""
    return can_run_cycle(user, cycle) and cycle.state != CalibrationCycle.State.DRAFTING


def can_change_in_session(user: Person, cycle: CalibrationCycle) -> bool:
    return can_run_cycle(user, cycle) and cycle.state == CalibrationCycle.State.CALIBRATING


def can_confirm(user: Person, contribution: Contribution) -> bool:
    return user.pk == contribution.person_id


def require(allowed: bool, reason: str) -> None:
    if not allowed:
        raise PermissionDenied(reason)


ONLY_DIRECTOR = "Only the director who opened the cycle runs it."
ONLY_MANAGER = "Only the engineer's manager in this cycle drafts their ratings, while it drafts."
ONLY_DIRECTORS_OPEN = "Only a director (someone with managers reporting to them) opens a cycle."
ONLY_DRAFT_READERS = "Drafts are read only by the manager who wrote them and the cycle's director."
EXPORT_AFTER_PUBLISH = (
    "Ratings are exported once the cycle is published; until then they are drafts."
)
SESSION_NOT_OPEN = "The session opens when the cycle moves to calibrating: managers still draft."
SESSION_CLOSED = "The cycle is published: its final ratings no longer change."
ONLY_CONTRIBUTOR = "Only the contributor confirms or corrects their own contribution."
