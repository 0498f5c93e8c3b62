"""The calibration session: every engineer in a cycle × the dimensions, and what the
session should argue about (calibration/analysis.py) — flags on single ratings, each
manager's distribution and leniency, and what the session itself did to the ratings.

`build_session` reads a whole cycle in a fixed number of queries whatever its size.
The statistics are over the whole cycle, from the scores alone (plain tuples, not model
instances); filtering and sorting the rows happen here, in Python. Only one page of
rows (`GRID_PAGE_SIZE` engineers) is built in full — justifications, evidence, flags —
so a cycle of 2,000 engineers costs a page of 25, not a grid of 12,000 cells.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.urls import reverse

from accounts.models import LEVEL_ORDER, Level
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

GRID_PAGE_SIZE = 25
MANAGER_PAGE_SIZE = 12
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
    page: int = 1  # of the filtered, sorted rows; past the last: the last
    managers_page: int = 1  # of the managers side by side

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> GridQuery:
        sort = params.get("sort", "")
        return cls(
            manager=_int(params.get("manager")),
            level=params.get("level", "") if params.get("level") in Level.values else "",
            team=_int(params.get("team")),
            sort=sort if _SORT.match(sort) else "name",
            page=_int(params.get("page")) or 1,
            managers_page=_int(params.get("managers_page")) or 1,
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
        """The GET parameters with `changes`; changing a filter or the sort starts again
        at the first page (the same page of another order shows other people)."""
        values: dict[str, object] = {"manager": self.manager, "level": self.level}
        values["team"] = self.team
        values["sort"] = self.sort if self.sort != "name" else ""
        values["page"] = None if changes or self.page == 1 else self.page
        values["managers_page"] = self.managers_page if self.managers_page != 1 else None
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

    def on_page(self, number: int) -> str:
        """The query string of another page of the same filtered, sorted grid."""
        return "?" + urlencode(self.params(page=number if number != 1 else None))

    def on_managers_page(self, number: int) -> str:
        """The query string showing another page of managers, the grid as it is."""
        params = self.params(managers_page=number if number != 1 else None)
        if self.page != 1:
            params["page"] = str(self.page)
        return "?" + urlencode(params)


def _int(value: str | None) -> int | None:
    # Bounded: a page number of a million digits is not an integer worth parsing.
    return int(value) if value and len(value) < 10 and value.isdigit() else None


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
    def url(self) -> str:
        """The rating's page (its panel in the session), or "" for an empty cell."""
        return rating_url(self.rating.pk) if self.rating else ""

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


def rating_url(rating_id: int) -> str:
    """reverse("calibration:session_rating"), without resolving the URLconf for each of
    the grid's cells."""
    return _rating_url_prefix() + f"{rating_id}/"


@cache
def _rating_url_prefix() -> str:
    url = reverse("calibration:session_rating", args=[1])
    return url.removesuffix("1/")


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


def ratings_of(members: Iterable[CycleMember]) -> Iterable[Rating]:
    """The members' ratings with their evidence (two queries)."""
    # What the flags and the grid's list of flagged ratings read: no write-ups.
    evidence = WorkItem.objects.only("title", "date", "result", "kind").order_by("date", "pk")
    return Rating.objects.filter(member__in=[m.pk for m in members]).prefetch_related(
        Prefetch("evidence", queryset=evidence)
    )


@dataclass(frozen=True)
class CycleCounts:
    """What the session's statistics need of a whole cycle, counted by the database:
    {score: how many} of every draft and final, per manager for the drafts, how many the
    session raised and lowered, how many changed after results — never 12,000 rows."""

    drafts: Counter[int]
    finals: Counter[int]
    drafts_by_manager: dict[int, Counter[int]]
    raised: int
    lowered: int
    changed_after_results: int


