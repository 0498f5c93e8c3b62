"""One lookup per object type: the object if the viewer may see it, 404 otherwise.

Scoping comes from each model's `visible_to(user)` (built on
`Person.objects.visible_to`), so an object outside the viewer's reporting line
answers 404 before any write rule (calibration/rules.py) is asked, and a 403
never confirms that something exists to someone who may not see it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.http import AuthedRequest
from accounts.models import Person
from calibration import rules
from calibration.evidence import with_contributions
from calibration.models import CalibrationCycle, Contribution, CycleMember, Rating, WorkItem


def get_person_for_user(request: AuthedRequest, person_id: int) -> Person:
    qs = Person.objects.visible_to(request.user).select_related("manager", "team")
    return get_object_or_404(qs, pk=person_id)


def get_work_item_for_user(request: AuthedRequest, work_item_id: int) -> WorkItem:
    """A work item with at least one contributor in the viewer's reporting line, with
    the contributions the viewer may see (calibration.evidence.with_contributions)."""
    qs = WorkItem.objects.visible_to(request.user).select_related(
        "created_by", "linked_experiment__plan"
    )
    return get_object_or_404(with_contributions(qs, request.user), pk=work_item_id)


def get_contribution_for_user(request: AuthedRequest, contribution_id: int) -> Contribution:
    qs = Contribution.objects.visible_to(request.user).select_related("person", "work_item")
    return get_object_or_404(qs, pk=contribution_id)


# --- cycles, members, ratings ---------------------------------------------------------
#
# A cycle's page is for whoever runs it (its director) or has someone in it below them
# (the managers who rate, and anyone above them). An engineer reaches their own
# results through their membership, once the cycle is published, not the cycle page.
# Drafts are read by their author and the director only; final ratings, after
# publishing, by the engineer and their reporting line.


def cycles_overseen_by(user: Person) -> QuerySet[CalibrationCycle]:
    """Cycles the user runs, or in which someone below them is rated."""
    below = CycleMember.objects.filter(engineer__in=Person.objects.below(user))
    return CalibrationCycle.objects.filter(Q(director=user) | Q(pk__in=below.values("cycle")))


def members_in_view(user: Person, cycle: CalibrationCycle) -> QuerySet[CycleMember]:
    """The cycle's members the user sees on its page: all for the director, else those
    below the user (never themselves: their own rating is not theirs to follow)."""
    if rules.can_run_cycle(user, cycle):
        return cycle.members.all()
    return cycle.members.filter(engineer__in=Person.objects.below(user))


def get_cycle_for_user(request: AuthedRequest, cycle_id: int) -> CalibrationCycle:
    qs = cycles_overseen_by(request.user).select_related("director")
    return get_object_or_404(qs, pk=cycle_id)


def get_member_for_user(request: AuthedRequest, member_id: int) -> CycleMember:
    """A membership of someone in the viewer's line (themselves included), or of any
    member of a cycle the viewer runs. What they may do with it is asked of rules.py."""
    user = request.user
    qs = CycleMember.objects.visible_to(user) | CycleMember.objects.filter(cycle__director=user)
    qs = qs.select_related("cycle__director", "engineer__manager", "engineer__team", "manager")
    return get_object_or_404(qs, pk=member_id)


def get_results_for_user(request: AuthedRequest, member_id: int) -> CycleMember:
    """A membership whose final ratings the viewer may read: the cycle is published and
    the engineer is the viewer or below them. Before publishing, 404 for everyone."""
    qs = CycleMember.objects.visible_to(request.user).filter(
        cycle__state=CalibrationCycle.State.PUBLISHED
    )
    qs = qs.select_related("cycle__director", "engineer__manager", "engineer__team", "manager")
    return get_object_or_404(qs, pk=member_id)


def get_rating_for_user(request: AuthedRequest, rating_id: int) -> Rating:
    """A rating as a draft (its author, the cycle's director) or, once the cycle is
    published, as a final rating (the engineer and their reporting line)."""
    user = request.user
    drafts = Q(member__manager=user) | Q(member__cycle__director=user)
    published = Q(
        member__cycle__state=CalibrationCycle.State.PUBLISHED,
        member__engineer__in=Person.objects.visible_to(user),
    )
    qs = Rating.objects.filter(drafts | published).select_related(
        "member__cycle__director", "member__engineer", "member__manager", "dimension"
    )
    return get_object_or_404(qs, pk=rating_id)
