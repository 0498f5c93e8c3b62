"""Reads several pages (and retention, through one_on_ones/panels.py) share.

Each answers in a fixed number of queries, whatever the number of people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Person
from one_on_ones.models import GAP_PERIODS, AgendaItem, Cadence, OneOnOne, Pair, Pulse

OWNERSHIP_WINDOW = 10  # the last ten 1:1s of a pair


@dataclass(frozen=True)
class CadenceGap:
    """A manager and report whose last 1:1 is older than GAP_PERIODS × their cadence."""

    engineer: Person
    manager_id: int
    cadence_days: int
    last: date | None  # None: no 1:1 yet

    @property
    def days_since(self) -> int | None:
        return None if self.last is None else (timezone.localdate() - self.last).days

    @property
    def rule(self) -> str:
        return (
            f"No 1:1 for more than {GAP_PERIODS} × the expected cadence "
            f"({GAP_PERIODS * self.cadence_days} days)."
        )


def cadence_gaps(
    viewer: Person,
    *,
    direct_reports_only: bool = False,
    today: date | None = None,
    among: Iterable[int] | None = None,
) -> list[CadenceGap]:
    """Every current manager–report pair in the viewer's scope whose 1:1s have lapsed
    (only those of the people whose ids are `among`, when given: one page of a list).

    One query: each active person below the viewer with their current manager's
    pair cadence and their latest held 1:1 with that manager. A report who never
    had a 1:1 counts as lapsed once they have been with the manager for the gap.
    """
    today = today or timezone.localdate()
    pair = Pair.objects.filter(engineer=OuterRef("pk"), manager=OuterRef("manager_id"))
    last = (
        OneOnOne.objects.filter(
            pair__engineer=OuterRef("pk"), pair__manager=OuterRef("manager_id"), date__lte=today
        )
        .values("pair")
        .annotate(last=Max("date"))
        .values("last")
    )
    below = Person.objects.below(viewer)
    scope = below.filter(manager=viewer) if direct_reports_only else below
    if among is not None:
        scope = scope.filter(pk__in=among)
    people = (
        scope.filter(is_active=True, manager__is_active=True)
        .annotate(
            cadence_days=Coalesce(
                Subquery(pair.values("cadence")[:1], output_field=IntegerField()),
                Cadence.FORTNIGHTLY.value,
            ),
            pair_since=Subquery(pair.values("created_at")[:1]),
            last_one_on_one=Subquery(last[:1]),
        )
        .select_related("manager")
        .order_by("manager__name", "name")
    )
    gaps = []
    for person in people:
        horizon = today - timedelta(days=GAP_PERIODS * person.cadence_days)
        last_day = person.last_one_on_one
        if last_day is not None:
            lapsed = last_day < horizon
        else:
            since = person.pair_since.date() if person.pair_since else person.level_since
            lapsed = since < horizon
        if lapsed:
            manager_id = person.manager_id
            assert manager_id is not None  # filtered on manager__is_active above
            gaps.append(CadenceGap(person, manager_id, person.cadence_days, last_day))
    return gaps


@dataclass(frozen=True)
class Ownership:
    by_engineer: int
    by_manager: int

    @property
    def total(self) -> int:
        return self.by_engineer + self.by_manager

    @property
    def manager_share(self) -> float:
        return self.by_manager / self.total if self.total else 0.0

    @property
    def manager_owns_it(self) -> bool:
        """The manager added more than half: the engineer should own the agenda."""
        return self.manager_share > 0.5


def agenda_ownership(pair: Pair) -> Ownership:
    """Who added the agenda items of the pair's last ten 1:1s (one query)."""
    recent = OneOnOne.objects.filter(pair=pair).values("pk")[:OWNERSHIP_WINDOW]
    counts = AgendaItem.objects.filter(one_on_one__in=Subquery(recent)).aggregate(
        by_engineer=Count("pk", filter=Q(added_by=pair.engineer_id)),
        by_manager=Count("pk", filter=Q(added_by=pair.manager_id)),
    )
    return Ownership(counts["by_engineer"], counts["by_manager"])


@dataclass(frozen=True)
class PulsePoint:
    day: date
    learning: int
    work_used: int
    direction: int


def pulse_history(engineer: Person, *, viewer: Person, days: int = 365) -> list[PulsePoint]:
    """The engineer's pulse answers over the last year that `viewer` may read, oldest
    first (one query): the pair's own, never a new manager's without consent."""
    since = timezone.localdate() - timedelta(days=days)
    rows = (
        Pulse.objects.visible_to(viewer)
        .filter(one_on_one__pair__engineer=engineer, one_on_one__date__gte=since)
        .order_by("one_on_one__date")
        .values_list("one_on_one__date", "learning", "work_used", "direction")
    )
    return [PulsePoint(*row) for row in rows]