def counts_of(cycle: CalibrationCycle) -> CycleCounts:
    """One grouped query, whatever the size of the cycle: at most 32 rows per manager
    (draft × final × changed after results), summed here."""
    grouped = (
        Rating.objects.filter(member__cycle=cycle)
        .values_list("member__manager_id", "draft_score", "final_score", "changed_after_results")
        .annotate(n=Count("pk"))
        .order_by()
    )
    drafts: Counter[int] = Counter()
    finals: Counter[int] = Counter()
    by_manager: dict[int, Counter[int]] = {}
    raised = lowered = after_results = 0
    for manager_id, draft, final, after, n in grouped:
        drafts[draft] += n
        finals[final] += n
        by_manager.setdefault(manager_id, Counter())[draft] += n
        raised += n if final > draft else 0
        lowered += n if final < draft else 0
        after_results += n if after else 0
    return CycleCounts(
        drafts=drafts,
        finals=finals,
        drafts_by_manager=by_manager,
        raised=raised,
        lowered=lowered,
        changed_after_results=after_results,
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
class ManagerRef:
    """A manager as the session names them (no model instance: the cycle may have 300)."""

    pk: int
    name: str

    def get_short_name(self) -> str:
        return self.name.split(" ")[0]

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class ManagerSummary:
    """One manager against the cycle. Leniency is computed for every manager (it orders
    them); the chart and the link only for the page of managers shown, when read."""

    manager: ManagerRef
    engineers: int
    counts: dict[int, int]  # every score, 0 included
    leniency: Leniency | None
    cycle_counts: Counter[int]
    tallest: float  # the largest share on any chart: one vertical scale for all
    query: GridQuery

    @property
    def bars(self) -> list[Bar]:
        return _bars(self.counts, self.cycle_counts, self.tallest)

    @property
    def link(self) -> str:
        """The grid's query string showing only this manager's engineers."""
        return "?" + urlencode(self.query.params(manager=self.manager.pk))

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


def _bars(counts: Mapping[int, int], cycle_counts: Mapping[int, int], tallest: float) -> list[Bar]:
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
    managers: list[tuple[int, str, int]], counts: CycleCounts, query: GridQuery
) -> list[ManagerSummary]:
    """Each manager's draft scores against the cycle's: the drafts are their judgement,
    before the session changed anything. `managers` are (pk, name, engineers) by name.
    The managers furthest from the cycle come first (flagged ones before those in
    line), then by name."""
    cycle_counts = counts.drafts
    everyone = sum(cycle_counts.values())
    # One vertical scale for every chart, so bars compare across managers.
    shares = [cycle_counts[s] / everyone for s in SCORES] if everyone else []
    for counted in counts.drafts_by_manager.values():
        rated = sum(counted.values())
        shares += [counted[s] / rated for s in SCORES]
    tallest = max(shares, default=0.0)
    cycle_spread = analysis.spread_of_counts(cycle_counts)
    summaries = []
    for pk, name, engineers in managers:
        mine = counts.drafts_by_manager.get(pk, Counter())
        summaries.append(
            ManagerSummary(
                manager=ManagerRef(pk, name),
                engineers=engineers,
                counts={s: mine[s] for s in SCORES},
                leniency=analysis.leniency_of(analysis.spread_of_counts(mine), cycle_spread),
                cycle_counts=cycle_counts,
                tallest=tallest,
                query=query,
            )
        )

    def out_of_line(summary: ManagerSummary) -> tuple[bool, float]:
        leniency = summary.leniency
        if leniency is None:
            return (True, 0.0)
        return (not leniency.flagged, -abs(leniency.offset_sd) if leniency.flagged else 0.0)

    summaries.sort(key=out_of_line)  # stable: by name within each group
    return summaries


# --- the whole session ------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool = False  # decided here: a select of 300 managers is 300 comparisons


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
    rows: list[Row]  # this page's, of the filtered and sorted engineers
    page: Page  # of the filtered, sorted members
    shown_count: int  # engineers the filters let through, on every page
    member_count: int
    managers: list[ManagerSummary]  # this page of them, the furthest from the cycle first
    manager_page: Page  # of every manager's summary
    effect: SessionEffect
    changed_after_results: int
    manager_options: list[Option]
    level_options: list[Option]
    team_options: list[Option]
    show_results: bool

    chart: Chart = CHART

    @property
    def previous_page(self) -> str:
        """The query string of the grid's previous page, or "" on the first."""
        return self.query.on_page(self.page.number - 1) if self.page.has_previous() else ""

    @property
    def previous_managers(self) -> str:
        page = self.manager_page
        return self.query.on_managers_page(page.number - 1) if page.has_previous() else ""

    @property
    def next_managers(self) -> str:
        page = self.manager_page
        return self.query.on_managers_page(page.number + 1) if page.has_next() else ""

    @property
    def flagged_managers(self) -> int:
        """How many managers, on every page, are flagged lenient or severe."""
        return sum(
            1 for s in self.manager_page.paginator.object_list if s.leniency and s.leniency.flagged
        )

    @property
    def next_page(self) -> str:
        """The query string of the grid's next page, or "" on the last."""
        return self.query.on_page(self.page.number + 1) if self.page.has_next() else ""

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


def effect_of(cycle: CalibrationCycle) -> tuple[SessionEffect, int]:
    """What the session did to the cycle (draft → final), and how many ratings their
    manager changed after seeing results."""
    return _effect(counts_of(cycle))


