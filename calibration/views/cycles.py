"""Calibration cycles: the list, opening one, its page, drafting, locking, results, export.

Who may open a cycle, a draft or results is scope.py's answer (404 outside); who may
run a cycle, draft or read a draft is calibration/rules.py's (403 with the reason).
While the viewer has an unlocked draft in a drafting cycle, no page here shows a work
item's result (`rules.results_hidden_from`): drafting is outcome-blind.

Forms are plain (PRG on success; errors re-render the page, status 200). Saving one
dimension's draft also answers htmx with that dimension's section alone.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_tools import add_service_errors
from accounts.http import AuthedRequest
from accounts.models import Person
from calibration import rules, services
from calibration.forms import AdvanceForm, CycleForm, DraftRatingForm
from calibration.models import (
    Anchor,
    CalibrationCycle,
    Contribution,
    CycleMember,
    Dimension,
    Rating,
    RatingChange,
    WorkItem,
)
from calibration.views.scope import (
    cycles_overseen_by,
    get_cycle_for_user,
    get_member_for_user,
    get_results_for_user,
    members_in_view,
)

LIST_PAGE = "calibration/cycle_list.html"
NEW_PAGE = "calibration/cycle_form.html"
CYCLE_PAGE = "calibration/cycle_detail.html"
DRAFT_PAGE = "calibration/draft.html"
RESULTS_PAGE = "calibration/results.html"
State = CalibrationCycle.State


# --- the list and opening a cycle --------------------------------------------------------


@login_required
@require_GET
def cycle_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    overseen = list(cycles_overseen_by(user).select_related("director"))
    mine = CycleMember.objects.filter(engineer=user, cycle__state=State.PUBLISHED)
    ctx = {
        "running": [c for c in overseen if rules.can_run_cycle(user, c)],
        "rating": [c for c in overseen if not rules.can_run_cycle(user, c)],
        "my_results": list(mine.select_related("cycle").order_by("-cycle__period_end")),
        "can_open": rules.can_open_cycle(user),
    }
    return render(request, LIST_PAGE, ctx)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_new(request: AuthedRequest) -> HttpResponse:
    rules.require(rules.can_open_cycle(request.user), rules.ONLY_DIRECTORS_OPEN)
    if request.method == "GET":
        return render(request, NEW_PAGE, {"form": CycleForm.fresh()})
    form = CycleForm(request.POST)
    if form.is_valid():
        try:
            cycle = services.open_cycle(director=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{cycle}” is open: managers can draft their ratings.")
            return redirect("calibration:cycle_detail", cycle_id=cycle.pk)
    return render(request, NEW_PAGE, {"form": form})


# --- the cycle page ------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    member: CycleMember
    rated: int
    applicable: int
    can_read_draft: bool
    can_draft: bool

    @property
    def complete(self) -> bool:
        return self.rated >= self.applicable


def _member_rows(user: Person, cycle: CalibrationCycle) -> list[MemberRow]:
    """The members the viewer follows, by manager, with their draft's progress."""
    dimensions = list(Dimension.objects.all())
    members = (
        members_in_view(user, cycle)
        .select_related("engineer", "manager")
        .annotate(rated=Count("ratings"))
        .order_by("manager__name", "manager_id", "engineer__name")
    )
    rows = []
    for member in members:
        member.cycle = cycle  # already fetched: the rules read its director and state
        applicable = sum(1 for d in dimensions if d.applies_to(member.engineer.level))
        rows.append(
            MemberRow(
                member,
                member.rated,
                applicable,
                can_read_draft=rules.can_read_draft(user, member),
                can_draft=rules.can_draft(user, member),
            )
        )
    return rows


def _next_state(cycle: CalibrationCycle) -> str | None:
    order = [str(state) for state in CalibrationCycle.ORDER]
    position = order.index(cycle.state)
    return order[position + 1] if position + 1 < len(order) else None


def _render_cycle(
    request: AuthedRequest, cycle: CalibrationCycle, advance_form: AdvanceForm | None = None
) -> HttpResponse:
    user = request.user
    rows = _member_rows(user, cycle)
    next_state = _next_state(cycle)
    ctx = {
        "cycle": cycle,
        "groups": [(manager, list(group)) for manager, group in _by_manager(rows)],
        "member_count": len(rows),
        "locked_count": sum(1 for row in rows if row.member.locked_at),
        "can_run": rules.can_run_cycle(user, cycle),
        "can_export": rules.can_export(user, cycle),
        "can_hold_session": rules.can_hold_session(user, cycle),
        "next_state": next_state,
        "next_label": State(next_state).label if next_state else "",
        "advance_form": advance_form,
    }
    return render(request, CYCLE_PAGE, ctx)


