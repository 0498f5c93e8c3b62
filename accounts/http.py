"""Request types for views.

Views behind `login_required` take an `AuthedRequest`, so `request.user` is a
`Person` (never AnonymousUser) and `request.htmx` is django-htmx's details, for
mypy and for the reader alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import Person


class AuthedRequest(HttpRequest):
    user: Person
    htmx: HtmxDetails
