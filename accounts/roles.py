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


def roles_of(person: Person) -> Roles:
    """A person's roles, in one query. The one place roles are computed.

    Manager: has an active direct report. Director: one of those active reports
    has an active report of their own, so deactivating second-level reports
    takes the director role away with them.
    """
    reports = Person.objects.filter(manager=OuterRef("pk"), is_active=True)
    managers_below = reports.filter(
        Exists(Person.objects.filter(manager=OuterRef("pk"), is_active=True))
    )
    row = (
        Person.objects.filter(pk=person.pk)
        .annotate(has_reports=Exists(reports), has_managers=Exists(managers_below))
        .values("has_reports", "has_managers")
        .first()
    ) or {"has_reports": False, "has_managers": False}
    return Roles(
        engineer=True,
        manager=row["has_reports"],
        director=row["has_managers"],
        admin=person.is_staff,
    )


def roles_for(request: HttpRequest) -> Roles:
    """The signed-in person's roles, read once per request."""
    cached = getattr(request, "_trellis_roles", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    result = roles_of(user) if user is not None and user.is_authenticated else Roles()
    request._trellis_roles = result  # type: ignore[attr-defined]
    return result
