"""The benchmark's large organisation (`make bench`, home/bench/): people and teams in bulk.

Five levels under one head: directors, group managers (managers of managers),
team managers, engineers; a few people deactivated, as in any real org. Nobody
has a usable password: the bench signs people in with sessions of its own.
Emails end in @bench.example, so the bench org never collides with the demo org
it shares a database with.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from tqdm import tqdm

from accounts.models import Level, Person, Team

DOMAIN = "bench.example"
BATCH = 1000

# fmt: off
FIRST = [
    "Ada", "Alan", "Amara", "Ana", "Arjun", "Ben", "Chen", "Dana", "Diego", "Elena", "Eli",
    "Fatima", "Grace", "Hana", "Hugo", "Ines", "Ingrid", "Jonas", "Kai", "Keiko", "Kwame", "Leo",
    "Lucia", "Maya", "Marco", "Mei", "Nadia", "Noor", "Olu", "Omar", "Priya", "Rahul", "Ravi",
    "Sam", "Sofia", "Tariq", "Tomasz", "Yusuf", "Zainab", "Zoe"
]
LAST = [
    "Adeyemi", "Bello", "Berg", "Bianchi", "Boateng", "Chen", "Demir", "Fischer", "Garcia",
    "Grant", "Haddad", "Halvorsen", "Iyer", "Keller", "Kim", "Laurent", "Lindqvist", "Marchetti",
    "Mensah", "Moreau", "Nakamura", "Novak", "Nowak", "Nwosu", "Okafor", "Osei", "Petrova",
    "Ramirez", "Raman", "Sato", "Shah", "Sharma", "Silva", "Tanaka", "Torres", "Wei", "Zhang"
]
AREAS = [
    "Retrieval", "Ranking", "Serving", "Evals", "Vision", "Speech", "Safety", "Pretraining",
    "Data", "Platform", "Agents", "Recommendations", "Forecasting", "Search", "Translation",
    "Robotics"
]
# fmt: on


@dataclass(frozen=True)
class OrgSize:
    engineers: int = 2000
    managers: int = 250
    directors: int = 8

    @classmethod
    def scaled(cls, engineers: int) -> OrgSize:
        """The default shape for `engineers`: one manager per 8, up to 8 directors."""
        managers = max(2, round(engineers / 8))
        return cls(engineers, managers, max(2, min(8, round(managers / 30))))

    @property
    def key(self) -> str:
        return f"e{self.engineers}-m{self.managers}-d{self.directors}"


@dataclass
class BenchOrg:
    """The people the bench signs in as, and everyone the other builders fill in."""

    head: Person  # the top director: every org-wide page at its largest
    manager: Person  # a team manager, the engineer's
    engineer: Person  # the engineer whose pages are measured
    admin: Person  # people ops: no reports
    people: list[Person]  # everyone in the tree, the head first
    engineers: list[Person]  # the bottom level, deactivated ones included
    by_id: dict[int, Person]


def email(role: str, key: str) -> str:
    """Addresses name the build (`key`), so a different build is told apart."""
    return f"{role}-{key}@{DOMAIN}"


def find_bench_org(key: str) -> BenchOrg | None:
    """The org an earlier run built with the same key, or None."""
    head = Person.objects.filter(email=email("head", key)).first()
    if head is None:
        return None
    people = list(Person.objects.subtree_of(head.pk).order_by("pk"))
    by_id = {p.pk: p for p in people}
    engineer = next(p for p in people if p.email == email("engineer0", key))
    return BenchOrg(
        head=head,
        manager=by_id[engineer.manager_id],
        engineer=engineer,
        admin=Person.objects.get(email=email("people-ops", key)),
        people=people,
        engineers=[p for p in people if p.email.startswith("engineer")],
        by_id=by_id,
    )


def other_build_exists(key: str) -> bool:
    """Whether the database holds a bench org built with another key."""
    heads = Person.objects.filter(email__startswith="head-", email__endswith=f"@{DOMAIN}")
    return heads.exclude(email=email("head", key)).exists()


def build_bench_org(size: OrgSize, *, key: str, rng: random.Random, bar: tqdm) -> BenchOrg:
    """Create the org in bulk: one INSERT per level and per 1,000 people."""
    today = timezone.localdate()
    names = _names(rng)
    head = Person.objects.create(
        email=email("head", key),
        name="Morgan Head",
        level=Level.STAFF,
        level_since=today - timedelta(days=900),
        password="!",
    )
    admin = Person.objects.create(
        email=email("people-ops", key),
        name="Pat People-Ops",
        level=Level.SENIOR,
        password="!",
        is_staff=True,
    )
    groups = max(1, round(size.managers / 6))
    tiers = [
        ("director", size.directors, Level.STAFF),
        ("group", groups, Level.STAFF),
        ("manager", size.managers - groups, Level.SENIOR),
        ("engineer", size.engineers, None),
    ]
    bar.reset(total=1 + sum(count for _, count, _ in tiers))
    bar.set_description("people")
    bar.update(1)
    people = [head]
    above = [head]
    for tier, count, level in tiers:
        teams: list[Team] = []
        if tier == "manager":
            teams = Team.objects.bulk_create(
                Team(name=f"{AREAS[i % len(AREAS)]} {i // len(AREAS) + 1}") for i in range(count)
            )
        batch = []
        for i in range(count):
            manager = above[i % len(above)]
            batch.append(
                Person(
                    email=email(f"{tier}{i}", key),
                    name=next(names),
                    manager=manager,
                    # A team manager leads a team and their engineers are in it.
                    team_id=teams[i].pk if teams else manager.team_id,
                    level=level or rng.choice([Level.JUNIOR, Level.MID, Level.MID, Level.SENIOR]),
                    level_since=today - timedelta(days=rng.randint(20, 5 * 365)),
                    password="!",
                )
            )
        above = []
        for start in range(0, len(batch), BATCH):
            above += Person.objects.bulk_create(batch[start : start + BATCH])
            bar.update(len(batch[start : start + BATCH]))
        people += above
    # Leavers: a few engineers, and a team manager whose reports stay on (the
    # chart moves them up a level).
    engineer = above[0]
    manager = people[1 + size.directors + groups]  # the engineer's manager
    gone = {p.pk for p in above[7::50]} | {people[2 + size.directors + groups].pk}
    Person.objects.filter(pk__in=gone).update(is_active=False)
    for person in people:
        person.is_active = person.pk not in gone
    assert engineer.manager_id == manager.pk and engineer.is_active and manager.is_active
    return BenchOrg(
        head=head,
        manager=manager,
        engineer=engineer,
        admin=admin,
        people=people,
        engineers=above,
        by_id={p.pk: p for p in people},
    )


def _names(rng: random.Random) -> Iterator[str]:
    while True:
        yield f"{rng.choice(FIRST)} {rng.choice(LAST)}"
