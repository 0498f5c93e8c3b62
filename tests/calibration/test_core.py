"""The calibration core: a cycle from drafting to published through the services."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from calibration import rules, services
from calibration.models import CalibrationCycle, Contribution, Dimension, RatingChange, WorkItem
from calibration.services import ContributorInput


@pytest.fixture
def dimension(db):
    Dimension.objects.all().delete()
    return Dimension.objects.create(key="design", name="Experiment design", description="d")


def _item(org, result="negative", day=date(2026, 5, 1)):
    return services.add_work_item(
        actor=org.manager,
        kind=WorkItem.Kind.EXPERIMENT,
        title="Seed study",
        day=day,
        result=result,
        contributors=[ContributorInput(org.engineer, Contribution.Role.DESIGNED)],
    )


def test_a_cycle_from_drafting_to_published(org, dimension):
    cycle = services.open_cycle(
        director=org.director,
        name="H1",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
    )
    member = cycle.members.get(engineer=org.engineer)
    assert member.manager == org.manager
    item = _item(org)
    assert rules.results_hidden_from(org.manager)

    rating = services.save_draft_rating(
        member=member,
        actor=org.manager,
        dimension=dimension,
        score=3,
        justification="Isolated one variable per run",
        evidence=[item],
    )
    services.lock_draft(member=member, actor=org.manager)
    assert (
        not rules.results_hidden_from(org.manager)
        or cycle.members.filter(manager=org.manager, locked_at__isnull=True).exists()
    )
    with pytest.raises(ValidationError):
        services.save_draft_rating(
            member=member,
            actor=org.manager,
            dimension=dimension,
            score=2,
            justification="x",
            evidence=[item],
        )
    services.advance_cycle(cycle=cycle, actor=org.director, to=CalibrationCycle.State.CALIBRATING)
    services.change_in_session(rating=rating, actor=org.director, score=2, reason="Compared")
    services.advance_cycle(cycle=cycle, actor=org.director, to=CalibrationCycle.State.PUBLISHED)

    rating.refresh_from_db()
    assert (rating.draft_score, rating.final_score) == (3, 2)
    assert RatingChange.objects.get().reason == "Compared"
    with pytest.raises(ValidationError):
        services.advance_cycle(cycle=cycle, actor=org.director, to=CalibrationCycle.State.DRAFTING)


def test_evidence_must_be_in_period_and_involve_the_engineer(org, dimension):
    cycle = services.open_cycle(
        director=org.director,
        name="H1",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
    )
    member = cycle.members.get(engineer=org.engineer)
    late = _item(org, day=date(2026, 8, 1))
    with pytest.raises(ValidationError):
        services.save_draft_rating(
            member=member,
            actor=org.manager,
            dimension=dimension,
            score=3,
            justification="j",
            evidence=[late],
        )
    with pytest.raises(PermissionDenied):
        services.save_draft_rating(
            member=member,
            actor=org.director,
            dimension=dimension,
            score=3,
            justification="j",
            evidence=[_item(org)],
        )


def test_overlapping_cycles_for_the_same_people_are_refused(org):
    services.open_cycle(
        director=org.director,
        name="H1",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
    )
    with pytest.raises(ValidationError):
        services.open_cycle(
            director=org.manager,
            name="Q2",
            period_start=date(2026, 4, 1),
            period_end=date(2026, 6, 30),
        )
