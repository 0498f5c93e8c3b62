"""What growth offers the pages that gather several apps (home/).

The only growth module other apps may import (import-linter keeps it so): each
function takes people already fetched and answers in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accounts.models import Person
from growth.models import Transition
from growth.selectors import ReviewAlerts, reviews_needing_attention
from growth.stagnation import Stagnation, assess_stagnation


def next_transition(person: Person) -> Transition | None:
    """The transition in front of the person, read from the ladder admins edit."""
    return Transition.objects.filter(from_level=person.level).first()


@dataclass(frozen=True)
class GrowthPanel:
    """The home page's growth data for one person."""

    next_transition: Transition | None
    review_alerts: ReviewAlerts
    template: str = "growth/_home_reviews.html"


def home_panel(person: Person, *, is_manager: bool) -> GrowthPanel:
    """Next transition; quarterly reviews due: the person's own and, for a manager, their
    direct reports'."""
    return GrowthPanel(
        next_transition=next_transition(person),
        review_alerts=reviews_needing_attention(
            engineer=person, manager=person if is_manager else None
        ),
    )


def stagnation_by_person(people: Sequence[Person]) -> dict[int, Stagnation | None]:
    """Stagnation beside each name a manager sees (a signal for them to act on)."""
    return assess_stagnation(people)
