"""retention/bench.py: the bench org's registry, assignments and audits, in bulk."""

from __future__ import annotations

import random

from tqdm import tqdm

from accounts.bench import OrgSize, build_bench_org
from retention.bench import AUDITS, build_retention_bench
from retention.models import Assignment, AuditRun, GraveyardRate, ModelOwner, RegisteredModel


def test_every_engineer_has_models_assignments_and_six_audits_rate_their_teams(db):
    rng = random.Random(11)
    org = build_bench_org(OrgSize(40, 6, 2), key="r1", rng=rng, bar=tqdm(disable=True))

    build_retention_bench(org, rng=rng, bar=tqdm(disable=True))

    engineers = [p for p in org.engineers if p.is_active and p.manager_id]
    owners = set(ModelOwner.objects.values_list("person", flat=True))
    assert owners == {p.pk for p in engineers}
    assert set(Assignment.objects.values_list("engineer", flat=True)) == owners
    # One current assignment each (the database's constraint holds it too).
    assert Assignment.objects.filter(ended_on__isnull=True).count() == len(owners)
    assert AuditRun.objects.count() == AUDITS
    latest = AuditRun.objects.first()
    assert latest is not None and latest.findings_count > 0
    assert GraveyardRate.objects.filter(run=latest, team__isnull=False).exists()
    assert RegisteredModel.objects.count() >= 2 * len(engineers)
