"""Roles follow from the reporting tree, computed in one place (accounts/roles.py)."""

from __future__ import annotations

from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Person
from accounts.roles import Roles, roles_of


def test_roles_of_each_person_in_the_org(org):
    assert roles_of(org.director) == Roles(engineer=True, manager=True, director=True)
    assert roles_of(org.manager) == Roles(engineer=True, manager=True)
    assert roles_of(org.engineer) == Roles(engineer=True)
    assert roles_of(org.admin) == Roles(engineer=True, admin=True)


def test_deactivating_the_second_level_ends_the_director_role(client, org):
    # Dana's managers keep their place, but nobody below them is active any more.
    Person.objects.filter(manager__in=[org.manager, org.other_manager]).update(is_active=False)

    assert roles_of(org.director) == Roles(engineer=True, manager=True, director=False)
    client.force_login(org.director)
    response = client.get(reverse("home"))
    assertContains(response, "Your direct reports")
    assertNotContains(response, "Your organisation")


def test_deactivating_every_report_ends_the_manager_role(client, org):
    Person.objects.filter(manager=org.manager).update(is_active=False)

    assert roles_of(org.manager) == Roles(engineer=True)
    client.force_login(org.manager)
    assertNotContains(client.get(reverse("home")), "Your direct reports")
