"""calibration/bench.py: the bench org's cycles, built in bulk (`make bench`)."""

from __future__ import annotations

import random

from django.db.models import F
from tqdm import tqdm

from accounts.bench import OrgSize, build_bench_org
from accounts.models import Person
from calibration.bench import build_calibration_bench
from calibration.models import CalibrationCycle, CycleMember, Dimension, Rating, RatingChange

State = CalibrationCycle.State


def test_a_cycle_in_calibration_over_the_org_and_a_published_one_for_the_engineer(db):
    rng = random.Random(5)
    org = build_bench_org(OrgSize(40, 6, 2), key="c1", rng=rng, bar=tqdm(disable=True))

    build_calibration_bench(org, rng=rng, bar=tqdm(disable=True))

    calibrating = CalibrationCycle.objects.get(state=State.CALIBRATING)
    assert calibrating.director == org.head
    below = Person.objects.below(org.head).filter(is_active=True, manager__isnull=False)
    assert set(calibrating.members.values_list("engineer", flat=True)) == set(
        below.values_list("pk", flat=True)
    )
    published = CalibrationCycle.objects.get(state=State.PUBLISHED)
    assert published.period_end < calibrating.period_start
    member = CycleMember.objects.get(cycle=published, engineer=org.engineer)
    dimensions = [d for d in Dimension.objects.all() if d.applies_to(org.engineer.level)]
    assert member.ratings.count() == len(dimensions) > 0
    # Every rating is drafted, locked and cites 1–3 of its engineer's work in the period.
    assert not CycleMember.objects.filter(locked_at__isnull=True).exists()
    for rating in Rating.objects.prefetch_related("evidence__contributions").select_related(
        "member__cycle"
    ):
        items = list(rating.evidence.all())
        assert 1 <= len(items) <= 3
        cycle = rating.member.cycle
        for item in items:
            assert cycle.period_start <= item.date <= cycle.period_end
            assert rating.member.engineer_id in {c.person_id for c in item.contributions.all()}
    # Only the published cycle's session moved ratings, each with its change.
    moved = Rating.objects.exclude(final_score=F("draft_score"))
    assert not moved.filter(member__cycle=calibrating).exists()
    assert RatingChange.objects.count() == moved.count()
