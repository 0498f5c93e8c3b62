"""Work items (evidence): the list, adding one, "who did what", confirming a contribution.

Who may see a work item is scoped by calibration/views/scope.py (404 unless a
contributor is in the viewer's reporting line); confirming a contribution is
asked of calibration/rules.py (403 with the reason). Results are shown only
through the `work_item_result` tag, which hides them unless the view passes
`show_results` (outcome-blind drafting: rules.results_hidden_from).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthedRequest
from accounts.models import Person
from calibration import rules, services
from calibration.evidence import evidence_of, with_contributions
from calibration.models import Contribution, WorkItem
from calibration.views.scope import get_contribution_for_user, get_work_item_for_user
from calibration.work_item_forms import (
    DEFAULT_ROWS,
    MAX_CONTRIBUTORS,
    BaseContributorFormSet,
    ConfirmContributionForm,
    WorkItemForm,
    contributor_formset,
)
from growth.panels import experiments_of

PAGE_SIZE = 25
DETAIL = "calibration/work_item_detail.html"


def results_context(request: AuthedRequest) -> dict:
    """What every evidence page passes its templates: whether results may be shown."""
    return {"show_results": not rules.results_hidden_from(request.user)}


@login_required
@require_GET
def work_item_list(request: AuthedRequest) -> HttpResponse:
    """Work items with a contributor in the viewer's reporting line, newest first."""
    items = with_contributions(
        WorkItem.objects.visible_to(request.user).order_by("-date", "-pk"), request.user
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    to_confirm = Contribution.objects.filter(
        person=request.user, confirmed_at__isnull=True
    ).select_related("work_item")
    context = {
        "page": page,
        "rows": evidence_of(page.object_list),
        "to_confirm": list(to_confirm),
        "people": list(Person.objects.visible_to(request.user).filter(is_active=True)),
        **results_context(request),
    }
    return render(request, "calibration/work_item_list.html", context)


def _rows_asked(request: AuthedRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("rows", DEFAULT_ROWS)), MAX_CONTRIBUTORS))
    except ValueError:
        return DEFAULT_ROWS


@login_required
@require_http_methods(["GET", "POST"])
def work_item_create(request: AuthedRequest) -> HttpResponse:
    people = list(Person.objects.visible_to(request.user).filter(is_active=True))
    experiments = experiments_of(people)
    if request.method == "GET":
        first = next((p for p in people if str(p.pk) == request.GET.get("person")), request.user)
        form = WorkItemForm(experiments=experiments, initial={"day": timezone.localdate()})
        rows = contributor_formset(
            people=people, rows=_rows_asked(request), initial=[{"person": first.pk}]
        )
    else:
        form = WorkItemForm(request.POST, experiments=experiments)
        rows = contributor_formset(request.POST, people=people)
        item = _add(request, form, rows) if form.is_valid() and rows.is_valid() else None
        if item is not None:
            messages.success(request, f"“{item}” is saved as evidence.")
            return redirect("calibration:work_item_detail", work_item_id=item.pk)
    more = min(rows.total_form_count() + DEFAULT_ROWS, MAX_CONTRIBUTORS)
    context = {"form": form, "rows": rows, "more_rows": more}
    return render(request, "calibration/work_item_form.html", context)


def _add(
    request: AuthedRequest, form: WorkItemForm, rows: BaseContributorFormSet
) -> WorkItem | None:
    """The work item saved, or None with the service's refusal on the form."""
    data = form.cleaned_data
    try:
        return services.add_work_item(
            actor=request.user,
            kind=data["kind"],
            title=data["title"],
            day=data["day"],
            result=data["result"],
            link=data["link"],
            write_up=data["write_up"],
            linked_experiment_id=data["linked_experiment"],
            contributors=rows.contributors(),
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


def _detail_context(
    request: AuthedRequest, item: WorkItem, confirm: tuple[int, ConfirmContributionForm] | None
) -> dict:
    (evidence,) = evidence_of([item])
    rows = []
    for c in evidence.contributions:
        form = None
        if confirm is not None and confirm[0] == c.pk:
            form = confirm[1]
        elif rules.can_confirm(request.user, c):
            form = ConfirmContributionForm(
                initial={"statement": c.statement}, auto_id=f"id_c{c.pk}_%s"
            )
        rows.append((c, form))
    experiment = item.linked_experiment
    # Shown when it belongs to someone whose contribution the viewer sees.
    if experiment is not None and experiment.plan.engineer_id not in {
        c.person_id for c in evidence.contributions
    }:
        experiment = None
    return {
        "item": item,
        "evidence": evidence,
        "contribution_rows": rows,
        "experiment": experiment,
        **results_context(request),
    }


def _render_detail(
    request: AuthedRequest,
    item: WorkItem,
    confirm: tuple[int, ConfirmContributionForm] | None = None,
) -> HttpResponse:
    template = f"{DETAIL}#contributions" if request.htmx else DETAIL
    return render(request, template, _detail_context(request, item, confirm))


@login_required
@require_GET
def work_item_detail(request: AuthedRequest, work_item_id: int) -> HttpResponse:
    """The work item and who did what on it, by role."""
    return _render_detail(request, get_work_item_for_user(request, work_item_id))


@login_required
@require_http_methods(["GET", "POST"])
def contribution_confirm(request: AuthedRequest, contribution_id: int) -> HttpResponse:
    """The contributor confirms their contribution statement, or corrects it."""
    contribution = get_contribution_for_user(request, contribution_id)
    rules.require(rules.can_confirm(request.user, contribution), rules.ONLY_CONTRIBUTOR)
    auto_id = f"id_c{contribution.pk}_%s"
    if request.method == "GET":
        form = ConfirmContributionForm(
            initial={"statement": contribution.statement}, auto_id=auto_id
        )
    else:
        form = ConfirmContributionForm(request.POST, auto_id=auto_id)
        if form.is_valid():
            services.confirm_contribution(
                contribution=contribution,
                actor=request.user,
                statement=form.cleaned_data["statement"],
            )
            if request.htmx:
                return _render_detail(request, _item_of(request, contribution))
            messages.success(request, "Your contribution is confirmed.")
            url = reverse("calibration:work_item_detail", args=[contribution.work_item_id])
            return redirect(f"{url}#contributions")
        if request.htmx:
            return _render_detail(request, _item_of(request, contribution), (contribution.pk, form))
    context = {"contribution": contribution, "form": form}
    return render(request, "calibration/contribution_confirm.html", context)


def _item_of(request: AuthedRequest, contribution: Contribution) -> WorkItem:
    return get_work_item_for_user(request, contribution.work_item_id)
