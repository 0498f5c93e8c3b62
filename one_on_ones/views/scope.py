"""One lookup per object type: the object if the viewer may read it, 404 otherwise.

1:1 content is the pair's (OneOnOne.objects.visible_to: the two people in it, and a
later manager of the engineer while the engineer agrees), not the reporting line's:
a director gets 404 on a 1:1 of their managers, as anyone outside does. Who may
write is asked afterwards, of one_on_ones/rules.py (403 with the reason).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.http import AuthedRequest
from accounts.models import Person
from one_on_ones import rules
from one_on_ones.models import ActionItem, AgendaItem, OneOnOne, Pair


def get_person_for_user(request: AuthedRequest, person_id: int) -> Person:
    """Anyone in the viewer's reporting line (writes then ask the rules: 403)."""
    qs = Person.objects.visible_to(request.user).select_related("manager")
    return get_object_or_404(qs, pk=person_id)


def get_engineer_for_user(request: AuthedRequest, engineer_id: int) -> Person:
    """The engineer whose 1:1s page the viewer may open: themselves, their direct
    report, or someone whose 1:1s they were in. Above that, 404: a director sees
    that 1:1s happen (cadence), not the pair's page."""
    engineer = get_person_for_user(request, engineer_id)
    user = request.user
    if (
        user.pk == engineer.pk
        or rules.can_log_one_on_one(user, engineer)
        or Pair.objects.filter(engineer=engineer, manager=user).exists()
    ):
        return engineer
    raise Http404


def get_one_on_one_for_user(request: AuthedRequest, one_on_one_id: int) -> OneOnOne:
    qs = OneOnOne.objects.visible_to(request.user).select_related("pair__manager", "pair__engineer")
    return get_object_or_404(qs, pk=one_on_one_id)


def get_agenda_item_for_user(request: AuthedRequest, item_id: int) -> AgendaItem:
    qs = AgendaItem.objects.visible_to(request.user).select_related(
        "one_on_one__pair__manager", "one_on_one__pair__engineer"
    )
    return get_object_or_404(qs, pk=item_id)


def get_action_item_for_user(request: AuthedRequest, item_id: int) -> ActionItem:
    qs = ActionItem.objects.visible_to(request.user).select_related(
        "one_on_one__pair__manager", "one_on_one__pair__engineer"
    )
    return get_object_or_404(qs, pk=item_id)
