"""one_on_ones/bench.py: the bench org's 1:1s, built in bulk (`make bench`)."""

from __future__ import annotations

import random

from django.utils import timezone
from tqdm import tqdm

from accounts.bench import OrgSize, build_bench_org
from one_on_ones.bench import HELD, build_one_on_ones_bench
from one_on_ones.models import ActionItem, OneOnOne, Pair, PrivateNote, Pulse


def test_every_current_pair_meets_and_the_measured_pair_for_two_years(db):
    rng = random.Random(3)
    org = build_bench_org(OrgSize(40, 6, 2), key="o1", rng=rng, bar=tqdm(disable=True))

    build_one_on_ones_bench(org, rng=rng, bar=tqdm(disable=True))

    current = {
        (p.manager_id, p.pk)
        for p in org.people
        if p.is_active and p.manager_id and org.by_id[p.manager_id].is_active
    }
    assert set(Pair.objects.values_list("manager", "engineer")) == current
    today = timezone.localdate()
    measured = OneOnOne.objects.filter(pair__manager=org.manager, pair__engineer=org.engineer)
    held = measured.filter(date__lte=today)
    assert held.count() == HELD
    assert measured.filter(date__gt=today).count() == 1  # the one planned ahead
    # Every held 1:1 has its pulse; the planned ones none.
    assert Pulse.objects.count() == OneOnOne.objects.filter(date__lte=today).count()
    # The latest held one is the 1:1 page the bench measures: agenda, pulse, a private note.
    latest = held.first()
    assert latest is not None and latest.agenda.count() == 2
    assert PrivateNote.objects.by(org.manager).filter(one_on_one=latest).exists()
    assert not PrivateNote.objects.by(org.engineer).exists()
    assert ActionItem.objects.filter(one_on_one__pair__engineer=org.engineer).open().count() == 2
