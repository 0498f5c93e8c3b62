"""Org fixtures shared by every test, named by role.

The small org, one director's line and another's beside it:

    director (Dana)                      other_director (Olu)
    ├── manager (Mara, team Vision)      └── other_director_manager (Pat, team Search)
    │   ├── engineer (Eli)  ← "the person"      └── far_engineer (Fay)
    │   └── peer (Priya)
    └── other_manager (Omar, team Speech)
        └── other_engineer (Sam)
    admin (Ada, people ops, no reports)
    outsider (Otto, alone)
"""

from __future__ import annotations

import os
from datetime import date
from types import SimpleNamespace

import pytest

from accounts.models import Level, Person, Team

REQUIRE_SERVICES = os.environ.get("TRELLIS_REQUIRE_SERVICES", "").lower() in ("1", "true", "yes")


def service_missing(what: str) -> None:
    """Skip locally when a service is absent; fail in CI, where everything must run."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (TRELLIS_REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


def make_person(
    email: str,
    name: str,
    *,
    manager: Person | None = None,
    team: Team | None = None,
    level: str = Level.MID,
    level_since: date = date(2024, 1, 15),
    **extra,
) -> Person:
    # No password: hashing with Argon2 is slow and tests sign in with force_login.
    return Person.objects.create(
        email=email,
        name=name,
        manager=manager,
        team=team,
        level=level,
        level_since=level_since,
        password="!",
        **extra,
    )


@pytest.fixture
def org(db) -> SimpleNamespace:
    vision = Team.objects.create(name="Vision")
    speech = Team.objects.create(name="Speech")
    search = Team.objects.create(name="Search")
    director = make_person("dana@example.com", "Dana Director", level=Level.STAFF)
    manager = make_person(
        "mara@example.com", "Mara Manager", manager=director, team=vision, level=Level.SENIOR
    )
    engineer = make_person(
        "eli@example.com", "Eli Engineer", manager=manager, team=vision, level=Level.JUNIOR
    )
    peer = make_person("priya@example.com", "Priya Peer", manager=manager, team=vision)
    other_manager = make_person(
        "omar@example.com", "Omar Manager", manager=director, team=speech, level=Level.SENIOR
    )
    other_engineer = make_person(
        "sam@example.com", "Sam Speech", manager=other_manager, team=speech
    )
    other_director = make_person("olu@example.com", "Olu Director", level=Level.STAFF)
    other_director_manager = make_person(
        "pat@example.com", "Pat Manager", manager=other_director, team=search, level=Level.SENIOR
    )
    far_engineer = make_person(
        "fay@example.com", "Fay Far", manager=other_director_manager, team=search
    )
    admin = make_person("ada@example.com", "Ada Admin", is_staff=True, is_superuser=True)
    outsider = make_person("otto@example.com", "Otto Outsider")
    return SimpleNamespace(
        vision=vision,
        speech=speech,
        search=search,
        director=director,
        manager=manager,
        engineer=engineer,
        peer=peer,
        other_manager=other_manager,
        other_engineer=other_engineer,
        other_director=other_director,
        other_director_manager=other_director_manager,
        far_engineer=far_engineer,
        admin=admin,
        outsider=outsider,
    )


def build_chain_org(size: int, depth: int = 5) -> Person:
    """An org of `size` people, `depth` levels deep, under one top person (bulk-created)."""
    top = make_person(f"top{size}@example.com", "Top")
    people = [top]
    level_nodes = [top]
    created = 1
    per_level = max(1, (size - 1) // (depth - 1))
    for d in range(1, depth):
        batch = []
        for i in range(per_level if d < depth - 1 else size - created):
            parent = level_nodes[i % len(level_nodes)]
            batch.append(
                Person(
                    email=f"p{size}-{d}-{i}@example.com",
                    name=f"Person {d}-{i}",
                    manager=parent,
                    password="!",
                )
            )
        level_nodes = Person.objects.bulk_create(batch)
        people.extend(level_nodes)
        created += len(batch)
    return top


@pytest.fixture
def redis_url() -> str:
    """The real Redis of REDIS_URL: skipped locally without one, a failure in CI."""
    from django.conf import settings

    url = settings.REDIS_URL
    if not url:
        service_missing("Redis (REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except (OSError, redis.exceptions.ConnectionError):
        service_missing(f"Redis at {url}")
    return url


def restore_data_migrations() -> None:
    """Put back the rows the data migrations made — the ladder, the rubric, the problem
    types and the graveyard settings — if a transactional test run earlier in this
    worker flushed them (a flush empties every table, migration rows included).
    Each seed leaves existing rows alone."""
    from calibration.models import Anchor, Dimension
    from calibration.rubric_defaults import seed_rubric
    from growth.ladder_defaults import seed_ladder
    from growth.models import Competency, LevelPolicy, Transition
    from retention.models import GraveyardSettings, ProblemType
    from retention.problem_types import seed_problem_types

    if not LevelPolicy.objects.exists():
        seed_ladder(LevelPolicy, Transition, Competency)
    if not Dimension.objects.exists():
        seed_rubric(Dimension, Anchor)
    seed_problem_types(ProblemType)
    GraveyardSettings.objects.get_or_create(pk=1)
