"""What the bench builds and which pages it measures: the lists later apps append to.

A builder fills in one app's data for the large org (`<app>/bench.py`); it runs
after the org exists, in list order, inside one transaction. A page is a URL per
role; its budget is a multiple of the floor's p95 (ORG_WIDE for the pages that
show the whole org to that role). Every page is measured for each of its roles
at the demo org (seed_demo) and at the large org, whose casts are below.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from tqdm import tqdm

from accounts.bench import BenchOrg
from accounts.demo import LOGINS
from accounts.models import Person
from calibration.bench import build_calibration_bench
from calibration.models import CalibrationCycle, CycleMember
from growth import demo as growth_demo
from growth.bench import build_growth_bench
from growth.models import QuarterlyReview
from home.bench.jobs import (
    JobMeasure,
    measure_graveyard_job,
    measure_reminder_job,
    measure_snapshot_job,
)
from one_on_ones.bench import build_one_on_ones_bench
from one_on_ones.models import OneOnOne
from retention.bench import build_retention_bench

PAGE_BUDGET = 10  # × the floor's p95
ORG_WIDE_BUDGET = 20
ROLES = ("engineer", "manager", "director", "admin")
LINE = ("engineer", "manager", "director")  # the engineer and those above them


@dataclass(frozen=True)
class Builder:
    name: str
    version: int  # bump when the data it builds changes: the bench rebuilds
    build: Callable[[BenchOrg, random.Random, tqdm], None]


BUILDERS: list[Builder] = [
    Builder("growth", 1, lambda org, rng, bar: build_growth_bench(org, rng=rng, bar=bar)),
    Builder("one_on_ones", 1, lambda org, rng, bar: build_one_on_ones_bench(org, rng=rng, bar=bar)),
    Builder("calibration", 1, lambda org, rng, bar: build_calibration_bench(org, rng=rng, bar=bar)),
    Builder("retention", 2, lambda org, rng, bar: build_retention_bench(org, rng=rng, bar=bar)),
]


@dataclass(frozen=True)
class Cast:
    """Who signs in for each role; every page is about `engineer`."""

    engineer: Person
    manager: Person
    director: Person
    admin: Person

    def as_role(self, role: str) -> Person:
        return getattr(self, role)


def demo_cast() -> Cast:
    """The demo org's people (seed_demo): the engineer with two past reviews, and above."""
    by_role = {login.role.split()[0]: login.email for login in LOGINS}
    engineer = Person.objects.select_related("manager").get(email=growth_demo.REVIEWED)
    assert engineer.manager is not None
    return Cast(
        engineer=engineer,
        manager=engineer.manager,
        director=Person.objects.get(email=by_role["director"]),
        admin=Person.objects.get(email=by_role["admin"]),
    )


def large_cast(org: BenchOrg) -> Cast:
    # The head is the director: every org-wide page at its largest.
    return Cast(engineer=org.engineer, manager=org.manager, director=org.head, admin=org.admin)


def _reviews(cast: Cast) -> list[int]:
    reviews = QuarterlyReview.objects.filter(plan__engineer=cast.engineer).order_by("submitted_at")
    return list(reviews.values_list("pk", flat=True))


def _latest_one_on_one(cast: Cast) -> int:
    """The engineer's latest 1:1 held with their manager (a planned one is ahead)."""
    held = OneOnOne.objects.filter(
        pair__manager=cast.manager, pair__engineer=cast.engineer, date__lte=timezone.localdate()
    )
    pk = held.order_by("-date").values_list("pk", flat=True).first()
    assert pk is not None, f"{cast.engineer} has no 1:1 with {cast.manager}"
    return pk


def _calibrating_cycle(cast: Cast) -> int:
    """The cycle the director is calibrating: their session grid."""
    cycles = CalibrationCycle.objects.filter(
        director=cast.director, state=CalibrationCycle.State.CALIBRATING
    )
    pk = cycles.order_by("-period_end", "-pk").values_list("pk", flat=True).first()
    assert pk is not None, f"{cast.director} is calibrating no cycle"
    return pk


