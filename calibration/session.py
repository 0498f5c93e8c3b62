"""The calibration session: every engineer in a cycle × the dimensions, and what the
session should argue about (calibration/analysis.py) — flags on single ratings, each
manager's distribution and leniency, and what the session itself did to the ratings.

`build_session` reads a whole cycle in a fixed number of queries whatever its size
(dimensions, members with their people, ratings, their evidence): the statistics are
over the whole cycle, and filtering and sorting the rows happen here, in Python.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Prefetch

from accounts.models import LEVEL_ORDER, Level, Person, Team
from calibration import analysis
from calibration.analysis import Flag, Leniency, SessionEffect
from calibration.models import (
    SCORES,
    CalibrationCycle,
    CycleMember,
    Dimension,
    Rating,
    WorkItem,
)

PEOPLE_SORTS = {"name": "Engineer", "manager": "Manager", "level": "Level", "team": "Team"}
_SORT = re.compile(r"^-?[a-z0-9_-]{1,50}$")


# --- the grid's GET parameters ----------------------------------------------------------


@dataclass(frozen=True)
class GridQuery:
    """Filters and sort of the grid, as GET parameters: the same links with and without htmx.

    Values are only parsed here; one that matches nobody (a manager not in the cycle)
    filters every row out, which the page says, rather than being silently dropped.
    """

    manager: int | None = None
    level: str = ""
    team: int | None = None
    sort: str = "name"  # a people sort or a dimension's key; "-" in front: descending

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> GridQuery:
        sort = params.get("sort", "")
        return cls(
            manager=_int(params.get("manager")),
            level=params.get("level", "") if params.get("level") in Level.values else "",
            team=_int(params.get("team")),
            sort=sort if _SORT.match(sort) else "name",
        )

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def filtered(self) -> bool:
        return bool(self.manager or self.level or self.team)

    def params(self, **changes: object) -> dict[str, str]:
        values: dict[str, object] = {"manager": self.manager, "level": self.level}
        values["team"] = self.team
        values["sort"] = self.sort if self.sort != "name" else ""
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    @cached_property  # read once per cell of the grid
    def querystring(self) -> str:
        """ "?manager=3&sort=-design", or "" for the unfiltered grid by name."""
        params = self.params()
        return "?" + urlencode(params) if params else ""

    def sorted_by(self, key: str) -> str:
        """The query string that sorts by `key`: ascending, or reversed if already so."""
        sort = f"-{key}" if self.sort == key else key
        return "?" + urlencode(self.params(sort=sort if sort != "name" else ""))

    def without_filters(self) -> str:
        params = self.params(manager=None, level="", team=None)
        return "?" + urlencode(params) if params else "?"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- rows, cells and flags ------------------------------------------------------------------


# What a flag says in a grid cell; the flag's title and explanation say the rest.
FLAG_BADGES = {"outcome": "Outcome?", "negative": "Negative?", "recency": "Late", "thin": "Thin"}


@dataclass(frozen=True)
class RatingFlag:
    """A flag on one rating, with the work items it is about (linked from the page)."""

    flag: Flag
    evidence: list[WorkItem]

    @property
    def badge(self) -> str:
        return FLAG_BADGES.get(self.flag.key, self.flag.title)


@dataclass(frozen=True)
class Cell:
    dimension: Dimension
    applies: bool  # the dimension is rated at the engineer's level
    rating: Rating | None
    flags: list[RatingFlag] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return self.rating is not None and self.rating.final_score != self.rating.draft_score

    @property
    def direction(self) -> str:
        if not self.differs or self.rating is None:
            return ""
        return "raised" if self.rating.final_score > self.rating.draft_score else "lowered"


@dataclass(frozen=True)
class Row:
    member: CycleMember
    cells: list[Cell]

    @property
    def flagged_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.flags]


def rating_flags(
    rating: Rating, cycle: CalibrationCycle, *, show_results: bool
) -> list[RatingFlag]:
    """Every flag on a rating whose evidence was prefetched (`rating.evidence.all()`).

    The negative-result flag reads results, so it is left out where results are hidden
    from the viewer (outcome-blind drafting): a flag must not leak what the page hides.
    """
    items = list(rating.evidence.all())
    flags = []
    outcome = analysis.outcome_justified(rating.justification)
    if outcome:
        flags.append(RatingFlag(outcome, items))
    if show_results:
        negative = analysis.negative_result_penalised(
            rating.draft_score, [item.result for item in items]
        )
        if negative:
            negatives = [i for i in items if i.result == WorkItem.Result.NEGATIVE]
            flags.append(RatingFlag(negative, negatives))
    recent = analysis.recency([item.date for item in items], cycle.last_fifth_starts)
    if recent:
        flags.append(RatingFlag(recent, items))
    thin = analysis.thin_evidence(len(items))
    if thin:
        flags.append(RatingFlag(thin, items))
    return flags


def ratings_of(cycle: CalibrationCycle) -> Iterable[Rating]:
    """The cycle's ratings with their evidence (two queries)."""
    evidence = WorkItem.objects.order_by("date", "pk")
    return Rating.objects.filter(member__cycle=cycle).prefetch_related(
        Prefetch("evidence", queryset=evidence)
    )


