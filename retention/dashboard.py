"""The directors' dashboard: teams × signals, trends, coverage, and the pulse figures
behind the anonymity floor.

The floor (RetentionSettings.anonymity_floor, 4 by default): a pulse figure about a
group of fewer people than the floor is never shown, and a shown figure can never be
narrowed below it: when the hidden groups together would be fewer than the floor (so
"everyone" minus the shown teams would reveal them), the next smallest teams are hidden
too, until the hidden ones together reach the floor or nothing is shown. Filters pick
rows out of this one computation, so no filter shows a figure the full view hides.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Person
from one_on_ones import panels as one_on_ones_panels
from one_on_ones.panels import PulseCounts
from retention.models import GraveyardRate, RetentionSettings, SignalSnapshot
from retention.selectors import latest_run
from retention.signals import (
    DIRECTION_DOUBT,
    GROWTH_NEGLECTED,
    LABELS,
    LEARNING_PULSE,
    LOW_SCORE,
    ONE_ON_ONE_GAP,
    PULSE_KINDS,
    PULSE_LABELS,
    PULSE_LAST,
    PULSE_WINDOW_DAYS,
    RECORD_KINDS,
    WORK_USED_PULSE,
    compute_signals,
)

NO_TEAM = 0  # the key of the people without a team
TREND_QUARTERS = 4
MEDIUM_POINTS = 2  # level_for: 2 points or more is medium or high


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_quarters(today: date, count: int = TREND_QUARTERS) -> list[str]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    periods = []
    for _ in range(count):
        periods.append(f"{year}-Q{quarter}")
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return list(reversed(periods))


def apply_floor(sizes: dict[int, int], floor: int) -> tuple[set[int], bool]:
    """Which groups' figures may be shown, and whether the total may.

    `sizes` is each group's number of people behind its figure. A group below the floor
    is hidden; then, while the hidden groups together are more than none but fewer than
    the floor, the smallest shown group is hidden too, so that no difference between
    shown figures (the total minus the shown groups) isolates fewer than `floor` people.
    """
    shown = {key for key, size in sizes.items() if size >= floor}
    hidden_total = sum(size for key, size in sizes.items() if key not in shown)
    while 0 < hidden_total < floor and shown:
        smallest = min(shown, key=lambda key: (sizes[key], key))
        shown.discard(smallest)
        hidden_total += sizes[smallest]
    total = sum(sizes.values())
    return shown, total >= floor and not (0 < hidden_total < floor)


@dataclass(frozen=True)
class Cell:
    kind: str
    label: str
    count: int
    size: int

    @property
    def heat(self) -> int:
        """0 (none) … 3 (many): the colour; the text says the same in words."""
        if not self.count or not self.size:
            return 0
        share = self.count / self.size
        return 1 if share < 0.2 else 2 if share < 0.4 else 3

    @property
    def word(self) -> str:
        return ("none", "few", "some", "many")[self.heat]


@dataclass(frozen=True)
class PulseFigures:
    """A group's pulse, aggregated: shown only when `shown` (the floor)."""

    answered: int
    shown: bool
    counts: dict[str, int]
    average_direction: float | None

    def rows(self) -> list[tuple[str, int]]:
        return [(PULSE_LABELS[kind], self.counts[kind]) for kind in PULSE_KINDS]


@dataclass(frozen=True)
class Sparkline:
    label: str
    periods: list[str]
    values: list[int | None]  # percent of the team with an active signal, per period
    width: int = 120
    height: int = 32

    @cached_property
    def points(self) -> str:
        known = [(i, v) for i, v in enumerate(self.values) if v is not None]
        step = self.width / max(1, len(self.values) - 1)
        return " ".join(
            f"{round(i * step, 1)},{round(self.height - 2 - v * (self.height - 4) / 100, 1)}"
            for i, v in known
        )

    @property
    def dots(self) -> list[tuple[float, float]]:
        return [tuple(map(float, p.split(","))) for p in self.points.split()]  # type: ignore[misc]

    @cached_property
    def text(self) -> str:
        parts = [
            f"{p}: {'no snapshot' if v is None else f'{v}%'}"
            for p, v in zip(self.periods, self.values, strict=True)
        ]
        return f"{self.label}, share of engineers with an active signal — " + "; ".join(parts)


@dataclass
class TeamRow:
    key: int
    name: str
    size: int  # the team's people in the viewer's line now
    counted: int = 0  # the people behind the record figures (the snapshot's, or now)
    active: int = 0  # of those, the engineers with any record signal
    counts: dict[str, int] = field(default_factory=dict)  # record kind → engineers
    cells: list[Cell] = field(default_factory=list)
    pulse: PulseFigures | None = None
    graveyard: GraveyardRate | None = None
    trend: Sparkline | None = None

    @property
    def active_share(self) -> float:
        return self.active / self.counted if self.counted else 0.0

    @property
    def reviewed(self) -> int:
        return self.counted - self.counts.get(GROWTH_NEGLECTED, 0)

    @property
    def kept(self) -> int:
        return self.counted - self.counts.get(ONE_ON_ONE_GAP, 0)

    @staticmethod
    def percent(part: int, whole: int) -> int:
        return round(100 * part / whole) if whole else 0

    @property
    def reviewed_percent(self) -> int:
        return self.percent(self.reviewed, self.counted)

    @property
    def kept_percent(self) -> int:
        return self.percent(self.kept, self.counted)


