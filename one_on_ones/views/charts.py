"""The pulse trends as small inline SVG charts: points computed here, drawn by the template.

No chart library and no script (the CSP allows neither): a polyline per question,
a dot per answer, and a sentence plus a table for people who cannot see the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Person
from one_on_ones.models import Pulse
from one_on_ones.selectors import PulsePoint

WIDTH, HEIGHT, PAD = 240, 80, 8
DAYS = 365


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    day: date
    score: int


@dataclass(frozen=True)
class Trend:
    key: str
    question: str
    dots: list[Dot]

    @property
    def points(self) -> str:
        return " ".join(f"{dot.x},{dot.y}" for dot in self.dots)

    @property
    def summary(self) -> str:
        """The chart in words (its text alternative, beside the table of answers)."""
        if not self.dots:
            return "No answers in the last year."
        scores = [dot.score for dot in self.dots]
        average = sum(scores) / len(scores)
        answers = "1 answer" if len(scores) == 1 else f"{len(scores)} answers"
        return (
            f"{answers} in the last year, from {scores[0]} to {scores[-1]} "
            f"(1 no, 5 yes), average {average:.1f}."
        )


def _y(score: int) -> float:
    return round(HEIGHT - PAD - (score - 1) * (HEIGHT - 2 * PAD) / 4, 1)


def _x(day: date, since: date) -> float:
    return round(PAD + (day - since).days * (WIDTH - 2 * PAD) / DAYS, 1)


def pulse_points(viewer: Person, engineer: Person) -> list[PulsePoint]:
    """The engineer's answers over the last year that the viewer may read, oldest first.

    Scoped like every other piece of 1:1 content: a new manager sees the answers
    given to an earlier manager only while the engineer agrees (one query).
    """
    today = timezone.localdate()
    rows = (
        Pulse.objects.visible_to(viewer)
        .filter(
            one_on_one__pair__engineer=engineer,
            one_on_one__date__gt=today - timedelta(days=DAYS),
            one_on_one__date__lte=today,
        )
        .order_by("one_on_one__date")
        .values_list("one_on_one__date", "learning", "work_used", "direction")
    )
    return [PulsePoint(*row) for row in rows]


def pulse_trends(points: list[PulsePoint]) -> list[Trend]:
    since = timezone.localdate() - timedelta(days=DAYS)
    return [
        Trend(
            key,
            question,
            [Dot(_x(p.day, since), _y(getattr(p, key)), p.day, getattr(p, key)) for p in points],
        )
        for key, question in Pulse.QUESTIONS.items()
    ]


@dataclass(frozen=True)
class ChartFrame:
    """The drawing's size and its gridlines at 1, 3 and 5, for the template."""

    width: int = WIDTH
    height: int = HEIGHT
    right: int = WIDTH - PAD
    grid: tuple[tuple[int, float], ...] = tuple((score, _y(score)) for score in (1, 3, 5))


CHART = ChartFrame()
