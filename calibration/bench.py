"""Calibration for the benchmark's large org (`make bench`, home/bench/), in bulk.

Two cycles, each over everyone active below its director who has a manager (as
`services.open_cycle` would choose them), every member's ratings drafted on every
dimension that applies at their level and locked, 1–3 pieces of evidence each:

- the cycle being calibrated, opened by the head over the whole org (the session
  grid at its largest), over the last six months;
- the six months before, published: opened by the measured engineer's manager's
  manager over their subtree, where the session moved about one rating in twenty
  (a RatingChange each). The measured engineer reads their results in it.

Every member has 2–4 work items in the period (their own contribution, sometimes a
teammate's beside it): what their ratings cite. Rows are built in memory and
inserted in batches; the per-rating services would take far too long here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from tqdm import tqdm

from accounts.bench import BenchOrg
from accounts.models import Person
from calibration.models import (
    CalibrationCycle,
    Contribution,
    CycleMember,
    Dimension,
    Rating,
    RatingChange,
    WorkItem,
)

BATCH = 1000
PERIOD_DAYS = 181  # about six months, as in the demo
CURRENT_ENDS_DAYS_AGO = 14
SESSION_CHANGE_SHARE = 0.05  # published ratings the session moved
TEAMMATE_SHARE = 0.3  # work items with a teammate's contribution too

TOPICS = [
    "the reranker",
    "the retrieval index",
    "the eval harness",
    "the tokenizer",
    "the distillation run",
    "the feature store",
    "the serving path",
    "the labelling pipeline",
    "the safety classifier",
    "the vision backbone",
]
TITLES = [
    "Ablation of {t}",
    "Latency budget for {t}",
    "Migrating {t} to the new cluster",
    "Incident review: {t} timeouts",
    "Pre-registered study on {t}",
]
JUSTIFICATIONS = {
    "high": "Wrote the plan before the first run, chose baselines up front and shared "
    "the write-up with the team; the evidence shows the habit, not one good result.",
    "low": "The work happened, but the plan came after the runs and nobody else could "
    "reproduce it from the write-up; we agreed what to change next period.",
}
SESSION_REASON = "Compared with the rest of the cycle, the evidence reads one step apart."
HABITS = [(2, 3, 3, 3), (3, 3, 4, 4), (3, 4, 4, 4), (2, 2, 3, 3), (2, 3, 3, 4)]


@dataclass(frozen=True)
class _Period:
    start: date
    end: date

    def day(self, rng: random.Random) -> date:
        return self.start + timedelta(days=rng.randint(0, (self.end - self.start).days))


def build_calibration_bench(org: BenchOrg, *, rng: random.Random, bar: tqdm) -> None:
    """A cycle in calibration over the head's org and a published one before it."""
    today = timezone.localdate()
    current_end = today - timedelta(days=CURRENT_ENDS_DAYS_AGO)
    current = _Period(current_end - timedelta(days=PERIOD_DAYS), current_end)
    previous_end = current.start - timedelta(days=1)
    previous = _Period(previous_end - timedelta(days=PERIOD_DAYS), previous_end)
    dimensions = list(Dimension.objects.all())
    if not dimensions:
        return  # no rubric: nothing to rate
    up_line = org.by_id[org.manager.manager_id or org.head.pk]
    _cycle(org.head, current, CalibrationCycle.State.CALIBRATING, dimensions, rng, bar)
    _cycle(up_line, previous, CalibrationCycle.State.PUBLISHED, dimensions, rng, bar)


def _moment(day: date, hour: int) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(hour))), timezone.now())


