"""The pages that gather several apps: the home page by role and a person's profile."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Level, Person
from tests.accounts.test_views import big_org, profile_url
from tests.conftest import make_person

# Home


@time_machine.travel(date(2025, 4, 20), tick=False)
def test_home_engineer_sees_own_summary_only(client, org):
    client.force_login(org.engineer)

    response = client.get(reverse("home"))

    assertContains(response, "<dt>Level</dt><dd>Junior</dd>", html=True)
    assertContains(response, "1 year 3 months")
    assertContains(response, "<dt>Team</dt><dd>Vision</dd>", html=True)
    assertContains(response, "<dt>Manager</dt><dd>Mara Manager</dd>", html=True)
    assertContains(response, "Junior → Mid: experiment design")
    assertNotContains(response, "Your direct reports")
    assertNotContains(response, "Your organisation")
    assertNotContains(response, "Import people from CSV")


@pytest.mark.parametrize(
    ("level", "transition"),
    [
        (Level.JUNIOR, "Junior → Mid: experiment design"),
        (Level.MID, "Mid → Senior: production thinking"),
        (Level.SENIOR, "Senior → Staff: organizational leverage"),
        (Level.STAFF, "top of the ladder"),
    ],
)
def test_home_names_the_transition_in_front_of_the_engineer(client, org, level, transition):
    Person.objects.filter(pk=org.engineer.pk).update(level=level)
    client.force_login(org.engineer)

    response = client.get(reverse("home"))

    assertContains(response, f"<dt>Next transition</dt><dd>{transition}</dd>", html=True)


def test_home_manager_lists_direct_reports_with_links(client, org):
    client.force_login(org.manager)

    response = client.get(reverse("home"))

    assertContains(response, "Your direct reports")
    assertContains(response, f'<a href="{profile_url(org.engineer)}">Eli Engineer</a>', html=True)
    assertContains(response, f'<a href="{profile_url(org.peer)}">Priya Peer</a>', html=True)
    assertNotContains(response, "Sam Speech")
    assertNotContains(response, "Your organisation")


def test_home_manager_does_not_list_deactivated_reports(client, org):
    Person.objects.filter(pk=org.peer.pk).update(is_active=False)
    client.force_login(org.manager)

    response = client.get(reverse("home"))

    assertContains(response, "Eli Engineer")
    assertNotContains(response, "Priya Peer")


def test_home_director_sees_teams_managers_and_org_chart_link(client, org):
    client.force_login(org.director)

    response = client.get(reverse("home"))

    assertContains(response, "Your organisation")
    assertContains(
        response, '<tr><th scope="row">Vision</th><td class="num">3</td></tr>', html=True
    )
    assertContains(
        response, '<tr><th scope="row">Speech</th><td class="num">2</td></tr>', html=True
    )
    assertContains(
        response,
        f'<tr><th scope="row"><a href="{profile_url(org.manager)}">Mara Manager</a></th>'
        '<td>Vision</td><td class="num">2</td></tr>',
        html=True,
    )
    assertContains(
        response,
        f'<tr><th scope="row"><a href="{profile_url(org.other_manager)}">Omar Manager</a></th>'
        '<td>Speech</td><td class="num">1</td></tr>',
        html=True,
    )
    assertContains(response, f'href="{reverse("accounts:org_chart")}"')
    assertNotContains(response, "Search")
    assertNotContains(response, "Import people from CSV")


def test_home_admin_sees_org_setup_links(client, org):
    client.force_login(org.admin)

    response = client.get(reverse("home"))

    assertContains(response, f'<a href="{reverse("accounts:org_import")}">', count=1)
    assertContains(response, f'href="{reverse("admin:index")}"')
    assertNotContains(response, "Your direct reports")
    assertNotContains(response, "Your organisation")


def test_home_person_with_several_roles_sees_every_section(client, org):
    Person.objects.filter(pk=org.director.pk).update(is_staff=True)
    client.force_login(org.director)

    response = client.get(reverse("home"))

    assertContains(response, "Next transition")
    assertContains(response, "Your direct reports")
    assertContains(response, "Your organisation")
    assertContains(response, "Import people from CSV")


@pytest.mark.parametrize("size", [10, 300])
def test_home_queries_do_not_grow_with_the_org(client, db, django_assert_max_num_queries, size):
    top = big_org(size)
    client.force_login(top)

    # session, user, roles, me, next transition, quarterly reviews due, 1:1 cadence
    # gaps, direct reports, stagnation (level policies, transitions, progress), teams,
    # managers; retention signals (the latest snapshot: none here, so computed now:
    # settings, people, assignments, audit run, stagnation ×3, plans, 1:1 gaps, pulses;
    # findings only once an audit ran)
    with django_assert_max_num_queries(23):
        response = client.get(reverse("home"))

    vision, speech = (size - 1 + 1) // 2, (size - 1) // 2
    assertContains(response, f'<th scope="row">Vision</th><td class="num">{vision}</td>', html=True)
    assertContains(response, f'<th scope="row">Speech</th><td class="num">{speech}</td>', html=True)
    assertContains(response, "Import people from CSV")


# Person detail


def test_person_detail_shows_profile_for_the_director(client, org):
    client.force_login(org.director)

    response = client.get(profile_url(org.manager))

    assertContains(response, "<h1>Mara Manager</h1>", html=True)
    assertContains(response, "<dt>Level</dt><dd>Senior</dd>", html=True)
    assertContains(response, "(since 15 Jan 2024)")
    assertContains(
        response,
        f'<dt>Manager</dt><dd><a href="{profile_url(org.director)}">Dana Director</a></dd>',
        html=True,
    )
    assertContains(response, "<dt>Team</dt><dd>Vision</dd>", html=True)
    assertContains(response, f'<a href="{profile_url(org.engineer)}">Eli Engineer</a>', html=True)
    assertContains(response, f'<a href="{profile_url(org.peer)}">Priya Peer</a>', html=True)


def test_person_detail_own_manager_is_named_without_a_link(client, org):
    client.force_login(org.engineer)

    response = client.get(profile_url(org.engineer))

    assertContains(response, "<dt>Manager</dt><dd>Mara Manager</dd>", html=True)
    assertNotContains(response, profile_url(org.manager))


@pytest.mark.parametrize(
    ("viewer", "target"),
    [
        ("engineer", "manager"),
        ("manager", "director"),
        ("manager", "other_engineer"),
        ("director", "far_engineer"),
        ("admin", "other_engineer"),
    ],
)
def test_person_detail_out_of_scope_is_404(client, org, viewer, target):
    client.force_login(getattr(org, viewer))

    response = client.get(profile_url(getattr(org, target)))

    assert response.status_code == 404


def test_person_detail_of_deactivated_person_shows_notice(client, org):
    Person.objects.filter(pk=org.engineer.pk).update(is_active=False)
    client.force_login(org.manager)

    response = client.get(profile_url(org.engineer))

    assertContains(response, "Deactivated: Eli can no longer sign in.")


def test_person_detail_lists_deactivated_reports_marked(client, org):
    Person.objects.filter(pk=org.engineer.pk).update(is_active=False)
    client.force_login(org.manager)

    response = client.get(profile_url(org.manager))

    assertContains(
        response,
        f'<th scope="row"><a href="{profile_url(org.engineer)}">Eli Engineer</a>'
        ' <span class="badge badge-warn">Deactivated</span></th>',
        html=True,
    )


def test_person_detail_of_deactivated_person_is_404_out_of_scope(client, org):
    Person.objects.filter(pk=org.engineer.pk).update(is_active=False)
    client.force_login(org.other_manager)

    response = client.get(profile_url(org.engineer))

    assert response.status_code == 404


@pytest.mark.parametrize("size", [10, 300])
def test_person_detail_queries_do_not_grow_with_reports(
    client, db, django_assert_max_num_queries, size
):
    boss = make_person(f"boss{size}@example.com", "Boss")
    Person.objects.bulk_create(
        Person(email=f"r{i}@example.com", name=f"Report {i}", manager=boss, password="!")
        for i in range(size)
    )
    client.force_login(boss)

    # session, user, roles, the person, their reports, their next transition
    with django_assert_max_num_queries(6):
        response = client.get(profile_url(boss))

    assertContains(response, '<th scope="row">', count=size)


def test_home_flags_a_stagnating_report_and_links_every_plan(client, org):
    # Eli: Junior since 2024-01-15 (fixture), far past the default dwell, no plan.
    client.force_login(org.manager)

    response = client.get(reverse("home"))

    assertContains(response, "Stagnating at Junior → Mid", count=1)
    assertContains(response, reverse("growth:plan_detail", args=[org.engineer.pk]))
    assertContains(response, reverse("growth:plan_detail", args=[org.peer.pk]))


def test_profile_links_to_the_growth_plan(client, org):
    client.force_login(org.manager)

    response = client.get(reverse("home:person_detail", args=[org.engineer.pk]))

    assertContains(response, "Eli's growth plan")
    assertContains(response, reverse("growth:plan_detail", args=[org.engineer.pk]))


def test_home_names_the_transition_as_the_admin_edited_it(client, org):
    from growth.models import Transition

    Transition.objects.filter(from_level=Level.JUNIOR).update(focus="designing ablations")
    client.force_login(org.engineer)

    response = client.get(reverse("home"))

    assertContains(response, "Junior → Mid: designing ablations")
