"""`manage.py bench` at a tiny size: it runs end to end and writes every budget.

Times at this size mean nothing; what is checked is the shape of results.json
and the query counts, which must not depend on the org's size.
"""

from __future__ import annotations

import json
import random
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from tqdm import tqdm

from accounts.bench import OrgSize, build_bench_org, find_bench_org, other_build_exists
from calibration.models import Anchor, Dimension
from calibration.rubric_defaults import seed_rubric
from growth.ladder_defaults import seed_ladder
from growth.models import Competency, LevelPolicy, Transition
from home.bench import database
from home.bench.database import SQLITE_FILE, bench_name
from home.bench.registry import FLOOR, PAGES


@pytest.fixture(scope="module")
def results(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """One tiny bench run for the module, in a transaction rolled back afterwards."""
    output = tmp_path_factory.mktemp("bench") / "results.json"
    with django_db_blocker.unblock(), transaction.atomic():
        # A transactional test run earlier in this worker flushes the rows the data
        # migrations made (ladder, rubric); the bench builds on them, so restore them.
        seed_ladder(LevelPolicy, Transition, Competency)
        seed_rubric(Dimension, Anchor)
        call_command(
            "bench",
            engineers=30,
            requests=2,  # times mean nothing here: as few as the percentiles need
            warmup=0,
            no_load=True,
            current_database=True,
            output=str(output),
            verbosity=0,
        )
        transaction.set_rollback(True)
    return json.loads(output.read_text())


def test_bench_measures_the_floor_and_every_page_for_every_role(results):
    measured = [(row["page"], row["role"]) for row in results["pages"]]

    expected = [(page.name, role) for page in [FLOOR, *PAGES] for role in page.roles]
    assert measured == expected
    assert all(row["requests"] == 2 for row in results["pages"])
    assert results["pages"][0]["p95_ratio"] == 1.0
    assert results["load"] is None


def test_bench_has_a_time_budget_per_page_and_role(results):
    time_budgets = {b["name"]: b["limit"] for b in results["budgets"] if b["kind"] == "time"}

    assert time_budgets["org chart (director): p95 ≤ 20× floor"] == 20
    assert time_budgets["home (director): p95 ≤ 20× floor"] == 20
    assert time_budgets["home (manager): p95 ≤ 10× floor"] == 10
    assert time_budgets["plan history (engineer): p95 ≤ 10× floor"] == 10
    assert time_budgets["1:1 list (manager): p95 ≤ 10× floor"] == 10
    assert time_budgets["1:1 pair (manager): p95 ≤ 10× floor"] == 10
    assert time_budgets["1:1 (engineer): p95 ≤ 10× floor"] == 10
    assert time_budgets["calibration session (director): p95 ≤ 20× floor"] == 20
    assert time_budgets["calibration results (engineer): p95 ≤ 10× floor"] == 10
    assert len(time_budgets) == len(results["pages"]) - 1  # all but the floor


def test_bench_query_counts_are_the_same_at_both_org_sizes(results):
    checks = [b for b in results["budgets"] if b["kind"] == "queries"]

    assert len(checks) == len(results["pages"])
    unequal = [c["name"] for c in checks if not c["pass"]]
    assert unequal == []
    assert all(c["value"] == c["limit"] for c in checks)
    assert results["org"]["large"]["people"] == 1 + 2 + 4 + 30 + 1  # head, admin
    assert results["org"]["large"]["quarterly_reviews"] > 0
    # Every current pair meets (25 here: a manager and their reports left), most for two years.
    assert results["org"]["large"]["one_on_ones"] > 25 * 30
    assert results["org"]["large"]["pulses"] > 25 * 30


def test_bench_refuses_debug_settings(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="production settings"):
        call_command("bench", no_load=True, current_database=True)


def test_bench_org_is_found_again_by_its_key(db):
    bar = tqdm(disable=True)
    built = build_bench_org(OrgSize(12, 3, 2), key="t1", rng=random.Random(1), bar=bar)

    found = find_bench_org("t1")

    assert found is not None
    assert (found.head, found.manager, found.engineer, found.admin) == (
        built.head,
        built.manager,
        built.engineer,
        built.admin,
    )
    assert len(found.people) == len(built.people) == 1 + 2 + 1 + 2 + 12
    assert find_bench_org("t2") is None
    assert other_build_exists("t2")
    assert not other_build_exists("t1")


def test_bench_database_sits_beside_the_apps():
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "trellis"}
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/db.sqlite3"}

    assert bench_name(postgres) == "trellis_bench"
    assert bench_name(sqlite) == str(SQLITE_FILE)
    assert SQLITE_FILE.name == "bench.sqlite3"


class _FakeCursor:
    def __init__(self, sql: list[str]):
        self.sql = sql

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, statement, params=None):
        self.sql.append(statement % tuple(params or ()))

    def fetchone(self):
        return (1,)


def test_bench_database_started_anew_is_the_same_database(monkeypatch):
    """The second call (the bench holds another build) must not go to `<name>_bench_bench`."""
    sql: list[str] = []
    fake = SimpleNamespace(
        vendor="postgresql",
        settings_dict={"ENGINE": "django.db.backends.postgresql", "NAME": "trellis"},
        ops=SimpleNamespace(quote_name=lambda name: f'"{name}"'),
        _nodb_cursor=lambda: _FakeCursor(sql),
        close=lambda: None,
    )
    monkeypatch.setattr(database, "connection", fake)

    first = database.use_bench_database(fresh=False)
    again = database.use_bench_database(fresh=True)

    assert first == again == fake.settings_dict["NAME"] == "trellis_bench"
    assert 'DROP DATABASE IF EXISTS "trellis_bench" WITH (FORCE)' in sql
