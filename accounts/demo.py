"""The demo organisation: a small AI/ML org to click around in.

`seed_demo_org()` builds it and is safe to run again: people and teams are
looked up by email and name, and rows that already exist are left as they
are (so a demo someone has been editing is never reset under them). Feature
apps seed their own demo data for these people (growth/demo.py); the
`seed_demo` command (home/) calls the seeders in order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Level, Person, Team

DEMO_PASSWORD = "trellis-demo"

RAG = "Retrieval & RAG"
SERVING = "Serving Infrastructure"
EVALS = "Evals"
VISION = "Vision"
TEAMS = [RAG, SERVING, EVALS, VISION]


@dataclass(frozen=True)
class DemoPerson:
    name: str
    level: Level
    months_at_level: int
    team: str | None = None
    email: str = ""  # empty: derived from the name (first.last@example.com)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


@dataclass(frozen=True)
class DemoOrg:
    people: dict[str, Person]  # by email, whether created now or before
    teams: dict[str, Team]  # by name
    created: int  # people created by this run


DIRECTOR = DemoPerson("Dana Okafor", Level.STAFF, 31, email="director@example.com")
ADMIN = DemoPerson("Ines Moreau", Level.SENIOR, 16, email="admin@example.com")

# Each manager leads one team; their engineers are listed under them. Months at
# level vary on purpose: some people are new to their level, some have been
# there three years or more (the stagnation signals need both).
MANAGERS: list[tuple[DemoPerson, list[DemoPerson]]] = [
    (
        DemoPerson("Priya Raman", Level.SENIOR, 26, RAG, email="manager@example.com"),
        [
            DemoPerson("Leo Fischer", Level.MID, 8, RAG, email="engineer@example.com"),
            DemoPerson("Amara Nwosu", Level.JUNIOR, 3, RAG),
            # The stagnating senior of the growth demo: over four years at level.
            DemoPerson("Rahul Iyer", Level.SENIOR, 50, RAG),
            DemoPerson("Sofia Marchetti", Level.MID, 28, RAG),
            DemoPerson("Chen Wei", Level.JUNIOR, 15, RAG),
            DemoPerson("Hannah Berg", Level.STAFF, 44, RAG),
            DemoPerson("Diego Ramírez", Level.MID, 2, RAG),
        ],
    ),
    (
        DemoPerson("Tomasz Nowak", Level.STAFF, 40, SERVING),
        [
            DemoPerson("Yusuf Demir", Level.SENIOR, 11, SERVING),
            DemoPerson("Maya Goldberg", Level.MID, 19, SERVING),
            DemoPerson("Kwame Boateng", Level.JUNIOR, 6, SERVING),
            DemoPerson("Elena Petrova", Level.STAFF, 30, SERVING),
            DemoPerson("Jonas Lindqvist", Level.MID, 37, SERVING),
            DemoPerson("Aiko Sato", Level.JUNIOR, 1, SERVING),
        ],
    ),
    (
        DemoPerson("Keiko Tanaka", Level.SENIOR, 14, EVALS),
        [
            DemoPerson("Fatima El Amrani", Level.MID, 13, EVALS),
            DemoPerson("Oliver Grant", Level.JUNIOR, 22, EVALS),
            DemoPerson("Nadia Haddad", Level.SENIOR, 5, EVALS),
            DemoPerson("Ravi Shankar", Level.MID, 40, EVALS),
            DemoPerson("Lucía Torres", Level.JUNIOR, 9, EVALS),
            DemoPerson("Ben Adeyemi", Level.SENIOR, 27, EVALS),
        ],
    ),
    (
        DemoPerson("Samuel Mensah", Level.STAFF, 20, VISION),
        [
            DemoPerson("Ingrid Halvorsen", Level.SENIOR, 36, VISION),
            DemoPerson("Marco Bianchi", Level.MID, 7, VISION),
            DemoPerson("Zainab Bello", Level.JUNIOR, 4, VISION),
            DemoPerson("Thomas Keller", Level.STAFF, 18, VISION),
            DemoPerson("Anika Sharma", Level.MID, 24, VISION),
            DemoPerson("Hugo Laurent", Level.JUNIOR, 12, VISION),
            DemoPerson("Grace Osei", Level.MID, 31, VISION),
        ],
    ),
]

LOGINS = [
    DemoLogin("director@example.com", "director"),
    DemoLogin("manager@example.com", "manager"),
    DemoLogin("engineer@example.com", "engineer"),
    DemoLogin("admin@example.com", "admin (people ops)"),
]


def email_for(person: DemoPerson) -> str:
    if person.email:
        return person.email
    ascii_name = unicodedata.normalize("NFKD", person.name).encode("ascii", "ignore").decode()
    return ".".join(ascii_name.lower().split()) + "@example.com"


def _months_ago(today: date, months: int) -> date:
    # Dates are relative to the day of seeding so the demo never looks stale.
    return today - timedelta(days=round(months * 30.44))


@transaction.atomic
def seed_demo_org() -> DemoOrg:
    """Create the demo people and teams that are missing; never change existing ones."""
    today = timezone.localdate()
    # Argon2 is deliberately slow: hash once and share the hash.
    password = make_password(DEMO_PASSWORD)
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in TEAMS}
    people: dict[str, Person] = {}
    created = 0

    def add(spec: DemoPerson, manager: Person | None, **extra) -> Person:
        nonlocal created
        person, was_created = Person.objects.get_or_create(
            email=email_for(spec),
            defaults={
                "name": spec.name,
                "level": spec.level,
                "level_since": _months_ago(today, spec.months_at_level),
                "manager": manager,
                "team": teams[spec.team] if spec.team else None,
                "password": password,
                **extra,
            },
        )
        created += was_created
        people[person.email] = person
        return person

    director = add(DIRECTOR, None)
    for manager_spec, engineers in MANAGERS:
        manager = add(manager_spec, director)
        for engineer_spec in engineers:
            add(engineer_spec, manager)
    # Superuser too, so the Django admin works for people ops.
    add(ADMIN, None, is_staff=True, is_superuser=True)
    return DemoOrg(people=people, teams=teams, created=created)
