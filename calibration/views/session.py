"""The calibration session: the director's grid of a cycle, one rating's story (evidence,
flags, history) with the change form, and the cycle's history of changes.

Only the cycle's director reaches these pages, and only once drafting is over; anyone
else, the managers in the cycle included, gets 404: the session compares managers
with each other, and none of them sees it. After publishing the pages are read-only.

The grid is a named partial of session.html that htmx swaps when a filter or a sort
changes (the same GET links work without it). A rating opens in the panel beside the
grid (htmx) or as its own page; a change answers htmx with the panel, the grid's cell
and the session's summary (out of band), and a plain POST with a redirect to the grid.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthedRequest
from calibration import rules, services
from calibration.evidence import evidence_of, with_contributions
from calibration.models import SCORES, CalibrationCycle, Rating, RatingChange
from calibration.session import Cell, GridQuery, build_session, effect_of, rating_flags
from calibration.views.scope import get_cycle_for_user, get_rating_for_user

PAGE = "calibration/session.html"
RATING_PAGE = "calibration/session_rating.html"
HISTORY_PAGE = "calibration/session_history.html"
HISTORY_SIZE = 50


class SessionChangeForm(forms.Form):
    score = forms.TypedChoiceField(
        label="Final score", choices=[(s, str(s)) for s in SCORES], coerce=int
    )
    reason = forms.CharField(
        label="Why it changes",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In terms of process and evidence; the engineer's manager reads it.",
    )

    # The rating's version when the form was opened: a change made meanwhile (another
    # tab) is shown, not silently built upon.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, rating: Rating, **kwargs) -> None:
        kwargs.setdefault("initial", {"score": rating.final_score, "version": rating.version})
        super().__init__(*args, **kwargs)
        self.rating = rating

    def clean_score(self) -> int:
        score = self.cleaned_data["score"]
        if score == self.rating.final_score:
            raise ValidationError(f"The final score is already {score}: choose another.")
        return score

    def clean_version(self) -> int:
        version = self.cleaned_data["version"]
        if version != self.rating.version:
            raise ValidationError(
                f"This rating changed since you opened it: its final score is now "
                f"{self.rating.final_score}. Read its history below, then decide again."
            )
        return version


def _session_cycle(request: AuthedRequest, cycle_id: int) -> CalibrationCycle:
    cycle = get_cycle_for_user(request, cycle_id)
    _require_session(request, cycle)
    return cycle


def _session_rating(request: AuthedRequest, rating_id: int) -> Rating:
    rating = get_rating_for_user(request, rating_id)
    _require_session(request, rating.member.cycle)
    return rating


def _require_session(request: AuthedRequest, cycle: CalibrationCycle) -> None:
    # Seeing the cycle (a manager in it) is not seeing its session: 404, not 403.
    if not rules.can_run_cycle(request.user, cycle):
        raise Http404("No such session.")
    rules.require(rules.can_hold_session(request.user, cycle), rules.SESSION_NOT_OPEN)


def _show_results(request: AuthedRequest) -> bool:
    return not rules.results_hidden_from(request.user)


@login_required
@require_GET
def session(request: AuthedRequest, cycle_id: int) -> HttpResponse:
    cycle = _session_cycle(request, cycle_id)
    query = GridQuery.from_params(request.GET)
    context = {
        "cycle": cycle,
        "query": query,
        "session": build_session(cycle, query=query, show_results=_show_results(request)),
        "can_change": rules.can_change_in_session(request.user, cycle),
    }
    template = PAGE
    if request.htmx:
        # The managers' pager swaps their section; filters, sorts and pages the grid.
        template = f"{PAGE}#managers" if request.htmx.target == "managers" else f"{PAGE}#grid"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Target"])
    return response


def _rating_context(
    request: AuthedRequest, rating: Rating, query: GridQuery, form: SessionChangeForm | None
) -> dict:
    cycle = rating.member.cycle
    show_results = _show_results(request)
    can_change = rules.can_change_in_session(request.user, cycle)
    return {
        "cycle": cycle,
        "rating": rating,
        "query": query,
        "show_results": show_results,
        "flags": rating_flags(rating, cycle, show_results=show_results),
        "evidence": evidence_of(with_contributions(rating.evidence.all(), request.user)),
        "anchors": list(rating.dimension.anchors.all()),
        "history": list(rating.changes.select_related("actor")),
        "can_change": can_change,
        "form": (form or SessionChangeForm(rating=rating)) if can_change else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def session_rating(request: AuthedRequest, rating_id: int) -> HttpResponse:
    rating = _session_rating(request, rating_id)
    cycle = rating.member.cycle
    query = GridQuery.from_params(request.POST if request.method == "POST" else request.GET)
    form = None
    if request.method == "POST":
        if not rules.can_change_in_session(request.user, cycle):
            raise PermissionDenied(rules.SESSION_CLOSED)
        form = SessionChangeForm(request.POST, rating=rating)
        if form.is_valid():
            old, member, dimension = rating.final_score, rating.member, rating.dimension
            try:
                rating = services.change_in_session(
                    rating=rating,
                    actor=request.user,
                    score=form.cleaned_data["score"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                rating.member, rating.dimension = member, dimension  # as fetched, not again
                return _changed(request, rating, old, query)
    context = _rating_context(request, rating, query, form)
    template = f"{RATING_PAGE}#panel" if request.htmx else RATING_PAGE
    return render(request, template, context)


def _changed(request: AuthedRequest, rating: Rating, old: int, query: GridQuery) -> HttpResponse:
    """htmx: the panel, with the grid's cell and the session's summary out of band.
    A plain POST: back to the grid as it was filtered, at the changed cell (PRG)."""
    done = f"{rating.member.engineer} · {rating.dimension}: final {old} → {rating.final_score}."
    if not request.htmx:
        messages.success(request, f"Changed. {done}")
        url = reverse("calibration:session", args=[rating.member.cycle_id])
        return redirect(f"{url}{query.querystring}#cell-{rating.pk}")
    context = _rating_context(request, rating, query, None)
    effect, after_results = effect_of(rating.member.cycle)
    context.update(
        done=done,
        cell=Cell(rating.dimension, True, rating, context["flags"]),
        effect=effect,
        changed_after_results=after_results,
    )
    return render(request, f"{RATING_PAGE}#changed", context)


@login_required
@require_GET
def session_history(request: AuthedRequest, cycle_id: int) -> HttpResponse:
    """Every change to the cycle's ratings after drafts were locked: who, what, why."""
    cycle = _session_cycle(request, cycle_id)
    stage = request.GET.get("stage", "")
    changes = (
        RatingChange.objects.filter(rating__member__cycle=cycle)
        .select_related("actor", "rating__member__engineer", "rating__dimension")
        .order_by("-at", "-pk")
    )
    if stage in RatingChange.Stage.values:
        changes = changes.filter(stage=stage)
    else:
        stage = ""
    page = Paginator(changes, HISTORY_SIZE).get_page(request.GET.get("page"))
    context = {"cycle": cycle, "page": page, "stage": stage, "stages": RatingChange.Stage}
    return render(request, HISTORY_PAGE, context)
