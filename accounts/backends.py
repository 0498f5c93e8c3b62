from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import Person

EMAIL_MAX_LENGTH = Person._meta.get_field("email").max_length or 254


class PersonBackend(ModelBackend):
    """Django's ModelBackend, answering an email longer than any account's as wrong.

    Looking such an email up would only hand the database a pattern it may
    refuse (SQLite: a LIKE pattern over 50,000 bytes) and answer 500. Here it
    fails like any other wrong email, for the sign-in page and the admin's alike.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Person | None:
        if username is not None and len(username) > EMAIL_MAX_LENGTH:
            return None
        return super().authenticate(request, username, password, **kwargs)