# --- per manager ----------------------------------------------------------------------------

# The distribution chart: four bars (scores 1–4) of the share of a manager's draft
# scores, each with a tick at the cycle's share for comparison. Geometry is computed
# here so the template only draws it (SVG attributes, no inline style: the CSP).
SCORE_WORDS = {1: ("one", "ones"), 2: ("two", "twos"), 3: ("three", "threes"), 4: ("four", "fours")}
_PLOT_TOP = 18  # room for the counts above the bars
_PLOT_HEIGHT = 90
_SLOT = 58
_BAR = 38


@dataclass(frozen=True)
class Chart:
    width: int = 232
    height: int = 132
    baseline: int = _PLOT_TOP + _PLOT_HEIGHT  # the axis under the bars
    score_y: int = _PLOT_TOP + _PLOT_HEIGHT + 18  # the scores under the axis
    bar: int = _BAR


CHART = Chart()


@dataclass(frozen=True)
class Bar:
    score: int
    count: int
    share: int  # percent of the manager's scores
    cycle_share: int  # percent of the cycle's scores
    x: float
    y: float
    height: float
    cycle_y: float  # where the cycle's tick sits
    label_x: float
    label_y: float


@dataclass(frozen=True)
class ManagerSummary:
    manager: Person
    engineers: int
    counts: dict[int, int]
    leniency: Leniency | None
    bars: list[Bar]
    link: str  # the grid's query string showing only this manager's engineers

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def text(self) -> str:
        """The chart in words (its text alternative)."""
        counts = ", ".join(
            f"{bar.count} {SCORE_WORDS[bar.score][bar.count != 1]}" for bar in self.bars
        )
        shares = ", ".join(f"{bar.share}%" for bar in self.bars)
        cycle = ", ".join(f"{bar.cycle_share}%" for bar in self.bars)
        engineers = f"{self.engineers} engineer{'s' * (self.engineers != 1)}"
        return (
            f"{self.manager.name}'s {self.rated} draft scores for {engineers}: {counts}. "
            f"As shares of 1 to 4: {shares}; the whole cycle: {cycle}."
        )


def _bars(counts: Counter[int], cycle_counts: Counter[int], tallest: float) -> list[Bar]:
    total = sum(counts.values()) or 1
    cycle_total = sum(cycle_counts.values()) or 1
    bars = []
    for index, score in enumerate(SCORES):
        share = counts[score] / total
        cycle_share = cycle_counts[score] / cycle_total
        height = round(_PLOT_HEIGHT * share / tallest, 1) if tallest else 0.0
        x = 10 + index * _SLOT
        bottom = _PLOT_TOP + _PLOT_HEIGHT
        bars.append(
            Bar(
                score=score,
                count=counts[score],
                share=round(100 * share),
                cycle_share=round(100 * cycle_share),
                x=x,
                y=round(bottom - height, 1),
                height=height,
                cycle_y=round(bottom - (_PLOT_HEIGHT * cycle_share / tallest), 1)
                if tallest
                else bottom,
                label_x=x + _BAR / 2,
                label_y=round(bottom - height - 4, 1),
            )
        )
    return bars


def manager_summaries(
    members: list[CycleMember], ratings: list[Rating], query: GridQuery
) -> list[ManagerSummary]:
    """Each manager's draft scores against the cycle's: the drafts are their judgement,
    before the session changed anything."""
    manager_of = {m.pk: m.manager for m in members}
    by_manager: dict[int, list[int]] = {}
    for rating in ratings:
        by_manager.setdefault(manager_of[rating.member_id].pk, []).append(rating.draft_score)
    everyone = [r.draft_score for r in ratings]
    cycle_counts = Counter(everyone)
    managers = sorted({m.manager for m in members}, key=lambda p: p.name)
    engineers = Counter(m.manager_id for m in members)
    # One vertical scale for every chart, so bars compare across managers.
    shares = [cycle_counts[s] / len(everyone) for s in SCORES] if everyone else []
    for scores in by_manager.values():
        counted = Counter(scores)
        shares += [counted[s] / len(scores) for s in SCORES]
    tallest = max(shares, default=0.0)
    summaries = []
    for manager in managers:
        scores = by_manager.get(manager.pk, [])
        counts = Counter(scores)
        summaries.append(
            ManagerSummary(
                manager=manager,
                engineers=engineers[manager.pk],
                counts={s: counts[s] for s in SCORES},
                leniency=analysis.leniency(scores, everyone),
                bars=_bars(counts, cycle_counts, tallest),
                link="?" + urlencode(query.params(manager=manager.pk)),
            )
        )
    return summaries


# --- the whole session ------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    link: str  # query string sorting by this column
    sort: str  # "ascending", "descending" or "" (aria-sort)


