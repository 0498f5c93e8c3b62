"""What 1:1s offer the pages above them (home/) and, later, retention.

The only one_on_ones module other apps may import (import-linter keeps it so).
Cadence and dates, and pulse scores for retention's signals (which show them one by
one only inside the pair): nothing said in a 1:1 leaves the pair through here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import F, QuerySet

from accounts.models import Person
from one_on_ones.models import OneOnOne, Pair, Pulse
from one_on_ones.selectors import CadenceGap, cadence_gaps

__all__ = [
    "CadenceGap",
    "OneOnOnePanel",
    "PulseAnswer",
    "PulseCounts",
    "cadence_gaps",
    "home_panel",
    "pulse_answers_for",
    "pulse_counts_by_team",
]


@dataclass(frozen=True)
class OneOnOnePanel:
    """The home page's 1:1 data for one person."""

    gaps: list[CadenceGap]  # the viewer's direct reports whose 1:1s lapsed
    template: str = "one_on_ones/_home_panel.html"


def home_panel(person: Person, *, is_manager: bool) -> OneOnOnePanel | None:
    if not is_manager:
        return None
    return OneOnOnePanel(gaps=cadence_gaps(person, direct_reports_only=True))


@dataclass(frozen=True)
class PulseAnswer:
    """One pulse, as numbers and dates only (no words leave the pair through here)."""

    one_on_one_id: int
    date: date
    learning: int
    work_used: int
    direction: int
    raised_concern: bool


def pulse_answers_for(
    people: Iterable[Person], *, last: int = 6, since: date | None = None
) -> dict[int, list[PulseAnswer]]:
    """Each person's latest `last` pulses with their current manager (oldest first), by
    person id, optionally only those on or after `since`. One query.

    Pulses are the pair's: the caller shows them one by one only to the engineer and
    that manager, and to anyone else only as aggregates behind an anonymity floor.
    """
    pulses = Pulse.objects.filter(
        one_on_one__pair__engineer__in=people,
        one_on_one__pair__manager=F("one_on_one__pair__engineer__manager"),
    )
    if since is not None:
        pulses = pulses.filter(one_on_one__date__gte=since)
    rows = pulses.order_by("one_on_one__pair__engineer_id", "-one_on_one__date").values_list(
        "one_on_one__pair__engineer_id",
        "one_on_one_id",
        "one_on_one__date",
        "learning",
        "work_used",
        "direction",
        "direction_concern",
    )
    found: dict[int, list[PulseAnswer]] = defaultdict(list)
    for engineer_id, one_id, day, learning, work_used, direction, concern in rows:
        if len(found[engineer_id]) < last:
            found[engineer_id].append(
                PulseAnswer(one_id, day, learning, work_used, direction, bool(concern.strip()))
            )
    return {pk: list(reversed(answers)) for pk, answers in found.items()}


@dataclass(frozen=True)
class PulseCounts:
    """A group's pulse as counts of people, never of answers nor names."""

    answered: int  # people who answered a pulse with their current manager in the window
    learning_falling: int
    work_used_falling: int
    direction_doubt: int


# Whitespace a concern may be made of and still say nothing (Python's str.strip()).
_BLANK = " \t\n\r\x0b\x0c"


def pulse_counts_by_team(
    people: QuerySet[Person], *, since: date, last: int, low: int
) -> dict[int | None, PulseCounts]:
    """Per team of `people` (None: no team), in one query of SQL aggregates: how many
    answered a pulse with their current manager on or after `since`, and how many of
    those show each finding over their latest `last` pulses:

    - "Am I learning?" / "Is my work used?" falling: the latest answer `low` or below, or
      the latest two a point or more below the ones before them on average;
    - direction doubt: the latest direction answer `low` or below, or a concern raised.

    The same rules as retention's per-engineer ones (retention/signals.py `falling`), for
    aggregates behind the anonymity floor: only counts of people leave here.
    """
    people_sql, people_params = people.order_by().values("pk").query.sql_with_params()
    tables = {
        "pulse": Pulse._meta.db_table,
        "one": OneOnOne._meta.db_table,
        "pair": Pair._meta.db_table,
        "person": Person._meta.db_table,
    }
    falling = "CASE WHEN {q}_last <= %s OR {q}_recent <= {q}_before - 1 THEN 1 ELSE 0 END"
    sql = f"""
        WITH ranked AS (
            SELECT pr.engineer_id AS engineer_id, e.team_id AS team_id,
                   p.learning AS learning, p.work_used AS work_used,
                   p.direction AS direction,
                   CASE WHEN LTRIM(p.direction_concern, %s) <> '' THEN 1 ELSE 0 END AS concern,
                   ROW_NUMBER() OVER (
                       PARTITION BY pr.engineer_id ORDER BY o.date DESC
                   ) AS rn
            FROM {tables["pulse"]} p
            JOIN {tables["one"]} o ON o.id = p.one_on_one_id
            JOIN {tables["pair"]} pr ON pr.id = o.pair_id
            JOIN {tables["person"]} e ON e.id = pr.engineer_id
            WHERE pr.manager_id = e.manager_id AND o.date >= %s
              AND pr.engineer_id IN ({people_sql})
        ), one_each AS (
            SELECT engineer_id, team_id,
                   MAX(CASE WHEN rn = 1 THEN learning END) AS learning_last,
                   AVG(CASE WHEN rn <= 2 THEN learning * 1.0 END) AS learning_recent,
                   AVG(CASE WHEN rn > 2 THEN learning * 1.0 END) AS learning_before,
                   MAX(CASE WHEN rn = 1 THEN work_used END) AS work_used_last,
                   AVG(CASE WHEN rn <= 2 THEN work_used * 1.0 END) AS work_used_recent,
                   AVG(CASE WHEN rn > 2 THEN work_used * 1.0 END) AS work_used_before,
                   MAX(CASE WHEN rn = 1 THEN direction END) AS direction_last,
                   MAX(concern) AS concern
            FROM ranked WHERE rn <= %s GROUP BY engineer_id, team_id
        )
        SELECT team_id, COUNT(*),
               SUM({falling.format(q="learning")}),
               SUM({falling.format(q="work_used")}),
               SUM(CASE WHEN direction_last <= %s OR concern = 1 THEN 1 ELSE 0 END)
        FROM one_each GROUP BY team_id
    """  # noqa: S608 (table names from the models; every value is a parameter)
    params = [_BLANK, since, *people_params, last, low, low, low]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        team_id: PulseCounts(int(answered), int(learning), int(used), int(doubt))
        for team_id, answered, learning, used, doubt in rows
    }
