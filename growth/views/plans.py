"""The growth plan page: the three answers, experiments, support commitments, comments.

Who may see a plan is scoped by growth/views/scope.py (404 outside the reporting
line); who may change which part is asked of growth/rules.py (403 with a reason).

The parts that change inline (experiments, commitments, comments) are named
partials of plan_detail.html. Each write view does one thing: on success an htmx
request gets its section back and a plain POST is redirected to the page (PRG);
on error htmx gets the section with the errors in place and a plain POST the whole
page, both with status 200 so htmx swaps them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest
from accounts.models import Person
from growth import rules, services
from growth.coach import advice_for_form
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
from growth.rules import PlanRights
from growth.services import StaleVersion
from growth.stagnation import assess_stagnation
from growth.views.scope import (
    get_commitment_for_user,
    get_experiment_for_user,
    get_person_for_user,
    get_plan_for_user,
)

PAGE = "growth/plan_detail.html"
SECTIONS = ("experiments", "commitments", "comments")
CONFLICT = {
    "plan": "This plan was changed in another tab or by someone else since you opened it. "
    "Your text is kept below; reload to see the latest version.",
    "experiment": "This experiment changed since you opened it (another tab?). "
    "Your text is kept below; reload to see the latest version.",
    "commitment": "This commitment changed since you opened it (another tab?). "
    "Your text is kept below; reload to see the latest version.",
}
# Changes per page of a plan's history. Each row carries its diff: 25 keep a page
# within budget at two years of history (bench/README.md); 100 were 11-13x the floor.
HISTORY_PAGE = 25
# Several forms on one page share field names, so each gets its own id prefix.
NEW_EXPERIMENT_ID = "id_new_experiment_%s"
NEW_COMMITMENT_ID = "id_new_commitment_%s"
COMMENT_ID = "id_comment_%s"


def _edit_id(kind: str, pk: int) -> str:
    return f"id_{kind}{pk}_%s"


# --- forms ---------------------------------------------------------------------------


def _plan_form(person: Person, plan: GrowthPlan | None, data=None) -> PlanForm:
    if plan is not None:
        return PlanForm(data, instance=plan, initial={"version": plan.version})
    # A new plan aims at the transition in front of the engineer.
    default = Transition.objects.filter(from_level=person.level).first()
    return PlanForm(data, initial={"version": 0, "transition": default})


def _experiment_form(experiment: Experiment, data=None) -> ExperimentForm:
    return ExperimentForm(
        data,
        instance=experiment,
        initial={"version": experiment.version},
        auto_id=_edit_id("experiment", experiment.pk),
    )


def _close_form(experiment: Experiment, data=None) -> ExperimentCloseForm:
    return ExperimentCloseForm(
        data, initial={"version": experiment.version}, auto_id=_edit_id("close", experiment.pk)
    )


def _commitment_form(commitment: SupportCommitment, data=None) -> CommitmentEditForm:
    return CommitmentEditForm(
        data,
        instance=commitment,
        initial={"version": commitment.version},
        auto_id=_edit_id("commitment", commitment.pk),
    )


def coach_after_save(request: AuthedRequest, form: BaseForm) -> None:
    # Without JavaScript the coach could not speak while typing; it speaks now.
    if request.htmx:
        return
    for advice in advice_for_form(form):
        messages.info(request, advice)


# --- the page and its sections -----------------------------------------------------------


@dataclass(frozen=True)
class ExperimentRow:
    experiment: Experiment
    edit_form: ExperimentForm | None = None  # shown in place of the row
    close_form: ExperimentCloseForm | None = None


@dataclass(frozen=True)
class CommitmentRow:
    commitment: SupportCommitment
    edit_form: CommitmentEditForm | None = None


@dataclass(frozen=True)
class Forms:
    """Forms the page shows instead of fresh ones: bound with errors, or opened for edit."""

    new_experiment: ExperimentCreateForm | None = None
    edit_experiment: ExperimentForm | None = None
    close_experiment: tuple[int, ExperimentCloseForm] | None = None
    new_commitment: CommitmentForm | None = None
    edit_commitment: CommitmentEditForm | None = None
    comment: CommentForm | None = None


def _experiments(plan: GrowthPlan, rights: PlanRights, forms: Forms) -> dict:
    rows = []
    for experiment in plan.experiments.all():
        edit = close = None
        if rights.edit_plan:
            if forms.edit_experiment and forms.edit_experiment.instance.pk == experiment.pk:
                edit = forms.edit_experiment
            if forms.close_experiment and forms.close_experiment[0] == experiment.pk:
                close = forms.close_experiment[1]
            elif not experiment.is_closed:
                close = _close_form(experiment)
        rows.append(ExperimentRow(experiment, edit, close))
    new = forms.new_experiment or ExperimentCreateForm(auto_id=NEW_EXPERIMENT_ID)
    return {"experiment_rows": rows, "experiment_form": new if rights.edit_plan else None}


def _commitments(plan: GrowthPlan, rights: PlanRights, forms: Forms) -> dict:
    edit = forms.edit_commitment if rights.commit_support else None
    rows = [
        CommitmentRow(c, edit if edit and edit.instance.pk == c.pk else None)
        for c in plan.commitments.select_related("manager")
    ]
    new = forms.new_commitment or CommitmentForm(auto_id=NEW_COMMITMENT_ID)
    return {"commitment_rows": rows, "commitment_form": new if rights.commit_support else None}


def _comments(plan: GrowthPlan, rights: PlanRights, forms: Forms) -> dict:
    return {
        "comments": list(plan.comments.select_related("author")),
        "comment_form": forms.comment or CommentForm(auto_id=COMMENT_ID),
    }


SECTION_CONTEXT = {"experiments": _experiments, "commitments": _commitments, "comments": _comments}


def _context(request: AuthedRequest, person: Person, plan: GrowthPlan | None) -> dict:
    return {
        "person": person,
        "plan": plan,
        "is_owner": person.pk == request.user.pk,  # wording only ("my plan")
        "rights": PlanRights.of(request.user, person),
    }


def _render_page(
    request: AuthedRequest, person: Person, plan: GrowthPlan | None, forms: Forms = Forms()
) -> HttpResponse:
    ctx = _context(request, person, plan)
    if not ctx["is_owner"]:
        # Whoever sees someone else's plan is above them in the reporting line.
        ctx["stagnation"] = assess_stagnation([person]).get(person.pk)
    if plan is None:
        if ctx["rights"].edit_plan:
            ctx["plan_form"] = _plan_form(person, None)
    else:
        for build in SECTION_CONTEXT.values():
            ctx.update(build(plan, ctx["rights"], forms))
    return render(request, PAGE, ctx)


def _render_section(
    request: AuthedRequest, plan: GrowthPlan, section: str, forms: Forms = Forms()
) -> HttpResponse:
    ctx = _context(request, plan.engineer, plan)
    ctx.update(SECTION_CONTEXT[section](plan, ctx["rights"], forms))
    return render(request, f"{PAGE}#{section}", ctx)


def _saved(request: AuthedRequest, plan: GrowthPlan, section: str) -> HttpResponse:
    """After a write: htmx gets the fresh section, a plain POST is redirected (PRG)."""
    if request.htmx:
        return _render_section(request, plan, section)
    url = reverse("growth:plan_detail", args=[plan.engineer_id]) + f"#{section}"
    return redirect(url)


def _with_errors(
    request: AuthedRequest, plan: GrowthPlan, section: str, forms: Forms
) -> HttpResponse:
    """Errors in place, status 200: the section for htmx, the whole page otherwise."""
    if request.htmx:
        return _render_section(request, plan, section, forms)
    return _render_page(request, plan.engineer, plan, forms)


def _open_for_edit(
    request: AuthedRequest,
    plan: GrowthPlan,
    kind: str,
    form: ExperimentForm | CommitmentEditForm,
) -> HttpResponse:
    """GET on an edit URL: htmx swaps the row for its form; without JavaScript the
    whole page comes back with that row open as a form."""
    if request.htmx:
        ctx = {**_context(request, plan.engineer, plan), kind: form.instance, "form": form}
        return render(request, f"growth/_{kind}_edit.html", ctx)
    if isinstance(form, ExperimentForm):
        return _render_page(request, plan.engineer, plan, Forms(edit_experiment=form))
    return _render_page(request, plan.engineer, plan, Forms(edit_commitment=form))


# --- the plan ----------------------------------------------------------------------------


@login_required
@require_GET
def my_plan(request: AuthedRequest) -> HttpResponse:
    return redirect("growth:plan_detail", person_id=request.user.pk)


@login_required
@require_GET
def plan_detail(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_user(request, person_id)
    plan = GrowthPlan.objects.select_related("transition").filter(engineer=person).first()
    if plan is not None:
        plan.engineer = person  # already fetched, with the manager the page needs
    section = request.GET.get("part")
    # "Cancel" on an inline edit form asks for its section back, as it was.
    if request.htmx and plan is not None and section in SECTIONS:
        return _render_section(request, plan, section)
    return _render_page(request, person, plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_user(request, person_id)
    rules.require(rules.can_edit_plan, request.user, person)
    plan = GrowthPlan.objects.select_related("transition").filter(engineer=person).first()
    if request.method == "GET":
        form = _plan_form(person, plan)
    else:
        form = _plan_form(person, plan, request.POST)
        if form.is_valid():
            try:
                services.save_plan(engineer=person, actor=request.user, **form.cleaned_data)
            except StaleVersion:
                form.add_error(None, CONFLICT["plan"])
            else:
                messages.success(request, "Your growth plan is saved.")
                coach_after_save(request, form)
                return redirect("growth:plan_detail", person_id=person.pk)
    return render(request, "growth/plan_form.html", {"form": form, "person": person, "plan": plan})


@login_required
@require_GET
def plan_history(request: AuthedRequest, person_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, person_id)
    changes = Paginator(plan.changes.select_related("actor"), HISTORY_PAGE).get_page(
        request.GET.get("page")
    )
    ctx = {"plan": plan, "person": plan.engineer, "changes": changes}
    return render(request, "growth/plan_history.html", ctx)


# --- experiments (the engineer only) ---------------------------------------------------


@login_required
@require_POST
def experiment_create(request: AuthedRequest, person_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, person_id)
    rules.require(rules.can_edit_plan, request.user, plan.engineer)
    form = ExperimentCreateForm(request.POST, auto_id=NEW_EXPERIMENT_ID)
    if not form.is_valid():
        return _with_errors(request, plan, "experiments", Forms(new_experiment=form))
    services.create_experiment(plan=plan, actor=request.user, **form.cleaned_data)
    coach_after_save(request, form)
    return _saved(request, plan, "experiments")


@login_required
@require_http_methods(["GET", "POST"])
def experiment_edit(request: AuthedRequest, experiment_id: int) -> HttpResponse:
    experiment = get_experiment_for_user(request, experiment_id)
    plan = experiment.plan
    rules.require(rules.can_edit_plan, request.user, plan.engineer)
    if request.method == "GET":
        return _open_for_edit(request, plan, "experiment", _experiment_form(experiment))
    form = _experiment_form(experiment, request.POST)
    if form.is_valid():
        try:
            services.update_experiment(
                experiment=experiment, actor=request.user, **form.cleaned_data
            )
        except StaleVersion:
            form.add_error(None, CONFLICT["experiment"])
        else:
            coach_after_save(request, form)
            return _saved(request, plan, "experiments")
    return _with_errors(request, plan, "experiments", Forms(edit_experiment=form))


@login_required
@require_POST
def experiment_move(request: AuthedRequest, experiment_id: int) -> HttpResponse:
    experiment = get_experiment_for_user(request, experiment_id)
    rules.require(rules.can_edit_plan, request.user, experiment.plan.engineer)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("direction must be up or down")
    services.move_experiment(experiment=experiment, actor=request.user, direction=direction)
    return _saved(request, experiment.plan, "experiments")


@login_required
@require_POST
def experiment_close(request: AuthedRequest, experiment_id: int) -> HttpResponse:
    experiment = get_experiment_for_user(request, experiment_id)
    plan = experiment.plan
    rules.require(rules.can_close_experiment, request.user, plan.engineer)
    form = _close_form(experiment, request.POST)
    if form.is_valid():
        try:
            services.close_experiment(
                experiment=experiment, actor=request.user, **form.cleaned_data
            )
        except StaleVersion:
            form.add_error(None, CONFLICT["experiment"])
        else:
            coach_after_save(request, form)
            return _saved(request, plan, "experiments")
    return _with_errors(request, plan, "experiments", Forms(close_experiment=(experiment.pk, form)))


# --- support commitments (the direct manager only) ---------------------------------------


@login_required
@require_POST
def commitment_create(request: AuthedRequest, person_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, person_id)
    rules.require(rules.can_commit_support, request.user, plan.engineer)
    form = CommitmentForm(request.POST, auto_id=NEW_COMMITMENT_ID)
    if not form.is_valid():
        return _with_errors(request, plan, "commitments", Forms(new_commitment=form))
    services.add_support_commitment(plan=plan, manager=request.user, **form.cleaned_data)
    coach_after_save(request, form)
    return _saved(request, plan, "commitments")


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request: AuthedRequest, commitment_id: int) -> HttpResponse:
    commitment = get_commitment_for_user(request, commitment_id)
    plan = commitment.plan
    rules.require(rules.can_commit_support, request.user, plan.engineer)
    if request.method == "GET":
        return _open_for_edit(request, plan, "commitment", _commitment_form(commitment))
    form = _commitment_form(commitment, request.POST)
    if form.is_valid():
        try:
            services.update_support_commitment(
                commitment=commitment, actor=request.user, **form.cleaned_data
            )
        except StaleVersion:
            form.add_error(None, CONFLICT["commitment"])
        else:
            coach_after_save(request, form)
            return _saved(request, plan, "commitments")
    return _with_errors(request, plan, "commitments", Forms(edit_commitment=form))


# --- comments (anyone who can see the plan) ----------------------------------------------


@login_required
@require_POST
def comment_create(request: AuthedRequest, person_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, person_id)
    form = CommentForm(request.POST, auto_id=COMMENT_ID)
    if not form.is_valid():
        return _with_errors(request, plan, "comments", Forms(comment=form))
    services.add_plan_comment(plan=plan, author=request.user, body=form.cleaned_data["body"])
    coach_after_save(request, form)
    return _saved(request, plan, "comments")