@dataclass(frozen=True)
class SnapshotInfo:
    """The latest stored signals: their quarter and when they were taken."""

    period: str
    taken_at: datetime


@dataclass
class Dashboard:
    rows: list[TeamRow]
    total: TeamRow
    floor: int
    periods: list[str]
    kinds: list[tuple[str, str]]
    pulse_kinds: list[tuple[str, str]]
    snapshot: SnapshotInfo | None = None  # None: the record figures were computed now
    pulse_loaded: bool = True  # False: the pulse figures are fetched by their own request

    def row(self, key: int) -> TeamRow | None:
        return next((row for row in self.rows if row.key == key), None)


def latest_snapshot() -> SnapshotInfo | None:
    """The latest quarter with snapshots and when it was last taken (one query)."""
    row = (
        SignalSnapshot.objects.order_by("-period", "-taken_at")
        .values_list("period", "taken_at")
        .first()
    )
    return SnapshotInfo(*row) if row else None


def needing_action(
    scope: QuerySet[Person],
    snapshot: SnapshotInfo,
    *,
    limit: int,
    min_points: int = MEDIUM_POINTS,
) -> list[SignalSnapshot]:
    """The engineers of `scope` with at least `min_points` in the snapshot (medium or high
    by default), worst first (one query: the database sorts and cuts, ORDER BY points
    DESC … LIMIT)."""
    rows = SignalSnapshot.objects.filter(
        period=snapshot.period, person__in=scope, points__gte=min_points
    )
    return list(rows.select_related("person").order_by("-points", "person__name")[:limit])


def build_dashboard(
    scope: QuerySet[Person],
    *,
    viewer: Person,
    snapshot: SnapshotInfo | None,
    today: date | None = None,
    thresholds: RetentionSettings | None = None,
    pulse: bool = True,
    heat: bool = True,
) -> Dashboard:
    """Teams × signals for the people of `scope` (already the viewer's line), with trends,
    coverage, the graveyard rate and the pulse behind the anonymity floor.

    Record figures come from the latest snapshot, counted per team in SQL; with no
    snapshot yet they are computed now for everyone in scope (slower; the page says so).
    Five queries with a snapshot: the teams, the snapshots' counts (the latest and the
    trends), the pulse counts, the latest audit and its team rates. Without `pulse` (the
    page fetches the pulse figures with a request of their own) or `heat` (that request:
    no graveyard rates), fewer.
    """
    today = today or timezone.localdate()
    thresholds = thresholds or RetentionSettings.load()
    teams = (
        scope.order_by()
        .values("team_id", "team__name")
        .annotate(size=Count("pk"))
        .values_list("team_id", "team__name", "size")
    )
    team_sizes = {team_id or NO_TEAM: (name or "No team", size) for team_id, name, size in teams}
    keys = sorted(team_sizes, key=lambda k: (k == NO_TEAM, team_sizes[k][0]))
    periods = last_quarters(today)
    trend: dict[int, list[int | None]] = {}
    if snapshot is not None:
        counted, trend = _from_snapshots(scope, snapshot.period, periods)
    else:  # no snapshot at all: no trend either
        counted = _live_counts(scope, viewer=viewer, today=today, thresholds=thresholds)

    pulses: dict[int, PulseCounts] = {}
    if pulse:
        since = today - timedelta(days=PULSE_WINDOW_DAYS)
        by_team = one_on_ones_panels.pulse_counts_by_team(
            scope, since=since, last=PULSE_LAST, low=LOW_SCORE
        )
        pulses = {team_id or NO_TEAM: counts for team_id, counts in by_team.items()}
    # The floor counts the distinct people who answered, per group.
    sizes = {key: pulses[key].answered if key in pulses else 0 for key in keys}
    shown, total_shown = apply_floor(sizes, thresholds.anonymity_floor)

    run = latest_run() if heat else None
    rates = {}
    if run is not None:
        rates = {
            rate.team_id: rate
            for rate in GraveyardRate.objects.filter(run=run, team_id__in=[k for k in keys if k])
        }

    rows = []
    for key in keys:
        name, size = team_sizes[key]
        people, active, counts = counted.get(key, (0, 0, {}))
        row = _row(key, name, size, people, active, counts)
        row.pulse = _pulse(pulses.get(key), key in shown)
        row.graveyard = rates.get(key)
        row.trend = Sparkline(row.name, periods, trend.get(key, [None] * len(periods)))
        rows.append(row)
    total = _row(
        NO_TEAM - 1,
        "Everyone you see",
        sum(row.size for row in rows),
        sum(row.counted for row in rows),
        sum(row.active for row in rows),
        {kind: sum(row.counts.get(kind, 0) for row in rows) for kind in RECORD_KINDS},
    )
    total.pulse = _pulse(_sum_pulses(list(pulses.values())), total_shown)
    total.trend = Sparkline(total.name, periods, trend.get(NO_TEAM - 1, [None] * len(periods)))
    # The teams where the most engineers have a signal first: a large line is paged.
    rows.sort(key=lambda row: (-row.active_share, row.key == NO_TEAM, row.name))
    return Dashboard(
        rows=rows,
        total=total,
        floor=thresholds.anonymity_floor,
        periods=periods,
        kinds=[(kind, LABELS[kind]) for kind in RECORD_KINDS],
        pulse_kinds=[(kind, PULSE_LABELS[kind]) for kind in PULSE_KINDS],
        snapshot=snapshot,
        pulse_loaded=pulse,
    )


