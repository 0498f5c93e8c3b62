from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import Person
from growth.models import GrowthPlan, QuarterlyReview, quarter_label
from growth.review_forms import CompareForm, QuarterlyReviewForm
from growth.review_services import (
    ReviewAlreadySubmitted,
    build_plan_snapshot,
    compare_snapshots,
    quarter_display,
    reviewable_experiments,
    snapshot_for_display,
    submit_quarterly_review,
)

CURRENT = "current"


def _get_plan_for_user(request: HttpRequest, person_id: int) -> GrowthPlan:
    """The person's plan if the viewer may see them; 404 for everyone else or no plan."""
    plans = GrowthPlan.objects.filter(engineer__in=Person.objects.visible_to(request.user))
    return get_object_or_404(plans.select_related("engineer", "transition"), engineer_id=person_id)


@login_required
def review_create(request: HttpRequest, person_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, person_id)
    engineer = plan.engineer
    is_manager = engineer.manager_id == request.user.pk
    if request.user.pk != engineer.pk and not is_manager:
        raise PermissionDenied("Only the engineer and their manager submit the quarterly review.")
    quarter = quarter_label(plan.next_review_due)
    form = QuarterlyReviewForm(
        request.POST if request.method == "POST" else None,
        experiments=reviewable_experiments(plan),
        quarter=quarter,
        is_manager=is_manager,
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = submit_quarterly_review(
                plan=plan,
                submitted_by=request.user,
                what_changed=form.cleaned_data["what_changed"],
                next_quarter=form.cleaned_data["next_quarter"],
                manager_note=form.cleaned_data.get("manager_note", ""),
                progress=form.progress,
            )
        except ReviewAlreadySubmitted as exc:
            form.add_error(None, f"The {quarter_display(exc.quarter)} review is already submitted.")
        else:
            messages.success(request, f"{quarter_display(review.quarter)} review submitted.")
            return redirect("growth:review_detail", review_id=review.pk)
    ctx = {"plan": plan, "person": engineer, "form": form, "quarter": quarter_display(quarter)}
    return render(request, "growth/review_form.html", ctx)


@login_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = get_object_or_404(
        QuarterlyReview.objects.select_related("plan__engineer", "submitted_by"), pk=review_id
    )
    if not Person.objects.visible_to(request.user).filter(pk=review.plan.engineer_id).exists():
        raise Http404("No review found.")
    ctx = {
        "review": review,
        "plan": review.plan,
        "person": review.plan.engineer,
        "snapshot": snapshot_for_display(review.snapshot),
        "quarter": quarter_display(review.quarter),
    }
    return render(request, "growth/review_detail.html", ctx)


@login_required
def review_compare(request: HttpRequest, person_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, person_id)
    reviews = list(plan.reviews.only("pk", "plan", "quarter"))
    choices = [(str(r.pk), f"{quarter_display(r.quarter)} review") for r in reviews]
    choices.append((CURRENT, "Current plan"))
    form = CompareForm(request.GET or None, choices=choices)
    ctx = {"plan": plan, "person": plan.engineer, "form": form, "reviews": reviews}
    if not form.is_valid():
        return _bad_compare(request, ctx, known_ids={c for c, _ in choices})
    a, b = form.cleaned_data["a"], form.cleaned_data["b"]
    snapshots = _snapshots(plan, [a, b])
    ctx.update(
        a_label=dict(choices)[a],
        b_label=dict(choices)[b],
        comparison=compare_snapshots(snapshots[a], snapshots[b]),
    )
    return render(request, "growth/review_compare.html", ctx)


def _bad_compare(request: HttpRequest, ctx: dict, known_ids: set[str]) -> HttpResponse:
    # A review id that is not this plan's answers 404, like any out-of-reach object;
    # a missing or malformed choice gets a 400 page that still offers the chooser.
    for key in ("a", "b"):
        value = request.GET.get(key, "")
        if value.isdigit() and value not in known_ids:
            raise Http404("No such review of this plan.")
    ctx["error"] = "Choose two versions of the plan to compare: a quarter or the current plan."
    return render(request, "growth/review_compare.html", ctx, status=400)


def _snapshots(plan: GrowthPlan, keys: list[str]) -> dict[str, dict]:
    ids = [int(k) for k in keys if k != CURRENT]
    found = {str(r.pk): r.snapshot for r in QuarterlyReview.objects.filter(plan=plan, pk__in=ids)}
    if CURRENT in keys:
        found[CURRENT] = build_plan_snapshot(plan)
    return found
