"""An engineer's problem-type history: the timeline, how long on the current problem
type, and what to rotate them to next (problem types they have not done yet)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.form_tools import add_service_errors
from accounts.http import AuthedRequest
from accounts.models import Person
from retention import rules, services
from retention.charts import timeline_chart
from retention.forms import AssignmentForm
from retention.selectors import assignments_by_person, rotation_suggestions, streak_of
from retention.views.scope import get_person_for_user

PAGE = "retention/assignments.html"


def _render(request: AuthedRequest, person: Person, form: AssignmentForm | None) -> HttpResponse:
    history = assignments_by_person([person]).get(person.pk, [])
    can_assign = rules.can_assign(request.user, person)
    ctx = {
        "person": person,
        "history": history,
        "timeline": timeline_chart(history),
        "streak": streak_of(history),
        "suggestions": rotation_suggestions(history),
        "can_assign": can_assign,
        "form": (form or AssignmentForm.fresh()) if can_assign else None,
        "is_self": person.pk == request.user.pk,
    }
    return render(request, PAGE, ctx)


@login_required
@require_GET
def assignments(request: AuthedRequest, person_id: int) -> HttpResponse:
    return _render(request, get_person_for_user(request, person_id), None)


@login_required
@require_POST
def assignment_create(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The manager records an assignment; without an end date it is a rotation."""
    person = get_person_for_user(request, person_id)
    rules.require(rules.can_assign(request.user, person), rules.ONLY_MANAGER_ASSIGNS)
    form = AssignmentForm(request.POST, auto_id="id_assign_%s")
    if form.is_valid():
        try:
            services.record_assignment(engineer=person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.name}'s assignment is recorded.")
            return redirect(reverse("retention:assignments", args=[person.pk]) + "#timeline")
    return _render(request, person, form)