@dataclass(frozen=True)
class Session:
    cycle: CalibrationCycle
    query: GridQuery
    dimensions: list[Dimension]
    rows: list[Row]  # filtered and sorted
    member_count: int
    managers: list[ManagerSummary]
    effect: SessionEffect
    changed_after_results: int
    manager_options: list[Option]
    level_options: list[Option]
    team_options: list[Option]
    show_results: bool

    chart: Chart = CHART

    @property
    def flagged_rows(self) -> list[Row]:
        return [row for row in self.rows if row.flagged_cells]

    @property
    def columns(self) -> list[Column]:
        """The grid's headers, each a link that sorts by it (again: the other way)."""
        keys = [(key, PEOPLE_SORTS[key]) for key in PEOPLE_SORTS]
        keys += [(d.key, d.name) for d in self.dimensions]
        columns = []
        for key, label in keys:
            sort = ""
            if self.query.sort_key == key:
                sort = "descending" if self.query.descending else "ascending"
            columns.append(Column(key, label, self.query.sorted_by(key), sort))
        return columns

    @property
    def sorted_by(self) -> str:
        """The sort in words, for the sentence above the grid."""
        label = dict((c.key, c.label) for c in self.columns).get(self.query.sort_key, "Engineer")
        return label.lower() + (", descending" if self.query.descending else "")


def effect_of(ratings: Iterable[Rating]) -> tuple[SessionEffect, int]:
    """What the session did (draft → final), and how many ratings their manager changed
    after seeing results."""
    ratings = list(ratings)
    effect = analysis.session_effect((r.draft_score, r.final_score) for r in ratings)
    return effect, sum(1 for r in ratings if r.changed_after_results)


def build_session(cycle: CalibrationCycle, *, query: GridQuery, show_results: bool) -> Session:
    """The session page's data in four queries, at any size of cycle."""
    dimensions = list(Dimension.objects.all())
    members = list(
        CycleMember.objects.filter(cycle=cycle).select_related("engineer__team", "manager")
    )
    ratings = list(ratings_of(cycle))
    by_member: dict[int, dict[int, Rating]] = {}
    for rating in ratings:
        by_member.setdefault(rating.member_id, {})[rating.dimension_id] = rating
    effect, after_results = effect_of(ratings)

    shown = [m for m in members if _matches(m, query)]
    rows = []
    for member in shown:
        member.cycle = cycle
        mine = by_member.get(member.pk, {})
        cells = []
        for dimension in dimensions:
            found = mine.get(dimension.pk)
            flags = []
            if found is not None:
                found.member, found.dimension = member, dimension  # fetched already
                flags = rating_flags(found, cycle, show_results=show_results)
            applies = dimension.applies_to(member.engineer.level)
            cells.append(Cell(dimension, applies, found, flags))
        rows.append(Row(member, cells))
    _sort(rows, query, dimensions)

    return Session(
        cycle=cycle,
        query=query,
        dimensions=dimensions,
        rows=rows,
        member_count=len(members),
        managers=manager_summaries(members, ratings, query),
        effect=effect,
        changed_after_results=after_results,
        manager_options=_options({(m.manager.pk, m.manager.name) for m in members}),
        level_options=[
            Option(str(level), level.label)
            for level in LEVEL_ORDER
            if any(m.engineer.level == level for m in members)
        ],
        team_options=_options(
            {(t.pk, t.name) for t in (m.engineer.team for m in members) if isinstance(t, Team)}
        ),
        show_results=show_results,
    )


def _options(pairs: set[tuple[int, str]]) -> list[Option]:
    return [Option(str(pk), name) for pk, name in sorted(pairs, key=lambda p: (p[1], p[0]))]


def _matches(member: CycleMember, query: GridQuery) -> bool:
    engineer = member.engineer
    return (
        (query.manager is None or member.manager_id == query.manager)
        and (not query.level or engineer.level == query.level)
        and (query.team is None or engineer.team_id == query.team)
    )


def _sort(rows: list[Row], query: GridQuery, dimensions: list[Dimension]) -> None:
    """Sort in place. People sorts break ties by name; a dimension sorts by final score,
    with rows not rated on it last in either direction."""
    level_rank = {str(level): index for index, level in enumerate(LEVEL_ORDER)}
    rows.sort(key=lambda row: row.member.engineer.name.lower())
    key = query.sort_key
    column = next((i for i, d in enumerate(dimensions) if d.key == key), None)
    if column is not None:
        index = column

        def final(row: Row) -> int:
            rating = row.cells[index].rating
            return rating.final_score if rating else 0

        rated = [r for r in rows if r.cells[index].rating is not None]
        unrated = [r for r in rows if r.cells[index].rating is None]
        rows[:] = sorted(rated, key=final, reverse=query.descending) + unrated
        return
    by = {
        "manager": lambda r: r.member.manager.name.lower(),
        "level": lambda r: level_rank.get(r.member.engineer.level, len(level_rank)),
        # Engineers without a team sort after every team, in either direction.
        "team": lambda r: (r.member.engineer.team is None, _team_name(r.member.engineer)),
    }.get(key)
    if by is not None:
        rows.sort(key=by, reverse=query.descending)
        if key == "team" and query.descending:
            rows.sort(key=lambda r: r.member.engineer.team is None)
    elif query.descending:
        rows.reverse()


def _team_name(person: Person) -> str:
    return person.team.name.lower() if person.team else ""