def _published_member(cast: Cast) -> int:
    """The engineer in their latest published cycle: their results page."""
    members = CycleMember.objects.filter(
        engineer=cast.engineer, cycle__state=CalibrationCycle.State.PUBLISHED
    )
    pk = members.order_by("-cycle__period_end", "-pk").values_list("pk", flat=True).first()
    assert pk is not None, f"{cast.engineer} is in no published cycle"
    return pk


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Cast], str]
    roles: tuple[str, ...]
    org_wide: tuple[str, ...] = ()  # roles that see the whole org on it

    def budget(self, role: str) -> int:
        return ORG_WIDE_BUDGET if role in self.org_wide else PAGE_BUDGET


def _person_url(name: str) -> Callable[[Cast], str]:
    return lambda cast: reverse(name, args=[cast.engineer.pk])


# The floor: every budget is a multiple of its p95.
FLOOR = Page("floor", lambda cast: reverse("home:floor"), ("engineer",))

PAGES: list[Page] = [
    Page("home", lambda cast: reverse("home"), ROLES, org_wide=("director",)),
    Page("org chart", lambda cast: reverse("accounts:org_chart"), ROLES, org_wide=ROLES),
    Page("profile", _person_url("home:person_detail"), LINE),
    Page("plan", _person_url("growth:plan_detail"), LINE),
    Page("plan history", _person_url("growth:plan_history"), LINE),
    Page(
        "review",
        lambda cast: reverse("growth:review_detail", args=[_reviews(cast)[-1]]),
        LINE,
    ),
    Page(
        "compare",
        lambda cast: (
            reverse("growth:review_compare", args=[cast.engineer.pk])
            + f"?a={_reviews(cast)[0]}&b=current"
        ),
        LINE,
    ),
    Page("ladder", lambda cast: reverse("growth:ladder"), ROLES),
    Page("1:1 list", lambda cast: reverse("one_on_ones:list"), ("manager",)),
    Page("1:1 pair", _person_url("one_on_ones:pair"), ("engineer", "manager")),
    Page(
        "1:1",
        lambda cast: reverse("one_on_ones:detail", args=[_latest_one_on_one(cast)]),
        ("engineer", "manager"),
    ),
    Page(
        "calibration session",
        lambda cast: reverse("calibration:session", args=[_calibrating_cycle(cast)]),
        ("director",),
        org_wide=("director",),
    ),
    Page(
        "calibration results",
        lambda cast: reverse("calibration:results", args=[_published_member(cast)]),
        ("engineer",),
    ),
    # The manager's team's models and the graveyard (the latest of six audits, rates per
    # team over all six); the audit itself runs inside the retention builder.
    Page(
        "team models",
        lambda cast: reverse("retention:model_list") + f"?team={cast.manager.team_id or ''}",
        ("manager", "director"),
    ),
    Page(
        "graveyard",
        lambda cast: reverse("retention:graveyard"),
        ("manager", "director"),
        org_wide=("director",),
    ),
    Page("job health", lambda cast: reverse("notifications:job_health"), ("director", "admin")),
    Page(
        "retention signals",
        lambda cast: reverse("retention:dashboard"),
        ("manager", "director"),
        org_wide=("director",),
    ),
    # The dashboard's pulse figures come by a request of their own (htmx loads them into
    # the page); measured here as their no-JavaScript link, a page of their own.
    Page(
        "retention pulse",
        lambda cast: reverse("retention:dashboard") + "?pulse=1",
        ("manager", "director"),
        org_wide=("director",),
    ),
]

# Scheduled jobs at size, each run once after the pages: its time and query count
# (the job builds its own data and rolls it back).
JOBS: list[Callable[..., JobMeasure]] = [  # each called with engineers=N
    measure_reminder_job,
    measure_graveyard_job,
    measure_snapshot_job,
]
