"""Snapshots of every engineer's signals per quarter, so the dashboard draws trends."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import Person
from retention.dashboard import quarter_of
from retention.models import SignalSnapshot
from retention.signals import RECORD_KINDS, compute_signals


@transaction.atomic
def take_signal_snapshots(*, at: date | None = None) -> int:
    """Store each active engineer's record-based signals for the quarter of `at` (today
    by default); run again in the same quarter, it replaces that quarter's rows, so two
    runs (or two schedulers) leave one snapshot per engineer and quarter. Answers how many
    engineers were snapshotted.

    Computed as a viewer above everyone would see them, with no pulse: pulse answers
    belong to the 1:1 pair and are never stored per person.
    """
    today = at or timezone.localdate()
    period = quarter_of(today)
    people = list(Person.objects.filter(is_active=True).select_related("team"))
    if not people:
        return 0
    snapshots = []
    taken_at = timezone.now()  # one moment for the whole snapshot: the pages say "as of"
    for engineer in _signals_for_everyone(people, today):
        kinds = [kind for kind in RECORD_KINDS if kind in engineer.record_kinds]
        points = sum(s.points for s in engineer.signals if s.kind in engineer.record_kinds)
        snapshots.append(
            SignalSnapshot(
                person=engineer.person,
                team=engineer.person.team,
                period=period,
                kinds=kinds,
                points=points,
                taken_at=taken_at,
                **{kind: kind in kinds for kind in RECORD_KINDS},
            )
        )
    SignalSnapshot.objects.filter(period=period).delete()
    SignalSnapshot.objects.bulk_create(snapshots, batch_size=1000)
    return len(snapshots)


def _signals_for_everyone(people: list[Person], today: date):
    by_top: dict[int, list[Person]] = {}
    ids = {p.pk for p in people}
    parents = {p.pk: p.manager_id for p in people}
    for person in people:
        top = person.pk
        seen = {top}
        while parents.get(top) in ids and parents[top] not in seen:
            top = parents[top]  # type: ignore[assignment]
            seen.add(top)
        by_top.setdefault(top, []).append(person)
    tops = {p.pk: p for p in people}
    for top_id, members in by_top.items():
        # The top of each tree views it (the 1:1 gaps are read below a viewer), with
        # pulse left out: the snapshot is nobody's 1:1 partner.
        yield from compute_signals(members, viewer=tops[top_id], today=today, with_pulse=False)
