"""services.draft_ratings: a first draft of every dimension for one engineer in one save
(and optionally locked), refusing exactly what save_draft_rating refuses, saving nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calibration import rules, services
from calibration.models import Contribution, CycleMember, Dimension, Rating, WorkItem
from calibration.services import ContributorInput, DraftInput

AT = datetime(2026, 7, 3, 10, tzinfo=UTC)


@pytest.fixture
def dimensions(db) -> list[Dimension]:
    Dimension.objects.all().delete()
    return [
        Dimension.objects.create(key="design", name="Experiment design", description="d"),
        Dimension.objects.create(key="evidence", name="Evidence", description="e", order=1),
        # Not rated at junior (the engineer's level): like leverage below Senior.
        Dimension.objects.create(
            key="leverage",
            name="Leverage",
            description="l",
            order=2,
            weight_junior=0,
            weight_mid=0,
        ),
    ]


@pytest.fixture
def member(org, dimensions) -> CycleMember:
    cycle = services.open_cycle(
        director=org.director,
        name="H1",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
    )
    return cycle.members.select_related("engineer", "cycle").get(engineer=org.engineer)


def _item(org, person=None, day=date(2026, 5, 1), result="negative") -> WorkItem:
    return services.add_work_item(
        actor=org.manager,
        kind=WorkItem.Kind.EXPERIMENT,
        title="Seed study",
        day=day,
        result=result,
        contributors=[ContributorInput(person or org.engineer, Contribution.Role.DESIGNED)],
    )


def _drafts(dimensions, evidence, score=3) -> list[DraftInput]:
    return [
        DraftInput(d, score, f"Isolated one variable ({d.name})", evidence)
        for d in dimensions
        if d.key != "leverage"
    ]


def test_every_dimension_in_one_save_and_locked(org, dimensions, member):
    items = [_item(org), _item(org, result="positive")]

    with CaptureQueriesContext(connection) as queries:
        ratings = services.draft_ratings(
            member=member,
            actor=org.manager,
            drafts=_drafts(dimensions, items),
            lock=True,
            at=AT,
        )

    assert [r.dimension.key for r in ratings] == ["design", "evidence"]
    for rating in Rating.objects.filter(member=member):
        assert (rating.draft_score, rating.final_score) == (3, 3)
        assert set(rating.evidence.all()) == set(items)
        assert rating.updated_at == AT and not rating.changed_after_results
    member.refresh_from_db()
    assert member.locked_at == AT
    # The same few queries however many dimensions: the demo seeds 300 ratings with it.
    assert len(queries) < 20


def test_without_lock_the_draft_stays_open(org, dimensions, member):
    services.draft_ratings(
        member=member, actor=org.manager, drafts=_drafts(dimensions, [_item(org)])
    )

    member.refresh_from_db()
    assert member.locked_at is None
    assert rules.results_hidden_from(org.manager)


def test_locking_needs_every_applicable_dimension(org, dimensions, member):
    with pytest.raises(ValidationError, match="Rate every dimension"):
        services.draft_ratings(
            member=member,
            actor=org.manager,
            drafts=_drafts(dimensions, [_item(org)])[:1],
            lock=True,
        )
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d, item, other: [DraftInput(d[0], 5, "j", [item])], "score"),
        (lambda d, item, other: [DraftInput(d[0], 0, "j", [item])], "score"),
        (lambda d, item, other: [DraftInput(d[0], 3, "  ", [item])], "justification"),
        (lambda d, item, other: [DraftInput(d[0], 3, "j", [])], "evidence"),
        (lambda d, item, other: [DraftInput(d[2], 3, "j", [item])], "dimension"),
        (
            lambda d, item, other: [
                DraftInput(d[0], 3, "j", [item]),
                DraftInput(d[0], 2, "j", [item]),
            ],
            "dimension",
        ),
        # Evidence that does not involve the engineer, on the second dimension only.
        (
            lambda d, item, other: [
                DraftInput(d[0], 3, "j", [item]),
                DraftInput(d[1], 3, "j", [other]),
            ],
            "evidence",
        ),
    ],
)
def test_bad_input_saves_nothing(org, dimensions, member, change, field):
    item, others = _item(org), _item(org, person=org.peer)

    with pytest.raises(ValidationError) as error:
        services.draft_ratings(
            member=member, actor=org.manager, drafts=change(dimensions, item, others)
        )

    assert field in error.value.message_dict
    assert not Rating.objects.exists()


def test_evidence_outside_the_period_is_refused(org, dimensions, member):
    late = _item(org, day=date(2026, 8, 1))

    with pytest.raises(ValidationError, match="outside the cycle's period"):
        services.draft_ratings(member=member, actor=org.manager, drafts=_drafts(dimensions, [late]))
    assert not Rating.objects.exists()


def test_only_the_engineers_manager_while_drafting(org, dimensions, member):
    drafts = _drafts(dimensions, [_item(org)])
    for someone in (org.director, org.other_manager, org.engineer):
        with pytest.raises(PermissionDenied):
            services.draft_ratings(member=member, actor=someone, drafts=drafts)
    assert not Rating.objects.exists()


def test_not_over_existing_ratings_nor_a_locked_draft(org, dimensions, member):
    item = _item(org)
    services.save_draft_rating(
        member=member,
        actor=org.manager,
        dimension=dimensions[0],
        score=2,
        justification="j",
        evidence=[item],
    )
    with pytest.raises(ValidationError, match="Already rated"):
        services.draft_ratings(member=member, actor=org.manager, drafts=_drafts(dimensions, [item]))

    services.draft_ratings(
        member=member, actor=org.manager, drafts=_drafts(dimensions, [item])[1:], lock=True
    )
    with pytest.raises(ValidationError, match="locked"):
        services.draft_ratings(
            member=member,
            actor=org.manager,
            drafts=[DraftInput(dimensions[1], 4, "j", [item])],
        )
    assert Rating.objects.get(member=member, dimension=dimensions[0]).draft_score == 2