def _row(
    key: int, name: str, size: int, counted: int, active: int, counts: dict[str, int]
) -> TeamRow:
    row = TeamRow(key, name, size, counted, active, counts)
    row.cells = [Cell(kind, LABELS[kind], counts.get(kind, 0), counted) for kind in RECORD_KINDS]
    return row


# team key → (people, engineers with any signal, engineers per kind)
Counts = dict[int, tuple[int, int, dict[str, int]]]


def _from_snapshots(
    scope: QuerySet[Person], period: str, periods: list[str]
) -> tuple[Counts, dict[int, list[int | None]]]:
    """One query of SQL aggregates (COUNT … FILTER … GROUP BY team, quarter) over the
    snapshots of `scope`: per current team, the latest snapshot's people and how many had
    each signal, and the trend over `periods`."""
    per_kind = {kind: Count("pk", filter=Q(**{kind: True})) for kind in RECORD_KINDS}
    rows = (
        SignalSnapshot.objects.filter(person__in=scope, period__in={period, *periods})
        .order_by()
        .values("person__team_id", "period")
        .annotate(people=Count("pk"), active=Count("pk", filter=Q(points__gt=0)), **per_kind)
        .values_list("person__team_id", "period", "people", "active", *RECORD_KINDS)
    )
    counted: Counts = {}
    trend_rows = []
    for team_id, row_period, people, active, *kinds in rows:
        if row_period == period:
            counted[team_id or NO_TEAM] = (
                people,
                active,
                dict(zip(RECORD_KINDS, kinds, strict=True)),
            )
        if row_period in periods:
            trend_rows.append((team_id, row_period, people, active))
    return counted, _trends(trend_rows, periods)


def _live_counts(
    scope: QuerySet[Person], *, viewer: Person, today: date, thresholds: RetentionSettings
) -> Counts:
    """No snapshot yet: everyone's record signals computed now (what the nightly job stores)."""
    people = list(scope.select_related("team"))
    engineers = compute_signals(
        people, viewer=viewer, today=today, thresholds=thresholds, with_pulse=False
    )
    counts: Counts = {}
    for engineer in engineers:
        key = engineer.person.team_id or NO_TEAM
        size, active, kinds = counts.get(key, (0, 0, {}))
        for kind in engineer.record_kinds:
            kinds[kind] = kinds.get(kind, 0) + 1
        counts[key] = (size + 1, active + bool(engineer.record_kinds), kinds)
    return counts


def _pulse(counts: PulseCounts | None, shown: bool) -> PulseFigures:
    if counts is None:
        return PulseFigures(0, shown, dict.fromkeys(PULSE_KINDS, 0), None)
    found = {
        LEARNING_PULSE: counts.learning_falling,
        WORK_USED_PULSE: counts.work_used_falling,
        DIRECTION_DOUBT: counts.direction_doubt,
    }
    return PulseFigures(counts.answered, shown, found, None)


def _sum_pulses(groups: list[PulseCounts]) -> PulseCounts:
    return PulseCounts(
        sum(g.answered for g in groups),
        sum(g.learning_falling for g in groups),
        sum(g.work_used_falling for g in groups),
        sum(g.direction_doubt for g in groups),
    )


def _trends(
    rows: list[tuple[int | None, str, int, int]], periods: list[str]
) -> dict[int, list[int | None]]:
    """Per team (and NO_TEAM - 1 for everyone): percent with an active signal per period,
    from (team, period, people, active) counts. Grouped by each engineer's current team,
    so a row's trend is about its people now."""
    seen: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for team_id, period, people, active in rows:
        for key in (team_id or NO_TEAM, NO_TEAM - 1):
            seen[(key, period)][0] += people
            seen[(key, period)][1] += active
    result: dict[int, list[int | None]] = {}
    for key in {k for k, _ in seen}:
        values: list[int | None] = []
        for period in periods:
            count, active = seen.get((key, period), (0, 0))
            values.append(round(100 * active / count) if count else None)
        result[key] = values
    return result


def direction_summary(dashboard: Dashboard) -> PulseFigures | None:
    """The product-direction signal across the viewer's subtree, if the floor allows."""
    pulse = dashboard.total.pulse
    return pulse if pulse is not None and pulse.shown else None


__all__ = [
    "DIRECTION_DOUBT",
    "Dashboard",
    "SnapshotInfo",
    "TeamRow",
    "apply_floor",
    "build_dashboard",
    "latest_snapshot",
    "needing_action",
]