def _effect(counts: CycleCounts) -> tuple[SessionEffect, int]:
    effect = analysis.session_effect_of(
        raised=counts.raised, lowered=counts.lowered, drafts=counts.drafts, finals=counts.finals
    )
    return effect, counts.changed_after_results


def build_session(cycle: CalibrationCycle, *, query: GridQuery, show_results: bool) -> Session:
    """The session page's data in a fixed number of queries at any size of cycle. The
    database counts, filters, sorts and pages; Python builds one page of rows in full.

    Dimensions; the cycle's counts (one grouped query); its managers, and its levels and
    teams (the filters' options); the filtered members' count and this page of them
    with their people; their ratings; the ratings' evidence."""
    dimensions = list(Dimension.objects.all())
    counts = counts_of(cycle)
    effect, after_results = _effect(counts)
    members = CycleMember.objects.filter(cycle=cycle)
    managers = list(
        members.values_list("manager_id", "manager__name")
        .annotate(engineers=Count("pk"))
        .order_by("manager__name", "manager_id")
    )
    kinds = set(
        members.values_list("engineer__level", "engineer__team_id", "engineer__team__name")
        .distinct()
        .order_by()
    )

    shown = _sorted(members.filter(**_filters(query)), query, dimensions)
    page = Paginator(shown.select_related("engineer__team", "manager"), GRID_PAGE_SIZE)
    page_of = page.get_page(query.page)
    on_page = list(page_of.object_list)

    by_member: dict[int, dict[int, Rating]] = {}
    for rating in ratings_of(on_page) if on_page else []:
        by_member.setdefault(rating.member_id, {})[rating.dimension_id] = rating
    rows = []
    for member in on_page:
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

    summaries = manager_summaries(managers, counts, query)
    manager_page = Paginator(summaries, MANAGER_PAGE_SIZE).get_page(query.managers_page)
    return Session(
        cycle=cycle,
        query=query,
        dimensions=dimensions,
        rows=rows,
        page=page_of,
        shown_count=page.count,
        member_count=sum(engineers for _, _, engineers in managers),
        managers=list(manager_page.object_list),
        manager_page=manager_page,
        effect=effect,
        changed_after_results=after_results,
        manager_options=_options({(pk, name) for pk, name, _ in managers}, query.manager),
        level_options=[
            Option(str(level), level.label, level == query.level)
            for level in LEVEL_ORDER
            if any(found == level for found, _, _ in kinds)
        ],
        team_options=_options({(pk, name) for _, pk, name in kinds if pk is not None}, query.team),
        show_results=show_results,
    )


def _options(pairs: set[tuple[int, str]], chosen: int | None) -> list[Option]:
    return [
        Option(str(pk), name, pk == chosen)
        for pk, name in sorted(pairs, key=lambda p: (p[1], p[0]))
    ]


def _filters(query: GridQuery) -> dict[str, object]:
    filters: dict[str, object] = {}
    if query.manager is not None:
        filters["manager_id"] = query.manager
    if query.level:
        filters["engineer__level"] = query.level
    if query.team is not None:
        filters["engineer__team_id"] = query.team
    return filters


def _sorted(
    members: QuerySet[CycleMember], query: GridQuery, dimensions: list[Dimension]
) -> QuerySet[CycleMember]:
    """Ordered in the database. Ties always go by name, ascending (then by member, so
    pages never overlap); a dimension sorts by final score with engineers not rated on
    it last in either direction; engineers without a team come after every team."""
    name = Lower("engineer__name")
    key, descending = query.sort_key, query.descending
    dimension = next((d for d in dimensions if d.key == key), None)
    if dimension is not None:
        final = Rating.objects.filter(member=OuterRef("pk"), dimension=dimension)
        members = members.annotate(final=Subquery(final.values("final_score")[:1]))
        by = F("final").desc(nulls_last=True) if descending else F("final").asc(nulls_last=True)
        return members.order_by(by, name, "pk")
    if key == "manager":
        manager = Lower("manager__name")
        return members.order_by(manager.desc() if descending else manager.asc(), name, "pk")
    if key == "level":
        rank = Case(
            *(When(engineer__level=level, then=Value(i)) for i, level in enumerate(LEVEL_ORDER)),
            default=Value(len(LEVEL_ORDER)),
            output_field=IntegerField(),
        )
        members = members.annotate(level_rank=rank)
        by = F("level_rank").desc() if descending else F("level_rank").asc()
        return members.order_by(by, name, "pk")
    if key == "team":
        team = Lower("engineer__team__name")
        by = team.desc(nulls_last=True) if descending else team.asc(nulls_last=True)
        return members.order_by(by, name, "pk")
    if descending:  # by name, reversed
        return members.order_by(name.desc(), "-pk")
    return members.order_by(name, "pk")
