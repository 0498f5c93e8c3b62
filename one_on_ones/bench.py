"""1:1s for the benchmark's large org (`make bench`, home/bench/), in bulk.

Every current manager–report pair (both active) meets fortnightly: most for the
last two years, some for less (a report who joined or moved since), a few with
no 1:1 for months (a cadence gap). Each held 1:1 has shared notes and the
engineer's pulse; the manager keeps a private note on about one in four; the last
ten (the agenda-ownership window) have a couple of agenda items and an action item,
ticked before the next 1:1 but the latest, whose open item is carried into the one
planned ahead. About 100,000 1:1s at 2,000 engineers. The measured pair (the
bench org's manager and engineer) has the full two years and an action item the
manager has carried so long that it is flagged.

Rows are built in memory a few hundred pairs at a time and inserted in batches.
Private notes go in through `PrivateNote._base`: the default manager finds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Model
from django.utils import timezone
from tqdm import tqdm

from accounts.bench import BenchOrg
from accounts.models import Person
from one_on_ones.models import (
    CARRY_FLAG_AFTER,
    ActionItem,
    AgendaItem,
    Cadence,
    OneOnOne,
    Pair,
    PrivateNote,
    Pulse,
)

BATCH = 1000
PAIRS_AT_ONCE = 200  # pairs whose rows are in memory together (~9,000 1:1s)
EVERY = timedelta(days=Cadence.FORTNIGHTLY.value)
HELD = 52  # two years of fortnightly 1:1s
DETAILED = 10  # the latest with agenda and action items (the ownership window)
NEWER_SHARE = 0.2  # pairs that started less than two years ago
LAPSED_SHARE = 0.03  # pairs whose 1:1s stopped two to four months ago
SKIPPED_SHARE = 0.05  # 1:1s that did not happen (holidays, travel)
PRIVATE_SHARE = 0.25  # held 1:1s with the manager's private note

ENGINEER_TOPICS = [
    "Feedback on my design doc",
    "Rotating onto serving work next quarter",
    "On-call load this sprint",
    "Which eval set we should trust",
    "Blocked on GPU quota for the ablations",
    "What 'production thinking' means at my level",
    "Training run costs are creeping up",
    "Review of my experiment plan",
]
MANAGER_TOPICS = [
    "Feedback from the launch review",
    "Quarterly goals check-in",
    "Incident follow-up",
    "Priorities for the next two weeks",
]
CLOSINGS = [
    "Agreed next steps below.",
    "Good conversation; nothing blocking.",
    "Picking this up again next time.",
    "Both of us to think about it before the next 1:1.",
]
ACTIONS = [
    "Share the design doc with two reviewers",
    "Write up the ablation results",
    "Book time with the serving team",
    "Draft the eval plan",
    "Summarise the incident timeline",
]
PRIVATE = [
    "Seems well. Keep an eye on on-call load.",
    "Quieter than usual today; ask how the project is going outside the 1:1.",
    "Ready for more scope: look for a project to lead next quarter.",
]
STUCK_ACTION = "Get a seat in the serving team's incident reviews"


@dataclass
class _Pair:
    """One pair's schedule, before its rows are built."""

    pair: Pair
    held: list[date]  # oldest first, all on or before today
    upcoming: date | None  # the 1:1 planned ahead
    heavy: bool = False  # the measured pair

    @property
    def count(self) -> int:
        return len(self.held) + (self.upcoming is not None)


@dataclass
class _Rows:
    """The rows hanging off a batch of 1:1s, inserted once the 1:1s have ids."""

    pulses: list[Pulse] = field(default_factory=list)
    agenda: list[AgendaItem] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    notes: list[PrivateNote] = field(default_factory=list)


def build_one_on_ones_bench(org: BenchOrg, *, rng: random.Random, bar: tqdm) -> None:
    """Pairs and their 1:1s for every current manager–report pair of `org`."""
    today = timezone.localdate()
    schedules = [_schedule(person, org, today, rng) for person in _reports(org)]
    Pair.objects.bulk_create([s.pair for s in schedules], batch_size=BATCH)  # sets their ids
    bar.reset(total=sum(s.count for s in schedules))
    bar.set_description("1:1s")
    for start in range(0, len(schedules), PAIRS_AT_ONCE):
        chunk = schedules[start : start + PAIRS_AT_ONCE]
        rows = _Rows()
        meetings = [(s, _meetings(s, rng)) for s in chunk]
        ones = [one for _, pair_ones in meetings for one in pair_ones]
        for offset in range(0, len(ones), BATCH):
            OneOnOne.objects.bulk_create(ones[offset : offset + BATCH])
            bar.update(len(ones[offset : offset + BATCH]))
        for schedule, pair_ones in meetings:
            _content(schedule, pair_ones, rows, rng)
        _insert(Pulse, rows.pulses)
        _insert(AgendaItem, rows.agenda)
        _insert(ActionItem, rows.actions)
        for offset in range(0, len(rows.notes), BATCH):
            PrivateNote._base.bulk_create(rows.notes[offset : offset + BATCH])


def _reports(org: BenchOrg) -> list[Person]:
    """Everyone active whose manager is active: the current pairs."""
    return [
        p for p in org.people if p.is_active and p.manager_id and org.by_id[p.manager_id].is_active
    ]


