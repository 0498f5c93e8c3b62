"""The 1:1s list and the page of one engineer's 1:1s (their history, the manager's tools).

Who may open a page is one_on_ones/views/scope.py's answer (404 outside); who may
log, set the cadence or give consent is one_on_ones/rules.py's (403 with the reason).
These forms are plain: a write redirects (PRG), an invalid form re-renders the
page with its errors, status 200.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthedRequest
from accounts.models import Person
from one_on_ones import rules, services
from one_on_ones.forms import CadenceForm, ConsentForm, LogForm
from one_on_ones.models import OneOnOne, Pair
from one_on_ones.selectors import agenda_ownership, cadence_gaps
from one_on_ones.views.charts import CHART, pulse_points, pulse_trends
from one_on_ones.views.scope import get_engineer_for_user, get_person_for_user

LIST_PAGE = "one_on_ones/list.html"
PAIR_PAGE = "one_on_ones/pair.html"
MY_RECENT = 20  # the viewer's own 1:1s on the list page; the rest on their own page


def _direct_reports(manager: Person) -> list[Person]:
    """The manager's active direct reports with their last and next 1:1 (one query)."""
    today = timezone.localdate()
    theirs = OneOnOne.objects.visible_to(manager).filter(
        pair__manager=manager, pair__engineer=OuterRef("pk")
    )
    last = theirs.filter(date__lte=today).order_by("-date")
    upcoming = theirs.filter(date__gt=today).order_by("date")
    return list(
        Person.objects.filter(manager=manager, is_active=True).annotate(
            last_date=Subquery(last.values("date")[:1]),
            last_id=Subquery(last.values("pk")[:1]),
            next_date=Subquery(upcoming.values("date")[:1]),
            next_id=Subquery(upcoming.values("pk")[:1]),
        )
    )


@login_required
@require_GET
def one_on_one_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    reports = _direct_reports(user)
    gaps = {gap.engineer.pk: gap for gap in cadence_gaps(user, direct_reports_only=True)}
    mine = (
        OneOnOne.objects.visible_to(user)
        .filter(pair__engineer=user)
        .select_related("pair__manager")[:MY_RECENT]
    )
    ctx = {
        "reports": [(person, gaps.get(person.pk)) for person in reports],
        "mine": list(mine),
        "my_recent": MY_RECENT,
    }
    return render(request, LIST_PAGE, ctx)


@dataclass(frozen=True)
class PairForms:
    """Forms the page shows instead of fresh ones (bound, with errors)."""

    log: LogForm | None = None
    cadence: CadenceForm | None = None


def _render_pair_page(
    request: AuthedRequest, engineer: Person, forms: PairForms = PairForms()
) -> HttpResponse:
    user = request.user
    history = (
        OneOnOne.objects.visible_to(user)
        .filter(pair__engineer=engineer)
        .select_related("pair__manager")
    )
    ctx: dict = {"engineer": engineer, "is_self": user.pk == engineer.pk, "history": history}
    if rules.can_log_one_on_one(user, engineer):
        ctx.update(_manager_tools(user, engineer, forms))
    if ctx["is_self"] or ctx.get("is_manager"):
        ctx.update(_pulse(user, engineer))
    if ctx["is_self"]:
        ctx.update(_consent(engineer))
    return render(request, PAIR_PAGE, ctx)


def _manager_tools(manager: Person, engineer: Person, forms: PairForms) -> dict:
    """Log a 1:1, set the cadence, and who has been setting the agenda."""
    pair = Pair.objects.filter(manager=manager, engineer=engineer).first()
    cadence = pair.cadence if pair else Pair._meta.get_field("cadence").default
    return {
        "is_manager": True,
        "log_form": forms.log or LogForm(initial={"date": timezone.localdate()}),
        "cadence_form": forms.cadence or CadenceForm(initial={"cadence": cadence}),
        "ownership": agenda_ownership(pair) if pair else None,
    }


def _pulse(viewer: Person, engineer: Person) -> dict:
    """The year's pulse answers the viewer may read: three charts and a table."""
    points = pulse_points(viewer, engineer)
    trends = pulse_trends(points) if points else []
    return {"show_pulse": True, "pulse_rows": points, "trends": trends, "chart": CHART}


def _consent(engineer: Person) -> dict:
    """The consent toggle, offered while the engineer has a current pair and earlier ones."""
    pairs = list(Pair.objects.filter(engineer=engineer).select_related("manager"))
    current = next((p for p in pairs if p.manager_id == engineer.manager_id), None)
    earlier = [p.manager for p in pairs if p is not current]
    # Offered as soon as there is a new manager and earlier history: before their
    # first 1:1 too (the service makes the pair).
    if engineer.manager_id is None or not earlier:
        return {}
    form = ConsentForm(initial={"consent": bool(current and current.shares_earlier_history)})
    return {
        "consent_form": form,
        "earlier_managers": earlier,
        "current_manager": engineer.manager,
    }


@login_required
@require_GET
def pair_detail(request: AuthedRequest, engineer_id: int) -> HttpResponse:
    engineer = get_engineer_for_user(request, engineer_id)
    return _render_pair_page(request, engineer)


@login_required
@require_POST
def log_one_on_one(request: AuthedRequest, engineer_id: int) -> HttpResponse:
    engineer = get_person_for_user(request, engineer_id)
    rules.require(rules.can_log_one_on_one(request.user, engineer), rules.ONLY_MANAGER)
    form = LogForm(request.POST)
    if form.is_valid():
        try:
            one_on_one = services.log_one_on_one(
                engineer=engineer, manager=request.user, day=form.cleaned_data["date"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "1:1 logged. Open agenda and action items came with it.")
            return redirect("one_on_ones:detail", one_on_one_id=one_on_one.pk)
    return _render_pair_page(request, engineer, PairForms(log=form))


@login_required
@require_POST
def set_cadence(request: AuthedRequest, engineer_id: int) -> HttpResponse:
    engineer = get_person_for_user(request, engineer_id)
    rules.require(rules.can_log_one_on_one(request.user, engineer), rules.ONLY_MANAGER)
    form = CadenceForm(request.POST)
    if not form.is_valid():
        return _render_pair_page(request, engineer, PairForms(cadence=form))
    pair = services.pair_for(manager=request.user, engineer=engineer)
    services.set_cadence(pair=pair, actor=request.user, cadence=form.cleaned_data["cadence"])
    messages.success(request, "Cadence saved.")
    return redirect("one_on_ones:pair", engineer_id=engineer.pk)


@login_required
@require_POST
def set_history_consent(request: AuthedRequest, engineer_id: int) -> HttpResponse:
    engineer = get_person_for_user(request, engineer_id)
    rules.require(request.user.pk == engineer.pk, rules.ONLY_ENGINEER)
    if engineer.manager is None:
        raise Http404("No manager to share 1:1 history with.")
    consent = ConsentForm(request.POST)
    consent.is_valid()  # a checkbox: always valid, absent means no
    pair = services.set_history_consent(
        engineer=engineer, actor=request.user, consent=consent.cleaned_data["consent"]
    )
    if consent.cleaned_data["consent"]:
        messages.success(request, f"{pair.manager.name} can now read your earlier shared 1:1s.")
    else:
        messages.success(request, "Your earlier 1:1s are no longer shared with your manager.")
    return redirect("one_on_ones:pair", engineer_id=engineer.pk)
