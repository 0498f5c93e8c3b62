"""The reminder job's bench entry (make bench): same queries at any size, data rolled back."""

from __future__ import annotations

from growth.models import GrowthPlan
from home.bench.jobs import measure_reminder_job
from notifications.models import Notification


def test_the_reminder_job_bench_costs_the_same_queries_at_two_sizes(db):
    small = measure_reminder_job(engineers=8)
    # Within one bulk insert on SQLite too (PostgreSQL: 14 queries at 2,000 as well).
    large = measure_reminder_job(engineers=20)

    assert (small.found, small.sent) == (8, 24)  # engineer, manager, director each
    assert (large.found, large.sent) == (20, 60)
    assert small.queries == large.queries
    assert GrowthPlan.objects.count() == Notification.objects.count() == 0