def _schedule(person: Person, org: BenchOrg, today: date, rng: random.Random) -> _Pair:
    """Fortnightly on one weekday from the pair's start to today, a few missed."""
    heavy = person.pk == org.engineer.pk
    manager = org.by_id[person.manager_id]  # type: ignore[index]
    held = HELD if heavy or rng.random() >= NEWER_SHARE else rng.randint(4, HELD - 1)
    last = today - timedelta(days=rng.randint(1, 11))
    last -= timedelta(days=max(0, last.weekday() - 4))  # a weekday: the planned one is ahead
    days = [last - EVERY * n for n in reversed(range(held))]
    upcoming: date | None = last + EVERY
    if not heavy and rng.random() < LAPSED_SHARE:
        stopped = rng.randint(5, 8)  # 1:1s not held since: more than 3 × the cadence
        days, upcoming = days[:-stopped] or days[:1], None
    kept = [d for d in days[:-1] if heavy or rng.random() >= SKIPPED_SHARE] + days[-1:]
    pair = Pair(
        manager=manager,
        engineer=person,
        cadence=Cadence.FORTNIGHTLY,
        created_at=_moment(days[0] - timedelta(days=rng.randint(1, 10)), 9),
    )
    return _Pair(pair, kept, upcoming, heavy)


def _meetings(s: _Pair, rng: random.Random) -> list[OneOnOne]:
    """The pair's 1:1s, oldest first, the planned one last; shared notes written on the day."""
    manager = s.pair.manager
    ones = []
    for day in s.held:
        closing = rng.choice(CLOSINGS)
        ones.append(
            OneOnOne(
                pair=s.pair,
                date=day,
                shared_notes=f"Talked about {rng.choice(ENGINEER_TOPICS).lower()}. {closing}",
                version=2,
                created_by=manager,
                created_at=_moment(day - timedelta(days=3), 10),
                updated_at=_moment(day, 11),
            )
        )
    if s.upcoming is not None:
        logged = _moment(s.held[-1], 12)
        ones.append(
            OneOnOne(
                pair=s.pair,
                date=s.upcoming,
                created_by=manager,
                created_at=logged,
                updated_at=logged,
            )
        )
    return ones


def _content(s: _Pair, ones: list[OneOnOne], rows: _Rows, rng: random.Random) -> None:
    """Pulse and private notes on the held 1:1s; agenda and actions on the latest."""
    manager, engineer = s.pair.manager, s.pair.engineer
    held = ones[: len(s.held)]
    upcoming = ones[-1] if s.upcoming is not None else None
    base = rng.choice([3, 4, 4, 4, 5])  # how this engineer feels, give or take
    for one in held:
        rows.pulses.append(
            Pulse(
                one_on_one=one,
                learning=_score(base + rng.choice([-1, 0, 0, 1])),
                work_used=_score(base + rng.choice([-1, 0, 0, 1])),
                direction=_score(base + rng.choice([-2, -1, 0, 0, 1])),
                answered_at=_moment(one.date, 12),
            )
        )
        if rng.random() < PRIVATE_SHARE or (s.heavy and one is held[-1]):
            rows.notes.append(
                PrivateNote(
                    one_on_one=one,
                    author=manager,
                    body=rng.choice(PRIVATE),
                    created_at=_moment(one.date, 11),
                    updated_at=_moment(one.date, 11),
                )
            )
    recent = held[-DETAILED:]
    for n, one in enumerate(recent):
        ahead = _moment(one.date - timedelta(days=2), 9)
        rows.agenda.append(
            AgendaItem(
                one_on_one=one,
                text=rng.choice(ENGINEER_TOPICS),
                added_by=engineer,
                discussed=True,
                created_at=ahead,
            )
        )
        by, topics = (manager, MANAGER_TOPICS) if n % 2 else (engineer, ENGINEER_TOPICS)
        rows.agenda.append(
            AgendaItem(
                one_on_one=one,
                text=rng.choice(topics),
                added_by=by,
                discussed=True,
                created_at=ahead,
            )
        )
        owner = engineer if n % 2 else manager
        latest = one is held[-1]
        rows.actions.append(
            ActionItem(
                # The latest one's is still open: it moved into the planned 1:1.
                one_on_one=upcoming if latest and upcoming else one,
                text=rng.choice(ACTIONS),
                owner=owner,
                due_date=one.date + timedelta(days=10),
                done_at=None if latest else _moment(one.date + timedelta(days=7), 15),
                times_carried=1 if latest and upcoming else 0,
                created_by=manager,
                created_at=_moment(one.date, 11),
            )
        )
    if upcoming is not None:
        rows.agenda.append(
            AgendaItem(
                one_on_one=upcoming,
                text=rng.choice(ENGINEER_TOPICS),
                added_by=engineer,
                created_at=_moment(s.held[-1] + timedelta(days=3), 9),
            )
        )
    if s.heavy and upcoming is not None and len(recent) > CARRY_FLAG_AFTER + 1:
        made = recent[-(CARRY_FLAG_AFTER + 1)]
        rows.actions.append(
            ActionItem(
                one_on_one=upcoming,
                text=STUCK_ACTION,
                owner=manager,
                due_date=made.date + timedelta(days=14),
                times_carried=CARRY_FLAG_AFTER + 1,
                created_by=manager,
                created_at=_moment(made.date, 11),
            )
        )


def _score(score: int) -> int:
    return max(1, min(5, score))


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _insert(model: type[Model], rows: list) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])  # type: ignore[attr-defined]
