from __future__ import annotations

from django.http import HttpRequest

from accounts.roles import roles_for


def roles(request: HttpRequest) -> dict:
    """Expose the signed-in person's roles to every template (navigation by role)."""
    return {"roles": roles_for(request)}
