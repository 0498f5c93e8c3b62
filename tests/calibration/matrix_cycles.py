"""Permission matrix cases for calibration cycles: the list, opening one, its page,
drafting, locking, results and the export; and the builders tests/calibration share.

Dana (director) runs the cycle; Mara rates Eli (the person) and Priya; Omar rates Sam.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from calibration import services
from calibration.models import CalibrationCycle, Contribution, CycleMember, Dimension, WorkItem
from calibration.services import ContributorInput
from tests.matrix import SIGNED_IN, Case, statuses

State = CalibrationCycle.State
JUSTIFICATION = "Wrote the hypothesis down first and fixed seeds across the compared runs."

# --- builders ------------------------------------------------------------------------------


def period() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=180), today


def open_dana_cycle(org: SimpleNamespace, name: str = "H1") -> CalibrationCycle:
    """Dana's cycle over her whole line; the one already open if there is one (the matrix
    guard builds several cases' objects in one database)."""
    current = CalibrationCycle.objects.filter(director=org.director).exclude(state=State.PUBLISHED)
    start, end = period()
    org.cycle = current.first() or services.open_cycle(
        director=org.director, name=name, period_start=start, period_end=end
    )
    return org.cycle


def work_item(
    org: SimpleNamespace,
    *,
    engineer=None,
    title: str = "Seed variance study",
    result: str = WorkItem.Result.NEGATIVE,
    days_ago: int = 30,
) -> WorkItem:
    person = engineer or org.engineer
    return services.add_work_item(
        actor=person.manager,
        kind=WorkItem.Kind.EXPERIMENT,
        title=title,
        day=timezone.localdate() - timedelta(days=days_ago),
        result=result,
        contributors=[ContributorInput(person, Contribution.Role.DESIGNED)],
    )


def applicable(member: CycleMember) -> list[Dimension]:
    return [d for d in Dimension.objects.all() if d.applies_to(member.engineer.level)]


def rate_all(member: CycleMember, items: list[WorkItem], score: int = 3) -> None:
    """Rate every dimension of the engineer's level not rated yet."""
    rated = set(member.ratings.values_list("dimension_id", flat=True))
    for dimension in applicable(member):
        if dimension.pk in rated:
            continue
        services.save_draft_rating(
            member=member,
            actor=member.manager,
            dimension=dimension,
            score=score,
            justification=JUSTIFICATION,
            evidence=items,
        )


def eli_member(org: SimpleNamespace) -> CycleMember:
    return org.cycle.members.select_related("cycle", "engineer", "manager").get(
        engineer=org.engineer
    )


def publish(org: SimpleNamespace) -> None:
    if org.cycle.state == State.DRAFTING:
        services.advance_cycle(cycle=org.cycle, actor=org.director, to=State.CALIBRATING)
    services.advance_cycle(cycle=org.cycle, actor=org.director, to=State.PUBLISHED)


# --- URL kwargs and POST bodies ------------------------------------------------------------


def the_cycle(org: SimpleNamespace) -> dict:
    return {"cycle_id": open_dana_cycle(org).pk}


def a_published_cycle(org: SimpleNamespace) -> dict:
    open_dana_cycle(org)
    rate_all(eli_member(org), [work_item(org)])
    publish(org)
    return {"cycle_id": org.cycle.pk}


def eli_draft(org: SimpleNamespace) -> dict:
    open_dana_cycle(org)
    org.member = eli_member(org)
    org.item = work_item(org)
    org.dimension = applicable(org.member)[0]
    return {"member_id": org.member.pk}


def eli_draft_dimension(org: SimpleNamespace) -> dict:
    return {**eli_draft(org), "dimension_id": org.dimension.pk}


def eli_rated(org: SimpleNamespace) -> dict:
    kwargs = eli_draft(org)
    rate_all(org.member, [org.item])
    return kwargs


def eli_published(org: SimpleNamespace) -> dict:
    kwargs = eli_rated(org)
    publish(org)
    return kwargs


def rating_data(org: SimpleNamespace) -> dict:
    prefix = f"d{org.dimension.pk}"
    return {
        f"{prefix}-score": "3",
        f"{prefix}-justification": JUSTIFICATION,
        f"{prefix}-evidence": [str(org.item.pk)],
    }


def new_cycle_data(org: SimpleNamespace) -> dict:
    start, end = period()
    return {"name": "H2", "period_start": start.isoformat(), "period_end": end.isoformat()}


# Who sees a cycle's page: its director and the managers with people in it.
CYCLE_PAGE = statuses(404, director=200, manager=200, other_manager=200)
# Drafts: the rating manager and the director read them; the engineer sees their own
# membership but not its drafts (403); nobody else knows of it (404).
DRAFT_READERS = statuses(404, manager=200, director=200, person=403)
DRAFT_WRITES = statuses(404, manager=302, director=403, person=403)
# Results, once published: the engineer and their reporting line.
RESULTS = statuses(404, person=200, manager=200, director=200)

CASES = [
    Case("calibration:cycle_list", SIGNED_IN),
    Case("calibration:cycle_new", statuses(403, director=200, other_director=200)),
    Case(
        "calibration:cycle_new",
        statuses(403, director=302, other_director=302),
        method="post",
        data=new_cycle_data,
    ),
    Case("calibration:cycle_detail", CYCLE_PAGE, kwargs=the_cycle),
    Case("calibration:cycle_detail", CYCLE_PAGE, kwargs=a_published_cycle, label="published"),
    Case(
        "calibration:cycle_advance",
        statuses(404, director=302, manager=403, other_manager=403),
        kwargs=the_cycle,
        method="post",
        data=lambda org: {"to": State.CALIBRATING},
    ),
    Case(
        "calibration:cycle_export",
        statuses(404, director=200, manager=403, other_manager=403),
        kwargs=the_cycle,
    ),
    Case("calibration:cycle_export", CYCLE_PAGE, kwargs=a_published_cycle, label="published"),
    Case("calibration:draft", DRAFT_READERS, kwargs=eli_draft),
    Case("calibration:draft", DRAFT_READERS, kwargs=eli_published, label="published"),
    Case(
        "calibration:draft_save",
        DRAFT_WRITES,
        kwargs=eli_draft_dimension,
        method="post",
        data=rating_data,
    ),
    Case("calibration:draft_lock", DRAFT_WRITES, kwargs=eli_rated, method="post"),
    Case("calibration:results", RESULTS, kwargs=eli_published),
    Case("calibration:results", statuses(404), kwargs=eli_rated, label="drafting"),
]
