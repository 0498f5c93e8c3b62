from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthedRequest
from growth import rules
from growth.models import GrowthPlan, QuarterlyReview, plan_questions, quarter_label
from growth.plan_diff import compare_snapshots
from growth.quarters import Quarter
from growth.review_forms import CompareForm, QuarterlyReviewForm
from growth.review_services import (
    ReviewAlreadySubmitted,
    build_plan_snapshot,
    snapshot_for_display,
    submit_quarterly_review,
)
from growth.selectors import reviewable_experiments
from growth.services import LearnedRequired
from growth.views.plans import coach_after_save
from growth.views.scope import get_plan_for_user, get_review_for_user

CURRENT = "current"


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: AuthedRequest, person_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, person_id)
    engineer = plan.engineer
    rules.require(rules.can_submit_review, request.user, engineer)
    is_manager = rules.is_direct_manager(request.user, engineer)
    quarter = quarter_label(plan.next_review_due)
    form = QuarterlyReviewForm(
        request.POST if request.method == "POST" else None,
        experiments=reviewable_experiments(plan),
        quarter=quarter,
        is_manager=is_manager,
        can_close=rules.can_close_experiment(request.user, engineer),
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
            form.add_error(None, f"The {Quarter.parse(exc.quarter)} review is already submitted.")
        except LearnedRequired:
            # An experiment was reopened in another tab since this form was checked.
            form.add_error(None, "An experiment changed since you opened the review: reload it.")
        else:
            messages.success(request, f"{review.period} review submitted.")
            coach_after_save(request, form)
            return redirect("growth:review_detail", review_id=review.pk)
    ctx = {"plan": plan, "person": engineer, "form": form, "quarter": Quarter.parse(quarter)}
    return render(request, "growth/review_form.html", ctx)


@login_required
@require_GET
def review_detail(request: AuthedRequest, review_id: int) -> HttpResponse:
    review = get_review_for_user(request, review_id)
    ctx = {
        "review": review,
        "plan": review.plan,
        "person": review.plan.engineer,
        "snapshot": snapshot_for_display(review.snapshot),
        "quarter": review.period,
        "questions": plan_questions(),
    }
    return render(request, "growth/review_detail.html", ctx)


@login_required
@require_GET
def review_compare(request: AuthedRequest, person_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, person_id)
    reviews = list(plan.reviews.only("pk", "plan", "quarter"))
    choices = [(str(r.pk), f"{r.period} review") for r in reviews]
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


def _bad_compare(request: AuthedRequest, ctx: dict, known_ids: set[str]) -> HttpResponse:
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
