from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from accounts.models import Person


@dataclass(frozen=True)
class Roles:
    engineer: bool = False
    manager: bool = False
    director: bool = False
    admin: bool = False


def roles_for(request: HttpRequest) -> Roles:
    """The signed-in person's roles, read once per request in one query."""
    cached = getattr(request, "_trellis_roles", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        result = Roles()
    else:
        reports = Person.objects.filter(manager=OuterRef("pk"), is_active=True)
        managers_below = reports.filter(
            Exists(Person.objects.filter(manager=OuterRef("pk"), is_active=True))
        )
        row = (
            Person.objects.filter(pk=user.pk)
            .annotate(has_reports=Exists(reports), has_managers=Exists(managers_below))
            .values("has_reports", "has_managers")
            .first()
        ) or {"has_reports": False, "has_managers": False}
        result = Roles(
            engineer=True,
            manager=row["has_reports"],
            director=row["has_managers"],
            admin=user.is_staff,
        )
    request._trellis_roles = result
    return result
