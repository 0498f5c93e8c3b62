"""What retention offers the pages above it (home/) and its retention signals.

The only retention module other apps may import (import-linter keeps it so). Each
function takes people already fetched (already scoped by the caller through
`Person.objects.visible_to`) and answers in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import Person
from retention.models import Assignment, AuditRun, GraveyardFinding, ProblemType
from retention.selectors import (
    RateSeries,
    Streak,
    assignments_by_person,
    latest_run,
    person_rates,
    recent_runs,
    rotation_suggestions,
)

__all__ = [
    "RateSeries",
    "Streak",
    "assignment_history_for",
    "graveyard_findings_for",
    "graveyard_rates_for",
    "latest_audit",
    "problem_type_streaks",
    "rotation_suggestions_for",
    "signals_home_panel",
]


def latest_audit() -> AuditRun | None:
    """The latest graveyard audit run, or None if none ran yet."""
    return latest_run()


def graveyard_findings_for(
    people: Iterable[Person] | QuerySet[Person], run: AuditRun | None = None
) -> dict[int, list[GraveyardFinding]]:
    """Each person's models among the findings of `run` (default: the latest run), by
    person id: the evidence behind their "work not used" signal. A model with two owners
    is in both lists. `people` may be a QuerySet (read as a subquery). Two queries."""
    run = run or latest_run()
    if run is None or (not isinstance(people, QuerySet) and not people):
        return {}
    # One row per (finding, owner among `people`): the ownership join of the filter is
    # reused by the annotation, so no prefetch and no list of ids goes back to the database.
    findings = (
        GraveyardFinding.objects.filter(run=run, model__ownerships__person__in=people)
        .annotate(owner_id=F("model__ownerships__person_id"))
        .select_related("model__problem_type")
        .order_by("trained_on", "pk")
    )
    found: dict[int, list[GraveyardFinding]] = defaultdict(list)
    for finding in findings:
        found[finding.owner_id].append(finding)
    return dict(found)


def assignment_history_for(people: Iterable[Person]) -> dict[int, list[Assignment]]:
    """Each person's assignments (problem type, project, from, to), oldest first."""
    return dict(assignments_by_person(people))


def problem_type_streaks(
    people: Iterable[Person] | QuerySet[Person], today: date | None = None
) -> dict[int, Streak]:
    """For each person on a current assignment: its problem type and how long they have
    been on it across consecutive assignments (the "not learning anymore" evidence).
    One query, read as tuples (a new project on the same problem type is no rotation)."""
    today = today or timezone.localdate()
    rows = (
        Assignment.objects.filter(engineer__in=people)
        .order_by("engineer_id", "started_on", "pk")
        .values_list(
            "engineer_id",
            "problem_type_id",
            "problem_type__name",
            "problem_type__order",
            "started_on",
            "ended_on",
        )
    )
    types: dict[int, ProblemType] = {}
    by_person: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for engineer_id, type_id, name, order, started_on, ended_on in rows:
        by_person[engineer_id].append((type_id, started_on, ended_on))
        if type_id not in types:
            types[type_id] = ProblemType(pk=type_id, name=name, order=order)
    streaks = {}
    for pk, history in by_person.items():
        current, since, ended_on = history[-1]
        if ended_on is not None:
            continue
        for type_id, started_on, _ in reversed(history[:-1]):
            if type_id != current:
                break
            since = started_on
        streaks[pk] = Streak(types[current], since, (today - since).days)
    return streaks


def rotation_suggestions_for(person: Person) -> list[ProblemType]:
    """Problem types the person has not worked on yet: what to rotate them to."""
    return rotation_suggestions(assignments_by_person([person]).get(person.pk, []))


def graveyard_rates_for(people: Iterable[Person], runs: int = 8) -> dict[int, RateSeries]:
    """Each person's graveyard rate over the last `runs` audits, by person id."""
    return person_rates(people, recent_runs(runs))


# --- signals on the home page (retention/signals.py) -----------------------------------

HOME_SIGNALS = 5


@dataclass(frozen=True)
class ActionRow:
    """One engineer on the home list: from the snapshot (record signals) or computed now."""

    person: Person
    level: str
    labels: list[str]


@dataclass(frozen=True)
class SignalsPanel:
    """The few engineers whose signals need action this week, for a manager's home."""

    needing_action: list[ActionRow]  # at medium or high, worst first
    as_of: datetime | None = None  # when the snapshot was taken; None: computed now
    note: str = ""
    template: str = "retention/_signal_home.html"


def signals_home_panel(
    person: Person, *, is_manager: bool, is_director: bool = False
) -> SignalsPanel | None:
    """For managers and directors: the engineers below them at medium or high, worst
    first, at most HOME_SIGNALS, in a constant number of queries.

    A director's line is read from the latest snapshot (record signals, which is all a
    director sees one by one anyway): the database sorts and cuts. A manager's reports,
    or a director's line before the first snapshot, are computed now, pulse included
    where the viewer is the 1:1 partner.
    """
    if not is_manager:
        return None
    # signals and dashboard read this module's functions: imported here, not at the top.
    from retention.dashboard import latest_snapshot, needing_action
    from retention.signals import LABELS, compute_signals, level_for

    below = Person.objects.below(person).filter(is_active=True)
    snapshot = latest_snapshot() if is_director else None
    if snapshot is not None:
        rows = needing_action(below, snapshot, limit=HOME_SIGNALS)
        return SignalsPanel(
            needing_action=[
                ActionRow(row.person, level_for(row.points), [LABELS[k] for k in row.kinds])
                for row in rows
            ],
            as_of=snapshot.taken_at,
        )
    people = list(below.select_related("team"))
    engineers = [e for e in compute_signals(people, viewer=person) if e.level != "low"]
    engineers.sort(key=lambda e: (-e.points, e.person.name))
    return SignalsPanel(
        needing_action=[ActionRow(e.person, e.level, e.labels) for e in engineers[:HOME_SIGNALS]],
        note="No signals snapshot has been taken yet: these are computed now."
        if is_director
        else "",
    )