def _by_manager(rows: list[MemberRow]):
    return groupby(rows, key=lambda row: row.member.manager)


@login_required
@require_GET
def cycle_detail(request: AuthedRequest, cycle_id: int) -> HttpResponse:
    return _render_cycle(request, get_cycle_for_user(request, cycle_id))


@login_required
@require_POST
def cycle_advance(request: AuthedRequest, cycle_id: int) -> HttpResponse:
    cycle = get_cycle_for_user(request, cycle_id)
    rules.require(rules.can_run_cycle(request.user, cycle), rules.ONLY_DIRECTOR)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        try:
            services.advance_cycle(cycle=cycle, actor=request.user, to=form.cleaned_data["to"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{cycle}” is now {cycle.get_state_display().lower()}.")
            return redirect("calibration:cycle_detail", cycle_id=cycle.pk)
    return _render_cycle(request, cycle, advance_form=form)


# --- export ---------------------------------------------------------------------------


def _cell(value: object) -> str:
    # A spreadsheet runs a cell that starts with one of these as a formula.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def cycle_export(request: AuthedRequest, cycle_id: int) -> HttpResponse:
    """Final ratings of the members in the viewer's scope; drafts too for the director."""
    cycle = get_cycle_for_user(request, cycle_id)
    user = request.user
    rules.require(rules.can_export(user, cycle), rules.EXPORT_AFTER_PUBLISH)
    with_drafts = rules.can_run_cycle(user, cycle)
    ratings = (
        Rating.objects.filter(member__in=members_in_view(user, cycle))
        .select_related("member__engineer", "member__manager", "dimension")
        .prefetch_related("evidence")
        .order_by("member__engineer__name", "member_id", "dimension__order", "dimension_id")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = slugify(cycle.name) or f"cycle-{cycle.pk}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    header = ["Engineer", "Email", "Level", "Manager", "Dimension", "Final score"]
    if with_drafts:
        header += ["Draft score", "Changed after seeing results"]
    writer.writerow(header + ["Justification", "Evidence"])
    for rating in ratings:
        engineer = rating.member.engineer
        row = [
            engineer.name,
            engineer.email,
            engineer.get_level_display(),
            rating.member.manager.name,
            rating.dimension.name,
            rating.final_score,
        ]
        if with_drafts:
            row += [rating.draft_score, "yes" if rating.changed_after_results else "no"]
        evidence = "; ".join(
            f"{item.title} ({item.date:%Y-%m-%d})" for item in rating.evidence.all()
        )
        writer.writerow([_cell(value) for value in row + [rating.justification, evidence]])
    return response


# --- drafting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionRow:
    dimension: Dimension
    anchors: list[Anchor]
    rating: Rating | None
    form: DraftRatingForm | None  # only for the manager who may draft now


def _with_roles(items: QuerySet[WorkItem], member: CycleMember) -> QuerySet[WorkItem]:
    """Work items oldest first, each with the engineer's own contributions (their roles)."""
    theirs = Contribution.objects.filter(person_id=member.engineer_id)
    return items.prefetch_related(
        Prefetch("contributions", queryset=theirs, to_attr="engineer_roles")
    ).order_by("date", "pk")


def _evidence_choices(user: Person, member: CycleMember) -> list[WorkItem]:
    """Work items of the cycle's period that involve the engineer: what may be cited."""
    cycle = member.cycle
    involving = Contribution.objects.filter(person_id=member.engineer_id).values("work_item")
    items = WorkItem.objects.visible_to(user).filter(
        pk__in=involving, date__gte=cycle.period_start, date__lte=cycle.period_end
    )
    return list(_with_roles(items, member))


def _draft_form(
    member: CycleMember,
    dimension: Dimension,
    items: list[WorkItem],
    rating: Rating | None = None,
    data=None,
) -> DraftRatingForm:
    return DraftRatingForm(
        data,
        items=items,
        anchors=list(dimension.anchors.all()),
        engineer_name=member.engineer.get_short_name(),
        locked=member.locked_at is not None,
        rating=rating,
        prefix=f"d{dimension.pk}",
    )


def _draft_context(
    request: AuthedRequest, member: CycleMember, bound: DraftRatingForm | None = None
) -> dict:
    user = request.user
    level = member.engineer.level
    dimensions = [d for d in Dimension.objects.prefetch_related("anchors") if d.applies_to(level)]
    # The session's changes are the director's until publishing; this page shows only
    # the drafting author's own changes after seeing results.
    after_results = RatingChange.objects.filter(stage=RatingChange.Stage.AFTER_RESULTS)
    ratings = {
        rating.dimension_id: rating
        for rating in member.ratings.prefetch_related(
            Prefetch("evidence", queryset=_with_roles(WorkItem.objects.all(), member)),
            Prefetch(
                "changes",
                queryset=after_results.select_related("actor"),
                to_attr="after_results",
            ),
        )
    }
    can_draft = rules.can_draft(user, member)
    items = _evidence_choices(user, member) if can_draft else []
    rows = []
    for dimension in dimensions:
        rating = ratings.get(dimension.pk)
        form = None
        if bound is not None and bound.prefix == f"d{dimension.pk}":
            form = bound
        elif can_draft:
            form = _draft_form(member, dimension, items, rating)
        rows.append(DimensionRow(dimension, list(dimension.anchors.all()), rating, form))
    return {
        "member": member,
        "cycle": member.cycle,
        "engineer": member.engineer,
        "rows": rows,
        "items": items,
        "rated": len(ratings),
        "can_draft": can_draft,
        "locked": member.locked_at is not None,
        "hide_results": rules.results_hidden_from(user),
        # Final scores are the session's: the director's, and everyone's once published.
        "show_final": rules.can_run_cycle(user, member.cycle)
        or member.cycle.state == State.PUBLISHED,
    }


@login_required
@require_GET
def draft(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_member_for_user(request, member_id)
    rules.require(rules.can_read_draft(request.user, member), rules.ONLY_DRAFT_READERS)
    return render(request, DRAFT_PAGE, _draft_context(request, member))


@login_required
@require_POST
def draft_save(request: AuthedRequest, member_id: int, dimension_id: int) -> HttpResponse:
    member = get_member_for_user(request, member_id)
    rules.require(rules.can_draft(request.user, member), rules.ONLY_MANAGER)
    dimension = get_object_or_404(Dimension.objects.prefetch_related("anchors"), pk=dimension_id)
    if not dimension.applies_to(member.engineer.level):
        raise Http404("This dimension is not rated at the engineer's level.")
    items = _evidence_choices(request.user, member)
    form = _draft_form(member, dimension, items, data=request.POST)
    if form.is_valid():
        try:
            services.save_draft_rating(
                member=member,
                actor=request.user,
                dimension=dimension,
                score=form.cleaned_data["score"],
                justification=form.cleaned_data["justification"],
                evidence=form.evidence_items(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _draft_saved(request, member, dimension)
    ctx = _draft_context(request, member, bound=form)
    if request.htmx:
        row = next(row for row in ctx["rows"] if row.dimension.pk == dimension.pk)
        return render(request, f"{DRAFT_PAGE}#dimension", {**ctx, "row": row})
    return render(request, DRAFT_PAGE, ctx)


def _draft_saved(request: AuthedRequest, member: CycleMember, dimension: Dimension) -> HttpResponse:
    """htmx gets the dimension's section afresh; a plain POST is redirected to it (PRG)."""
    if request.htmx:
        ctx = _draft_context(request, member)
        row = next(row for row in ctx["rows"] if row.dimension.pk == dimension.pk)
        return render(request, f"{DRAFT_PAGE}#dimension", {**ctx, "row": row, "saved": True})
    messages.success(request, f"{dimension} is saved.")
    url = reverse("calibration:draft", args=[member.pk])
    return redirect(f"{url}#dimension-{dimension.pk}")


@login_required
@require_POST
def draft_lock(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_member_for_user(request, member_id)
    rules.require(rules.can_draft(request.user, member), rules.ONLY_MANAGER)
    try:
        services.lock_draft(member=member, actor=request.user)
    except ValidationError as error:
        ctx = {**_draft_context(request, member), "lock_errors": error.messages}
        return render(request, DRAFT_PAGE, ctx)
    name = member.engineer.get_short_name()
    if rules.results_hidden_from(request.user):
        messages.success(
            request,
            f"Your draft for {name} is locked. Results stay hidden until your other drafts "
            "are locked too.",
        )
    else:
        messages.success(
            request, f"Your draft for {name} is locked: work items now show their results."
        )
    return redirect("calibration:draft", member_id=member.pk)


# --- results, once published -----------------------------------------------------------


@login_required
@require_GET
def results(request: AuthedRequest, member_id: int) -> HttpResponse:
    """The engineer's final ratings with their justification and evidence: theirs and
    their reporting line's to read, after publishing. Never the draft scores."""
    member = get_results_for_user(request, member_id)
    evidence = _with_roles(WorkItem.objects.all(), member)
    ratings = member.ratings.select_related("dimension").prefetch_related(
        Prefetch("evidence", queryset=evidence)
    )
    ctx = {
        "member": member,
        "cycle": member.cycle,
        "engineer": member.engineer,
        "is_self": member.engineer_id == request.user.pk,
        "ratings": list(ratings),
        "hide_results": rules.results_hidden_from(request.user),
    }
    return render(request, RESULTS_PAGE, ctx)