def _cycle(
    director: Person,
    period: _Period,
    state: str,
    dimensions: list[Dimension],
    rng: random.Random,
    bar: tqdm,
) -> CalibrationCycle:
    people = list(Person.objects.below(director).filter(is_active=True, manager__isnull=False))
    published = state == CalibrationCycle.State.PUBLISHED
    cycle = CalibrationCycle.objects.create(
        name=f"{period.start:%b %Y} – {period.end:%b %Y}",
        director=director,
        period_start=period.start,
        period_end=period.end,
        state=state,
        created_at=_moment(period.end + timedelta(days=1), 9),
        published_at=_moment(period.end + timedelta(days=14), 9) if published else None,
    )
    bar.reset(total=len(people))
    bar.set_description(f"calibration: {cycle.get_state_display().lower()} cycle")
    own = _work_items(people, period, rng)
    locked = _moment(period.end + timedelta(days=3), 15)
    members = [
        CycleMember(cycle=cycle, engineer=p, manager_id=p.manager_id, locked_at=locked)
        for p in people
    ]
    CycleMember.objects.bulk_create(members, batch_size=BATCH)
    habit = {m.manager_id: rng.choice(HABITS) for m in members}
    ratings: list[Rating] = []
    evidence: list[tuple[Rating, list[WorkItem]]] = []
    for member in members:
        items = own[member.engineer_id]
        for dimension in dimensions:
            if not dimension.applies_to(member.engineer.level):
                continue
            score = rng.choice(habit[member.manager_id])
            rating = Rating(
                member=member,
                dimension=dimension,
                draft_score=score,
                final_score=score,
                justification=JUSTIFICATIONS["high" if score >= 3 else "low"],
                updated_at=locked,
            )
            ratings.append(rating)
            evidence.append((rating, rng.sample(items, min(len(items), rng.randint(1, 3)))))
        bar.update(1)
    Rating.objects.bulk_create(ratings, batch_size=BATCH)  # sets their ids
    through = Rating.evidence.through
    links = [
        through(rating_id=rating.pk, workitem_id=item.pk)
        for rating, items in evidence
        for item in items
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    if published:
        _session_changes(cycle, ratings, rng)
    return cycle


def _work_items(
    people: list[Person], period: _Period, rng: random.Random
) -> dict[int, list[WorkItem]]:
    """2–4 work items a person in the period, added by their manager."""
    by_manager: dict[int, list[Person]] = {}
    for person in people:
        by_manager.setdefault(person.manager_id, []).append(person)  # type: ignore[arg-type]
    items: list[WorkItem] = []
    owners: list[Person] = []
    for person in people:
        manager_id = person.manager_id
        assert manager_id is not None  # the cycle's members all have one
        for _ in range(rng.randint(2, 4)):
            day = period.day(rng)
            items.append(
                WorkItem(
                    kind=rng.choice(WorkItem.Kind.values),
                    title=rng.choice(TITLES).format(t=rng.choice(TOPICS)),
                    write_up="What we tried, what we measured and what we would do again.",
                    date=day,
                    result=rng.choice(WorkItem.Result.values),
                    created_by_id=manager_id,
                    created_at=_moment(day, 16),
                )
            )
            owners.append(person)
    WorkItem.objects.bulk_create(items, batch_size=BATCH)
    roles = Contribution.Role.values
    contributions = []
    own: dict[int, list[WorkItem]] = {p.pk: [] for p in people}
    for item, person in zip(items, owners, strict=True):
        own[person.pk].append(item)
        confirmed = _moment(item.date + timedelta(days=3), 11)
        role = rng.choice(roles)
        contributions.append(
            Contribution(
                work_item=item, person=person, role=role, statement="", confirmed_at=confirmed
            )
        )
        team = [p for p in by_manager[person.manager_id] if p.pk != person.pk]  # type: ignore[index]
        if team and rng.random() < TEAMMATE_SHARE:
            other = rng.choice([r for r in roles if r != role])
            contributions.append(
                Contribution(
                    work_item=item,
                    person=rng.choice(team),
                    role=other,
                    statement="",
                    confirmed_at=confirmed,
                )
            )
    Contribution.objects.bulk_create(contributions, batch_size=BATCH)
    return own


def _session_changes(cycle: CalibrationCycle, ratings: list[Rating], rng: random.Random) -> None:
    """The session moved a few ratings one step, each with its reason."""
    at = _moment(cycle.period_end + timedelta(days=12), 14)
    changed, changes = [], []
    for rating in ratings:
        if rng.random() >= SESSION_CHANGE_SHARE:
            continue
        step = (
            -1 if rating.draft_score == 4 or (rating.draft_score > 1 and rng.random() < 0.5) else 1
        )
        rating.final_score = rating.draft_score + step
        rating.version += 1
        rating.updated_at = at
        changed.append(rating)
        changes.append(
            RatingChange(
                rating=rating,
                actor=cycle.director,
                stage=RatingChange.Stage.SESSION,
                old_score=rating.draft_score,
                new_score=rating.final_score,
                reason=SESSION_REASON,
                at=at,
            )
        )
    Rating.objects.bulk_update(changed, ["final_score", "version", "updated_at"], batch_size=BATCH)
    RatingChange.objects.bulk_create(changes, batch_size=BATCH)
