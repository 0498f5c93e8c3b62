"""accounts/demo.py: the demo org's people and teams. The command is tested in tests/home/."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from accounts.demo import seed_demo_org
from accounts.models import Level, Person, Team
from accounts.roles import roles_for

pytestmark = pytest.mark.django_db

PERSON_FIELDS = (
    "email",
    "name",
    "level",
    "level_since",
    "manager_id",
    "team_id",
    "password",
    "is_active",
    "is_staff",
    "is_superuser",
)


def roles(rf, person: Person):
    request = rf.get("/")
    request.user = person
    return roles_for(request)


def people_rows() -> list[tuple]:
    return list(Person.objects.order_by("email").values_list(*PERSON_FIELDS))


def test_seed_demo_org_creates_the_demo_logins_with_their_roles(rf):
    seed_demo_org()

    director = Person.objects.get(email="director@example.com")
    manager = Person.objects.get(email="manager@example.com")
    engineer = Person.objects.get(email="engineer@example.com")
    admin = Person.objects.get(email="admin@example.com")
    assert roles(rf, director).director
    assert manager.manager == director
    assert roles(rf, manager).manager
    assert engineer.manager == manager
    assert not roles(rf, engineer).manager
    assert admin.is_staff and admin.is_superuser
    assert not roles(rf, admin).manager
    assert not director.is_staff and not manager.is_staff and not engineer.is_staff


def test_seed_demo_org_builds_a_realistic_org():
    org = seed_demo_org()

    director = Person.objects.get(email="director@example.com")
    managers = Person.objects.filter(manager=director)
    engineers = Person.objects.filter(manager__in=managers)
    assert 3 <= managers.count() <= 4
    assert engineers.count() >= 25
    assert set(engineers.values_list("level", flat=True)) == set(Level.values)
    assert {"Retrieval & RAG", "Serving Infrastructure", "Evals", "Vision"} <= set(
        Team.objects.values_list("name", flat=True)
    )
    # Everyone but people ops sits in the director's tree.
    assert Person.objects.subtree_of(director.pk).count() == Person.objects.count() - 1
    assert org.created == len(org.people) == Person.objects.count()
    assert set(org.people) == set(Person.objects.values_list("email", flat=True))


def test_seed_demo_org_varies_time_at_level():
    seed_demo_org()

    today = timezone.localdate()
    since = list(Person.objects.values_list("level_since", flat=True))
    assert any(d > today - timedelta(days=183) for d in since)
    assert any(d < today - timedelta(days=3 * 365) for d in since)


def test_seed_demo_org_twice_changes_nothing():
    seed_demo_org()
    before = people_rows()
    teams_before = Team.objects.count()

    again = seed_demo_org()

    assert people_rows() == before
    assert Team.objects.count() == teams_before
    assert again.created == 0
    assert len(again.people) == len(before)


def test_seed_demo_org_again_leaves_edited_people_as_they_are():
    # The demo promises a demo someone has been editing is never reset under them.
    seed_demo_org()
    serving = Team.objects.get(name="Serving Infrastructure")
    tomasz = Person.objects.get(email="tomasz.nowak@example.com")
    Person.objects.filter(email="engineer@example.com").update(
        name="Leo Fischer-Berg",
        level=Level.SENIOR,
        level_since=date(2025, 2, 1),
        manager=tomasz,
        team=serving,
    )
    Person.objects.filter(email="amara.nwosu@example.com").update(manager=None, team=None)
    Person.objects.filter(email="chen.wei@example.com").update(is_active=False)
    Person.objects.filter(email="director@example.com").update(password="changed")
    before = people_rows()

    again = seed_demo_org()

    assert people_rows() == before
    leo = Person.objects.get(email="engineer@example.com")
    assert (leo.name, leo.level, leo.manager, leo.team) == (
        "Leo Fischer-Berg",
        Level.SENIOR,
        tomasz,
        serving,
    )
    assert again.created == 0
    assert again.people["engineer@example.com"].name == "Leo Fischer-Berg"


def test_seed_demo_org_recreates_only_a_deleted_person():
    seed_demo_org()
    Person.objects.filter(email="hugo.laurent@example.com").delete()
    others = [row for row in people_rows() if row[0] != "hugo.laurent@example.com"]

    again = seed_demo_org()

    assert again.created == 1
    assert [row for row in people_rows() if row[0] != "hugo.laurent@example.com"] == others
    hugo = Person.objects.get(email="hugo.laurent@example.com")
    assert hugo.manager == Person.objects.get(email="samuel.mensah@example.com")


def test_seed_demo_org_hashes_the_password_once_with_argon2():
    seed_demo_org()

    hashes = set(Person.objects.values_list("password", flat=True))
    # One hash shared by everyone: hashing 30 times with Argon2 would be slow.
    assert len(hashes) == 1
    (password,) = hashes
    assert password.startswith("argon2")
    assert check_password("trellis-demo", password)
