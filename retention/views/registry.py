"""The model registry: a team's models, registering one, the model page and its writes.

The model page has two inline sections, each a named partial: `lifecycle` (status,
the next step, the deployment gate) and `plan` (the deployment plan and its
approval). htmx gets the section; a plain request gets a redirect after a write, or
the whole page with the refusal when the write is refused (status 200).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html_join
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_tools import add_service_errors
from accounts.http import AuthedRequest
from accounts.models import Person
from retention import rules, services
from retention.forms import (
    ApproveForm,
    ArchiveForm,
    DeploymentPlanForm,
    MoveForm,
    RegisterModelForm,
)
from retention.models import DeploymentPlan, ModelEvent, RegisteredModel
from retention.selectors import model_rows, models_by_team, rows_of
from retention.views.scope import get_model_for_user

PAGE_SIZE = 50
LIST_PAGE = "retention/model_list.html"
DETAIL = "retention/model_detail.html"


def _id(value: str | None) -> int | None:
    """A positive whole number from a GET parameter, or None."""
    return int(value) if value and value.isdigit() and int(value) > 0 else None


@login_required
@require_GET
def model_list(request: AuthedRequest) -> HttpResponse:
    """Models in the viewer's reporting line, by team: status, age, deployment plan.

    The pages' links swap the `models` section with htmx (the team filter reloads the
    page, whose title names the team); the same links work without JavaScript."""
    visible: QuerySet[RegisteredModel] = RegisteredModel.objects.visible_to(request.user)
    teams = models_by_team(visible)
    team = _id(request.GET.get("team"))
    # A team with no model in the viewer's line (or none at all) shows every model.
    chosen = next(((pk, name, n) for pk, name, n in teams if pk is not None and pk == team), None)
    models = visible.filter(team_id=chosen[0]) if chosen else visible
    count = chosen[2] if chosen else sum(n for _, _, n in teams)
    # The paginator needs only the count (from the grouped query above); the rows are
    # read by model_rows, one query at any size.
    page = Paginator(range(count), PAGE_SIZE).get_page(request.GET.get("page"))
    base = reverse("retention:model_list") + (f"?team={team}&" if chosen else "?")
    ctx = {
        "team_name": chosen[1] if chosen else None,
        # Two hundred teams at the head of a large org: the options are written here in
        # one pass, not by a form widget's template per option.
        "team_options": format_html_join(
            "",
            '<option value="{}"{}>{} ({})</option>',
            ((pk, " selected" if pk == team else "", name, n) for pk, name, n in teams if pk),
        ),
        "page": page,
        "rows": model_rows(models, rows_of(page)),
        "previous_url": f"{base}page={page.number - 1}" if page.has_previous() else "",
        "next_url": f"{base}page={page.number + 1}" if page.has_next() else "",
    }
    paging = request.htmx and request.htmx.target == "models"
    response = render(request, f"{LIST_PAGE}#models" if paging else LIST_PAGE, ctx)
    patch_vary_headers(response, ["HX-Target"])  # HX-Request: config/middleware.py
    return response


def _people(request: AuthedRequest) -> list[Person]:
    return list(Person.objects.visible_to(request.user).filter(is_active=True))


@login_required
@require_http_methods(["GET", "POST"])
def model_create(request: AuthedRequest) -> HttpResponse:
    people = _people(request)
    if request.method == "GET":
        form = RegisterModelForm(people=people, initial={"owners": [request.user.pk]})
        return render(request, "retention/model_form.html", {"form": form})
    form = RegisterModelForm(request.POST, people=people)
    if form.is_valid():
        data = form.cleaned_data
        try:
            model = services.register_model(
                actor=request.user,
                name=data["name"],
                project=data["project"],
                problem_type=data["problem_type"],
                purpose=data["purpose"],
                owners=list(data["owners"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{model}” is in the registry, planned.")
            return redirect("retention:model_detail", model_id=model.pk)
    return render(request, "retention/model_form.html", {"form": form})


def _plan(model: RegisteredModel) -> DeploymentPlan | None:
    try:
        return model.plan
    except DeploymentPlan.DoesNotExist:
        return None


def _detail_context(request: AuthedRequest, model: RegisteredModel, **extra) -> dict:
    user = request.user
    plan = _plan(model)
    can_change = rules.can_change_model(user, model)
    ctx = {
        "model": model,
        "owners": list(model.owners.all()),
        "plan": plan,
        "gate": model.gate(plan),
        "can_change": can_change,
        "can_approve": rules.can_approve_plan(user, model),
        "move_form": MoveForm(initial={"to": model.next_status}) if can_change else None,
        "approve_form": ApproveForm(initial={"version": plan.version}) if plan else None,
        "events": list(
            ModelEvent.objects.filter(model=model).select_related("actor").order_by("-at", "-pk")
        ),
        "refusal": [],
    }
    ctx.update(extra)
    return ctx


def _render_detail(
    request: AuthedRequest, model: RegisteredModel, section: str = "", **extra
) -> HttpResponse:
    template = f"{DETAIL}#{section}" if request.htmx and section else DETAIL
    return render(request, template, _detail_context(request, model, **extra))


@login_required
@require_GET
def model_detail(request: AuthedRequest, model_id: int) -> HttpResponse:
    """The model: owners, status and dates, the gate, its deployment plan and history."""
    return _render_detail(request, get_model_for_user(request, model_id))


def _back(request: AuthedRequest, model: RegisteredModel, form) -> HttpResponse:
    # The graveyard page's owner actions come back to it, on the page of findings they
    # were on (a resolved finding stays in its place); anything else to the model.
    if form.cleaned_data.get("back") == "graveyard":
        page = form.cleaned_data.get("page")
        query = f"?page={page}" if page and page > 1 else ""
        return redirect(f"{reverse('retention:graveyard')}{query}#finding-{model.pk}")
    return redirect("retention:model_detail", model_id=model.pk)


@login_required
@require_POST
def model_move(request: AuthedRequest, model_id: int) -> HttpResponse:
    """The next step: training (through the deployment gate), trained, deployed."""
    model = get_model_for_user(request, model_id)
    rules.require(rules.can_change_model(request.user, model), rules.ONLY_OWNERS)
    form = MoveForm(request.POST)
    refusal: list[str] = []
    if form.is_valid():
        try:
            services.move_model(
                model=model,
                actor=request.user,
                to=form.cleaned_data["to"],
                on=form.cleaned_data["on"],
            )
        except services.GateClosed as closed:
            refusal = closed.reasons
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                return _render_detail(request, model, "lifecycle")
            messages.success(request, f"“{model}” is {model.get_status_display().lower()}.")
            return _back(request, model, form)
    return _render_detail(request, model, "lifecycle", move_form=form, refusal=refusal)


@login_required
@require_http_methods(["GET", "POST"])
def model_archive(request: AuthedRequest, model_id: int) -> HttpResponse:
    """Archive with a reason: what takes a model out of the graveyard without deploying it."""
    model = get_model_for_user(request, model_id)
    rules.require(rules.can_change_model(request.user, model), rules.ONLY_OWNERS)
    if request.method == "GET":
        page = _id(request.GET.get("page"))
        form = ArchiveForm(initial={"back": request.GET.get("back", ""), "page": page})
    else:
        form = ArchiveForm(request.POST)
        if form.is_valid():
            try:
                services.archive_model(
                    model=model, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"“{model}” is archived.")
                return _back(request, model, form)
    return render(request, "retention/model_archive.html", {"model": model, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest, model_id: int) -> HttpResponse:
    """Write or edit the deployment plan. Saving withdraws an approval."""
    model = get_model_for_user(request, model_id)
    rules.require(rules.can_change_model(request.user, model), rules.ONLY_OWNERS)
    plan = _plan(model)
    people = _people(request)
    if request.method == "GET":
        initial = (
            {f: getattr(plan, f) for f in services.PLAN_FIELDS} | {"version": plan.version}
            if plan
            else {"version": 0, "owner": next(iter(model.owners.all()), None)}
        )
        form = DeploymentPlanForm(people=people, initial=initial)
    else:
        form = DeploymentPlanForm(request.POST, people=people)
        if form.is_valid():
            try:
                services.save_deployment_plan(model=model, actor=request.user, **form.cleaned_data)
            except services.StaleVersion:
                form.add_error(
                    None,
                    "Someone saved this plan since you opened it: reload to see their "
                    "version, then make your change again.",
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The deployment plan is saved.")
                return redirect(f"{reverse('retention:model_detail', args=[model.pk])}#plan")
    ctx = {"model": model, "plan": plan, "form": form}
    return render(request, "retention/plan_form.html", ctx)


@login_required
@require_POST
def plan_approve(request: AuthedRequest, model_id: int) -> HttpResponse:
    model = get_model_for_user(request, model_id)
    rules.require(rules.can_approve_plan(request.user, model), rules.ONLY_APPROVER)
    form = ApproveForm(request.POST)
    problem = ""
    if not form.is_valid():
        problem = "Open the plan again and approve what it says."
    else:
        try:
            services.approve_deployment_plan(
                model=model, actor=request.user, version=form.cleaned_data["version"]
            )
        except services.StaleVersion:
            problem = "The plan changed since you opened it: read it again before approving."
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            model = get_model_for_user(request, model.pk)  # the approved plan
            if request.htmx:
                return _render_detail(request, model, "plan")
            messages.success(request, "The deployment plan is approved.")
            return redirect(f"{reverse('retention:model_detail', args=[model.pk])}#plan")
    model = get_model_for_user(request, model.pk)
    return _render_detail(request, model, "plan", approve_problem=problem)
