"""The demo's 1:1 history (one_on_ones/demo.py) tells the stories it promises.

Seeding is a few thousand service calls, so each test seeds once and reads several
things (seeding twice is tests/home/test_seed_demo.py's).
"""

from __future__ import annotations

from statistics import mean

import pytest
from django.utils import timezone

from accounts.demo import seed_demo_org
from accounts.models import Person
from one_on_ones.demo import (
    DIRECTION_CONCERNS,
    DOUBTING_MANAGER,
    FLAGGED,
    LAPSED,
    LEARNING_FALLS,
    MANAGER_LED,
    STUCK_ACTION,
    seed_one_on_ones_demo,
)
from one_on_ones.models import ActionItem, OneOnOne, Pair, PrivateNote, Pulse
from one_on_ones.selectors import agenda_ownership, cadence_gaps, pulse_history

pytestmark = pytest.mark.django_db

DEMO_MANAGER = "manager@example.com"


@pytest.fixture
def people() -> dict[str, Person]:
    people = seed_demo_org().people
    assert seed_one_on_ones_demo(people) == 13  # Priya's 7 reports and Keiko's 6
    return people


def test_demo_tells_its_stories(people):
    priya = people[DEMO_MANAGER]

    # Rahul's "am I learning?" falls over the year; Leo's holds.
    rahul = [
        p.learning for p in pulse_history(people[LEARNING_FALLS], viewer=people[LEARNING_FALLS])
    ]
    leo = [p.learning for p in pulse_history(people[FLAGGED], viewer=people[FLAGGED])]
    assert len(rahul) >= 24
    assert mean(rahul[:6]) - mean(rahul[-6:]) >= 2
    assert abs(mean(leo[:6]) - mean(leo[-6:])) < 1

    # The Evals team doubts the direction lately, and three of them said why.
    evals = Pulse.objects.filter(one_on_one__pair__manager__email=DOUBTING_MANAGER)
    first, latest = (
        evals.order_by("one_on_one__date")[:6],
        evals.order_by("-one_on_one__date")[:6],
    )
    assert mean(p.direction for p in first) >= 3.5
    assert mean(p.direction for p in latest) <= 2.5
    concerns = Pulse.objects.exclude(direction_concern="")
    assert sorted(concerns.values_list("direction_concern", flat=True)) == sorted(
        DIRECTION_CONCERNS
    )
    assert {p.one_on_one.pair.manager.email for p in concerns} == {DOUBTING_MANAGER}

    # One action item carried more than three times: Priya's, owed to Leo.
    flagged = [item for item in ActionItem.objects.open() if item.is_flagged]
    assert [(i.text, i.owner, i.one_on_one.pair.engineer) for i in flagged] == [
        (STUCK_ACTION, priya, people[FLAGGED])
    ]

    # Hannah's 1:1s lapsed: the only gap on Priya's home page.
    gaps = cadence_gaps(priya, direct_reports_only=True)
    assert [g.engineer for g in gaps] == [people[LAPSED]]
    assert gaps[0].days_since is not None and gaps[0].days_since > 3 * 14

    # The engineers own their agendas, except Chen's, which Priya sets.
    owned_by_manager = {
        pair.engineer.email
        for pair in Pair.objects.select_related("engineer")
        if agenda_ownership(pair).manager_owns_it
    }
    assert owned_by_manager == {MANAGER_LED}

    # Everyone but Hannah has their next 1:1 planned (the calendar feed lists it).
    planned = OneOnOne.objects.filter(pair__manager=priya, date__gt=timezone.localdate())
    assert sorted(planned.values_list("pair__engineer__email", flat=True)) == sorted(
        email for email, p in people.items() if p.manager == priya and email != LAPSED
    )


def test_demo_private_notes_are_the_managers_and_reach_their_author_only(people):
    priya, keiko = people[DEMO_MANAGER], people[DOUBTING_MANAGER]

    assert PrivateNote.objects.count() == 0  # the default manager reaches nothing
    priyas = list(PrivateNote.objects.by(priya).values_list("body", flat=True))
    assert len(priyas) >= 20
    assert any("rotation to serving" in body for body in priyas)
    assert PrivateNote.objects.by(keiko).exists()
    everyone_else = [p for p in people.values() if p not in (priya, keiko)]
    assert not any(PrivateNote.objects.by(person).exists() for person in everyone_else)
