"""One lookup per object type: the object if the viewer may see it, 404 otherwise.

Scoping comes from each model's `visible_to(user)` (built on
`Person.objects.visible_to`), so an object outside the viewer's reporting line
answers 404 before any write rule (growth/rules.py) is asked, and a 403 never
confirms that something exists to someone who may not see it.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts.http import AuthedRequest
from accounts.models import Person
from growth.models import Experiment, GrowthPlan, QuarterlyReview, SupportCommitment


def get_person_for_user(request: AuthedRequest, person_id: int) -> Person:
    qs = Person.objects.visible_to(request.user).select_related("manager")
    return get_object_or_404(qs, pk=person_id)


def get_plan_for_user(request: AuthedRequest, person_id: int) -> GrowthPlan:
    """The person's plan; 404 when out of scope or when they have none yet."""
    qs = GrowthPlan.objects.visible_to(request.user).select_related(
        "engineer__manager", "transition"
    )
    return get_object_or_404(qs, engineer_id=person_id)


def get_experiment_for_user(request: AuthedRequest, experiment_id: int) -> Experiment:
    qs = Experiment.objects.visible_to(request.user).select_related(
        "plan__engineer__manager", "plan__transition"
    )
    return get_object_or_404(qs, pk=experiment_id)


def get_commitment_for_user(request: AuthedRequest, commitment_id: int) -> SupportCommitment:
    qs = SupportCommitment.objects.visible_to(request.user).select_related(
        "plan__engineer__manager", "plan__transition", "manager"
    )
    return get_object_or_404(qs, pk=commitment_id)


def get_review_for_user(request: AuthedRequest, review_id: int) -> QuarterlyReview:
    qs = QuarterlyReview.objects.visible_to(request.user).select_related(
        "plan__engineer", "submitted_by"
    )
    return get_object_or_404(qs, pk=review_id)
