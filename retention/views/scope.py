"""One lookup per object type: the object if the viewer may see it, 404 otherwise.

Scoping comes from each model's `visible_to(user)` (built on
`Person.objects.visible_to`), so an object outside the viewer's reporting line
answers 404 before any write rule (retention/rules.py) is asked.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts.http import AuthedRequest
from accounts.models import Person
from retention.models import ApiToken, RegisteredModel
from retention.selectors import with_owners


def get_model_for_user(request: AuthedRequest, model_id: int) -> RegisteredModel:
    qs = with_owners(RegisteredModel.objects.visible_to(request.user))
    return get_object_or_404(qs, pk=model_id)


def get_person_for_user(request: AuthedRequest, person_id: int) -> Person:
    qs = Person.objects.visible_to(request.user).select_related("manager", "team")
    return get_object_or_404(qs, pk=person_id)


def get_token_for_user(request: AuthedRequest, token_id: int) -> ApiToken:
    """A token is its person's alone: nobody else, their manager included, reaches it."""
    return get_object_or_404(ApiToken.objects.filter(person=request.user), pk=token_id)
