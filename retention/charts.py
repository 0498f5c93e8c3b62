"""Inline SVG charts, drawn by templates from these numbers (no JavaScript, no inline
style: the CSP forbids both). Every chart has a text summary and a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from retention.models import Assignment
from retention.selectors import RateSeries

WIDTH = 320
HEIGHT = 80
PAD = 6
AXIS = 34  # room on the left for the percent labels
TIMELINE_WIDTH = 640
TIMELINE_ROW = 40  # a line of text above each bar


@dataclass(frozen=True)
class Dot:
    x: str
    y: str
    label: str


@dataclass(frozen=True)
class RateRow:
    """A line of the table beside the chart, written out (a page holds a dozen charts)."""

    at: str  # the run's time, for <time datetime>
    day: str
    graveyard: str
    judged: str
    percent: str


@dataclass(frozen=True)
class RateChart:
    label: str
    width: int
    height: int
    points: str
    dots: list[Dot]
    grid: list[tuple[str, str, str]]  # (percent, line's y, label's baseline)
    summary: str
    rows: list[RateRow]


def _y(rate: float) -> float:
    return round(HEIGHT - PAD - rate * (HEIGHT - 2 * PAD), 1)


# The same three lines (0, 50 and 100%) on every chart. Numbers go to the template as
# text: each number a template prints is otherwise localised, one by one.
GRID = [(str(p), str(_y(p / 100)), str(_y(p / 100) + 4)) for p in (0, 50, 100)]


def rate_chart(series: RateSeries) -> RateChart:
    """A team's graveyard rate (0–100%) over the last audit runs, as a line, with the
    figures as a table."""
    n = len(series.points)
    step = (WIDTH - AXIS - 2 * PAD) / max(n - 1, 1)
    coords = [
        (round(AXIS + PAD + i * step, 1), _y(rate.rate))
        for i, (_, rate) in enumerate(series.points)
    ]
    dots = []
    rows = []
    for (x, y), (run, rate) in zip(coords, series.points, strict=True):
        at = timezone.localtime(run.at)
        day = f"{at:%-d %b %Y}"
        dots.append(
            Dot(str(x), str(y), f"{day}: {rate.graveyard} of {rate.judged} ({rate.percent}%)")
        )
        rows.append(
            RateRow(
                f"{at:%Y-%m-%d %H:%M}",
                day,
                str(rate.graveyard),
                str(rate.judged),
                str(rate.percent),
            )
        )
    first, last = series.points[0][1], series.points[-1][1]
    if n == 1:
        trend = f"{last.percent}% in the one audit so far"
    else:
        trend = f"from {first.percent}% to {last.percent}% over the last {n} audits"
    return RateChart(
        label=series.label,
        width=WIDTH,
        height=HEIGHT,
        points=" ".join(f"{x},{y}" for x, y in coords),
        dots=dots,
        grid=GRID,
        summary=f"{series.label}: graveyard rate {trend} "
        f"({last.graveyard} of {last.judged} models now).",
        rows=rows,
    )


@dataclass(frozen=True)
class Bar:
    x: float
    y: int
    width: float
    css: str  # one of a few colour classes, by problem type
    label: str
    text: str  # the problem type and project, written above the bar
    text_x: float
    anchor: str  # "start", or "end" for bars in the right half (the text stays inside)

    @property
    def bar_y(self) -> int:
        return self.y + 16


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    bars: list[Bar]
    start: date
    end: date


def timeline_chart(history: list[Assignment], today: date | None = None) -> Timeline | None:
    """One row per assignment, placed on a line from the first start to today."""
    if not history:
        return None
    today = today or timezone.localdate()
    start = history[0].started_on
    span = max((today - start).days, 1)
    scale = (TIMELINE_WIDTH - 2 * PAD) / span
    colours: dict[int, str] = {}
    bars = []
    for row, assignment in enumerate(history):
        end = assignment.ended_on or today
        colours.setdefault(assignment.problem_type_id, f"pt-{len(colours) % 6}")
        x = round(PAD + (assignment.started_on - start).days * scale, 1)
        width = max(round((end - assignment.started_on).days * scale, 1), 2)
        right_half = x > TIMELINE_WIDTH / 2
        bars.append(
            Bar(
                x=x,
                y=PAD + row * TIMELINE_ROW,
                width=width,
                text=f"{assignment.problem_type} · {assignment.project}",
                text_x=round(x + width, 1) if right_half else x,
                anchor="end" if right_half else "start",
                css=colours[assignment.problem_type_id],
                label=f"{assignment.problem_type}: {assignment.project}, "
                f"{assignment.started_on:%b %Y} – "
                + (f"{assignment.ended_on:%b %Y}" if assignment.ended_on else "now"),
            )
        )
    return Timeline(
        width=TIMELINE_WIDTH,
        height=2 * PAD + len(history) * TIMELINE_ROW,
        bars=bars,
        start=start,
        end=today,
    )
