from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Level, Person, Team
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_demo_logins_with_their_roles():
    seed()

    director = Person.objects.get(email="director@example.com")
    manager = Person.objects.get(email="manager@example.com")
    engineer = Person.objects.get(email="engineer@example.com")
    admin = Person.objects.get(email="admin@example.com")
    assert director.is_director()
    assert manager.manager == director
    assert manager.is_manager()
    assert engineer.manager == manager
    assert not engineer.is_manager()
    assert admin.is_staff and admin.is_superuser
    assert not admin.is_manager()
    assert not director.is_staff and not manager.is_staff and not engineer.is_staff


def test_seed_demo_builds_a_realistic_org():
    seed()

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


def test_seed_demo_varies_time_at_level():
    seed()

    today = timezone.localdate()
    since = list(Person.objects.values_list("level_since", flat=True))
    assert any(d > today - timedelta(days=183) for d in since)
    assert any(d < today - timedelta(days=3 * 365) for d in since)


def test_seed_demo_twice_changes_nothing():
    seed()
    before = list(Person.objects.values_list("email", "name", "level", "manager_id", "team_id"))
    teams_before = Team.objects.count()

    output = seed()

    after = list(Person.objects.values_list("email", "name", "level", "manager_id", "team_id"))
    assert after == before
    assert Team.objects.count() == teams_before
    assert "(0 new)" in output


def test_seed_demo_if_empty_adds_nothing_when_people_exist():
    make_person("someone@example.com", "Someone Already")

    output = seed("--if-empty")

    assert list(Person.objects.values_list("email", flat=True)) == ["someone@example.com"]
    assert Team.objects.count() == 0
    assert "demo org not loaded" in output


def test_seed_demo_if_empty_seeds_an_empty_database():
    seed("--if-empty")

    assert Person.objects.filter(email="director@example.com").exists()


@pytest.mark.parametrize(
    "email",
    ["director@example.com", "manager@example.com", "engineer@example.com", "admin@example.com"],
)
def test_seed_demo_password_signs_in_demo_login(rf, email):
    output = seed()

    assert email in output
    assert "trellis-demo" in output
    request = rf.post("/accounts/login/")
    assert authenticate(request, username=email, password="trellis-demo") == Person.objects.get(
        email=email
    )
    assert authenticate(request, username=email, password="wrong-password") is None


def test_seed_demo_hashes_the_password_once_with_argon2():
    seed()

    hashes = set(Person.objects.values_list("password", flat=True))
    # One hash shared by everyone: hashing 30 times with Argon2 would be slow.
    assert len(hashes) == 1
    (password,) = hashes
    assert password.startswith("argon2")
    assert check_password("trellis-demo", password)
