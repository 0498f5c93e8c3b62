"""Who may see what in notifications.

- Everyone reads, marks and tunes only their own notifications (there is no one
  else's to reach: views fetch through Notification.objects.of(request.user)).
- Admins (people ops) and directors see the job-health page: whether the schedule
  is alive. It names jobs, counts and the reasons something was skipped.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import Person
from accounts.roles import roles_of


def can_see_job_health(user: Person) -> bool:
    roles = roles_of(user)
    return roles.admin or roles.director


def require(allowed: bool, reason: str) -> None:
    """Raise PermissionDenied (403, with the reason) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(reason)


ONLY_ADMINS_AND_DIRECTORS = "Only admins and directors see the health of scheduled jobs."
