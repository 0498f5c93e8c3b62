"""The growth plan page: the three answers, experiments, support commitments, comments.

Only the engineer writes the plan text and experiments; only their direct manager
writes support commitments; everyone who can see the engineer may read and comment.
Out of scope answers 404 before any of that is asked, so a 403 never confirms that
a plan exists to someone who may not see it.

The sections that change inline (experiments, commitments, comments) are partials
of plan_detail.html: htmx requests get the section back, plain POSTs are redirected
to the page (or, when invalid, get the whole page with the errors in place).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Person
from growth import services
from growth.coach import find_vague_wording
from growth.forms import (
    CommentForm,
    CommitmentEditForm,
    CommitmentForm,
    ExperimentCloseForm,
    ExperimentCreateForm,
    ExperimentForm,
    PlanForm,
)
from growth.models import Experiment, GrowthPlan, SupportCommitment, Transition
from growth.services import StaleVersion
from growth.stagnation import assess_stagnation

PAGE = "growth/plan_detail.html"
SECTIONS = ("experiments", "commitments", "comments")
CONFLICT_PLAN = (
    "This plan was changed in another tab or by someone else since you opened it. "
    "Your text is kept below; reload to see the latest version."
)
CONFLICT_EXPERIMENT = (
    "This experiment changed since you opened it (another tab?). "
    "Your text is kept below; reload to see the latest version."
)
CONFLICT_COMMITMENT = (
    "This commitment changed since you opened it (another tab?). "
    "Your text is kept below; reload to see the latest version."
)
# Form ids: several forms on one page share field names, so each gets its own prefix.
NEW_EXPERIMENT_ID = "id_new_experiment_%s"
NEW_COMMITMENT_ID = "id_new_commitment_%s"
COMMENT_ID = "id_comment_%s"


def _edit_id(kind: str, pk: int) -> str:
    return f"id_{kind}{pk}_%s"


# --- who may see and write what -------------------------------------------------


def _get_person_for_user(request: HttpRequest, person_id: int) -> Person:
    """The person, if the viewer may see them; 404 for everyone else."""
    qs = Person.objects.visible_to(request.user).select_related("manager")
    return get_object_or_404(qs, pk=person_id)


def _plans_for_user(request: HttpRequest) -> QuerySet[GrowthPlan]:
    return GrowthPlan.objects.filter(
        engineer__in=Person.objects.visible_to(request.user)
    ).select_related("engineer__manager", "transition")


def _get_plan_for_user(request: HttpRequest, person_id: int) -> GrowthPlan:
    return get_object_or_404(_plans_for_user(request), engineer_id=person_id)


def _require_owner(request: HttpRequest, plan: GrowthPlan) -> None:
    if plan.engineer_id != request.user.pk:
        raise PermissionDenied("Only the engineer edits their growth plan.")


def _require_manager(request: HttpRequest, plan: GrowthPlan) -> None:
    if plan.engineer.manager_id != request.user.pk:
        raise PermissionDenied("Only the engineer's manager records support commitments.")


def _get_experiment_for_owner(request: HttpRequest, experiment_id: int) -> Experiment:
    qs = Experiment.objects.filter(plan__in=_plans_for_user(request)).select_related(
        "plan__engineer__manager", "plan__transition"
    )
    experiment = get_object_or_404(qs, pk=experiment_id)
    _require_owner(request, experiment.plan)
    return experiment


def _get_commitment_for_manager(request: HttpRequest, commitment_id: int) -> SupportCommitment:
    qs = SupportCommitment.objects.filter(plan__in=_plans_for_user(request)).select_related(
        "plan__engineer__manager", "plan__transition", "manager"
    )
    commitment = get_object_or_404(qs, pk=commitment_id)
    _require_manager(request, commitment.plan)
    return commitment


# --- building the page and its sections -----------------------------------------


def _plan_of(person: Person) -> GrowthPlan | None:
    plan = GrowthPlan.objects.select_related("transition").filter(engineer=person).first()
    if plan is not None:
        plan.engineer = person  # already fetched, with the manager the page needs
    return plan


def _base_context(request: HttpRequest, person: Person, plan: GrowthPlan | None) -> dict:
    is_owner = person.pk == request.user.pk
    is_manager = person.manager_id == request.user.pk
    return {
        "person": person,
        "plan": plan,
        "is_owner": is_owner,
        "is_manager": is_manager,
        "can_review": is_owner or is_manager,
    }


def _experiments(
    ctx: dict,
    *,
    experiment_form: ExperimentCreateForm | None = None,
    experiment_edit: ExperimentForm | None = None,
    close: tuple[int, ExperimentCloseForm] | None = None,
    **_,
) -> dict:
    experiments = list(ctx["plan"].experiments.all())
    if ctx["is_owner"]:
        for experiment in experiments:
            if experiment_edit is not None and experiment_edit.instance.pk == experiment.pk:
                experiment.edit_form = experiment_edit
            if close is not None and close[0] == experiment.pk:
                experiment.close_form = close[1]
            elif not experiment.is_closed:
                experiment.close_form = ExperimentCloseForm(
                    initial={"version": experiment.version},
                    auto_id=_edit_id("close", experiment.pk),
                )
        if experiment_form is None:
            experiment_form = ExperimentCreateForm(auto_id=NEW_EXPERIMENT_ID)
    return {"experiments": experiments, "experiment_form": experiment_form}


def _commitments(
    ctx: dict,
    *,
    commitment_form: CommitmentForm | None = None,
    commitment_edit: CommitmentEditForm | None = None,
    **_,
) -> dict:
    commitments = list(ctx["plan"].commitments.select_related("manager"))
    if ctx["is_manager"]:
        for commitment in commitments:
            if commitment_edit is not None and commitment_edit.instance.pk == commitment.pk:
                commitment.edit_form = commitment_edit
        if commitment_form is None:
            commitment_form = CommitmentForm(auto_id=NEW_COMMITMENT_ID)
    return {"commitments": commitments, "commitment_form": commitment_form}


def _comments(ctx: dict, *, comment_form: CommentForm | None = None, **_) -> dict:
    return {
        "comments": list(ctx["plan"].comments.select_related("author")),
        "comment_form": CommentForm(auto_id=COMMENT_ID) if comment_form is None else comment_form,
    }


SECTION_BUILDERS = {"experiments": _experiments, "commitments": _commitments, "comments": _comments}


def _render_page(
    request: HttpRequest, person: Person, plan: GrowthPlan | None, **forms
) -> HttpResponse:
    ctx = _base_context(request, person, plan)
    if not ctx["is_owner"]:
        # Whoever sees someone else's plan is above them in the reporting line.
        ctx["stagnation"] = assess_stagnation([person]).get(person.pk)
    if plan is None:
        if ctx["is_owner"]:
            ctx["plan_form"] = _plan_form(person, None)
        return render(request, PAGE, ctx)
    for build in SECTION_BUILDERS.values():
        ctx.update(build(ctx, **forms))
    return render(request, PAGE, ctx)


def _render_section(request: HttpRequest, plan: GrowthPlan, section: str, **forms) -> HttpResponse:
    ctx = _base_context(request, plan.engineer, plan)
    ctx.update(SECTION_BUILDERS[section](ctx, **forms))
    return render(request, f"{PAGE}#{section}", ctx)


def _saved(request: HttpRequest, plan: GrowthPlan, section: str) -> HttpResponse:
    """After a write: htmx gets the fresh section, a plain POST is redirected (PRG)."""
    if request.htmx:
        return _render_section(request, plan, section)
    return redirect(reverse("growth:plan_detail", args=[plan.engineer_id]) + f"#{section}")


def _invalid(request: HttpRequest, plan: GrowthPlan, section: str, **forms) -> HttpResponse:
    """Errors in place, status 200: the section for htmx, the whole page otherwise."""
    if request.htmx:
        return _render_section(request, plan, section, **forms)
    return _render_page(request, plan.engineer, plan, **forms)


def _plan_form(person: Person, plan: GrowthPlan | None, data=None) -> PlanForm:
    if plan is not None:
        return PlanForm(data, instance=plan, initial={"version": plan.version})
    # A new plan aims at the transition in front of the engineer.
    default = Transition.objects.filter(from_level=person.level).first()
    return PlanForm(data, initial={"version": 0, "transition": default})


# --- the plan -------------------------------------------------------------------


@login_required
def my_plan(request: HttpRequest) -> HttpResponse:
    return redirect("growth:plan_detail", person_id=request.user.pk)


@login_required
def plan_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person_for_user(request, person_id)
    plan = _plan_of(person)
    section = request.GET.get("part")
    # "Cancel" on an inline edit form asks for its section back, as it was.
    if request.htmx and plan is not None and section in SECTIONS:
        return _render_section(request, plan, section)
    return _render_page(request, person, plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person_for_user(request, person_id)
    if person.pk != request.user.pk:
        raise PermissionDenied("Only the engineer edits their growth plan.")
    plan = _plan_of(person)
    form = _plan_form(person, plan, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.save_plan(engineer=person, actor=request.user, **form.cleaned_data)
        except StaleVersion:
            form.add_error(None, CONFLICT_PLAN)
        else:
            messages.success(request, "Your growth plan is saved.")
            _coach_after_save(request, form.cleaned_data["aspiration"], form.cleaned_data["gap"])
            return redirect("growth:plan_detail", person_id=person.pk)
    return render(request, "growth/plan_form.html", {"form": form, "person": person, "plan": plan})


def _coach_after_save(request: HttpRequest, *texts: str) -> None:
    # Without JavaScript the coach could not speak while typing; it speaks now.
    for note in (note for text in texts for note in find_vague_wording(text)):
        messages.info(request, f"Coach: “{note.phrase}” — {note.nudge}")


@login_required
def plan_history(request: HttpRequest, person_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, person_id)
    changes = Paginator(plan.changes.select_related("actor"), 100).get_page(request.GET.get("page"))
    ctx = {"plan": plan, "person": plan.engineer, "changes": changes}
    return render(request, "growth/plan_history.html", ctx)


# --- experiments (the engineer only) --------------------------------------------


@login_required
@require_POST
def experiment_create(request: HttpRequest, person_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, person_id)
    _require_owner(request, plan)
    form = ExperimentCreateForm(request.POST, auto_id=NEW_EXPERIMENT_ID)
    if not form.is_valid():
        return _invalid(request, plan, "experiments", experiment_form=form)
    services.create_experiment(plan=plan, actor=request.user, **form.cleaned_data)
    return _saved(request, plan, "experiments")


@login_required
@require_http_methods(["GET", "POST"])
def experiment_edit(request: HttpRequest, experiment_id: int) -> HttpResponse:
    experiment = _get_experiment_for_owner(request, experiment_id)
    plan = experiment.plan
    data = request.POST if request.method == "POST" else None
    form = ExperimentForm(
        data,
        instance=experiment,
        initial={"version": experiment.version},
        auto_id=_edit_id("experiment", experiment.pk),
    )
    if request.method == "GET" and request.htmx:
        experiment.edit_form = form
        ctx = {**_base_context(request, plan.engineer, plan), "experiment": experiment}
        return render(request, "growth/_experiment_edit.html", ctx)
    # A plain GET falls through to _invalid: the whole page, this row as a form.
    if form.is_valid():
        try:
            services.update_experiment(
                experiment=experiment, actor=request.user, **form.cleaned_data
            )
        except StaleVersion:
            form.add_error(None, CONFLICT_EXPERIMENT)
        else:
            return _saved(request, plan, "experiments")
    return _invalid(request, plan, "experiments", experiment_edit=form)


@login_required
@require_POST
def experiment_move(request: HttpRequest, experiment_id: int) -> HttpResponse:
    experiment = _get_experiment_for_owner(request, experiment_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("direction must be up or down")
    services.move_experiment(experiment=experiment, actor=request.user, direction=direction)
    return _saved(request, experiment.plan, "experiments")


@login_required
@require_POST
def experiment_close(request: HttpRequest, experiment_id: int) -> HttpResponse:
    experiment = _get_experiment_for_owner(request, experiment_id)
    form = ExperimentCloseForm(request.POST, auto_id=_edit_id("close", experiment.pk))
    if form.is_valid():
        try:
            services.close_experiment(
                experiment=experiment, actor=request.user, **form.cleaned_data
            )
        except StaleVersion:
            form.add_error(None, CONFLICT_EXPERIMENT)
        else:
            return _saved(request, experiment.plan, "experiments")
    return _invalid(request, experiment.plan, "experiments", close=(experiment.pk, form))


# --- support commitments (the direct manager only) ------------------------------


@login_required
@require_POST
def commitment_create(request: HttpRequest, person_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, person_id)
    _require_manager(request, plan)
    form = CommitmentForm(request.POST, auto_id=NEW_COMMITMENT_ID)
    if not form.is_valid():
        return _invalid(request, plan, "commitments", commitment_form=form)
    services.add_support_commitment(plan=plan, manager=request.user, **form.cleaned_data)
    return _saved(request, plan, "commitments")


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request: HttpRequest, commitment_id: int) -> HttpResponse:
    commitment = _get_commitment_for_manager(request, commitment_id)
    plan = commitment.plan
    form = CommitmentEditForm(
        request.POST if request.method == "POST" else None,
        instance=commitment,
        initial={"version": commitment.version},
        auto_id=_edit_id("commitment", commitment.pk),
    )
    if request.method == "GET" and request.htmx:
        commitment.edit_form = form
        ctx = {**_base_context(request, plan.engineer, plan), "commitment": commitment}
        return render(request, "growth/_commitment_edit.html", ctx)
    if form.is_valid():
        try:
            services.update_support_commitment(
                commitment=commitment, actor=request.user, **form.cleaned_data
            )
        except StaleVersion:
            form.add_error(None, CONFLICT_COMMITMENT)
        else:
            return _saved(request, plan, "commitments")
    return _invalid(request, plan, "commitments", commitment_edit=form)


# --- comments (anyone who can see the plan) -------------------------------------


@login_required
@require_POST
def comment_create(request: HttpRequest, person_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, person_id)
    form = CommentForm(request.POST, auto_id=COMMENT_ID)
    if not form.is_valid():
        return _invalid(request, plan, "comments", comment_form=form)
    services.add_plan_comment(plan=plan, author=request.user, body=form.cleaned_data["body"])
    return _saved(request, plan, "comments")
