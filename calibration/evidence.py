"""Reads for the evidence pages: work items with who did what, and attribution by role.

Contributions are a person's data: a viewer sees those of people in their
reporting line, and only a count of the rest ("2 more by people outside your
reporting line"), even on a work item they can see through another contributor.
Each function answers in a fixed number of queries, whatever it lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import Person
from calibration.models import Contribution, WorkItem

Role = Contribution.Role


@dataclass(frozen=True)
class Evidence:
    """A work item and its contributions as the viewer may see them."""

    item: WorkItem
    contributions: list[Contribution]  # by people in the viewer's reporting line
    others: int  # contributions by people outside it: counted, never shown


def with_contributions(items: QuerySet[WorkItem], viewer: Person) -> QuerySet[WorkItem]:
    """Prefetch the contributions the viewer may see (two queries when evaluated)."""
    shown = Contribution.objects.visible_to(viewer).select_related("person").order_by("pk")
    counted = items.annotate(contribution_count=Count("contributions", distinct=True))
    return counted.prefetch_related(Prefetch("contributions", queryset=shown, to_attr="shown"))


def evidence_of(items: Iterable[WorkItem]) -> list[Evidence]:
    """Rows for work items fetched through `with_contributions`."""
    rows = []
    for item in items:
        # Set by with_contributions: the prefetched list and the count of all contributions.
        shown = sorted(item.shown, key=_by_role)  # type: ignore[attr-defined]
        total: int = item.contribution_count  # type: ignore[attr-defined]
        rows.append(Evidence(item, shown, total - len(shown)))
    return rows


ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


def _by_role(contribution: Contribution) -> tuple[int, str]:
    """Who did what, in the order of the work: designed, found, built, ran, analysed, wrote."""
    return ROLE_ORDER[contribution.role], contribution.person.name


@dataclass(frozen=True)
class RoleGroup:
    role: str
    label: str
    contributions: list[Contribution]

    @property
    def credited_share(self) -> int:
        """The sum of the shares stated in this role (contributions without one count 0)."""
        return sum(c.share or 0 for c in self.contributions)


@dataclass(frozen=True)
class Attribution:
    """One person's contributions in a period, grouped by role: who gets the credit."""

    person: Person
    start: date
    end: date
    groups: list[RoleGroup]  # in the order of Contribution.Role; empty roles left out

    @property
    def contribution_count(self) -> int:
        return sum(len(g.contributions) for g in self.groups)

    @property
    def work_item_count(self) -> int:
        return len({c.work_item_id for g in self.groups for c in g.contributions})

    @property
    def unconfirmed(self) -> int:
        return sum(1 for g in self.groups for c in g.contributions if c.confirmed_at is None)


def attribution_of(person: Person, *, start: date, end: date) -> Attribution:
    """Every contribution of `person` to work dated in [start, end], grouped by role (one
    query). The caller has checked the person is in the viewer's reporting line."""
    contributions = (
        Contribution.objects.filter(person=person, work_item__date__range=(start, end))
        .select_related("work_item")
        .order_by("-work_item__date", "-work_item_id")
    )
    by_role: dict[str, list[Contribution]] = {}
    for contribution in contributions:
        contribution.person = person  # already fetched
        by_role.setdefault(contribution.role, []).append(contribution)
    groups = [
        RoleGroup(role=value, label=str(label), contributions=by_role[value])
        for value, label in Role.choices
        if value in by_role
    ]
    return Attribution(person=person, start=start, end=end, groups=groups)
