from __future__ import annotations

from django.urls import reverse

from accounts.models import Person


def _change_data(person: Person, **overrides) -> dict:
    data = {
        "email": person.email,
        "name": person.name,
        "level": person.level,
        "level_since": person.level_since.isoformat(),
        "manager": person.manager_id or "",
        "team": person.team_id or "",
        "is_active": "on",
        "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
    }
    data.update(overrides)
    return data


def test_admin_lists_people_and_teams(client, org):
    client.force_login(org.admin)

    people = client.get(reverse("admin:accounts_person_changelist"))
    teams = client.get(reverse("admin:accounts_team_changelist"))

    assert people.status_code == 200
    assert "Eli Engineer" in people.content.decode()
    assert teams.status_code == 200
    assert "Vision" in teams.content.decode()


def test_admin_refuses_a_reporting_cycle(client, org):
    client.force_login(org.admin)
    url = reverse("admin:accounts_person_change", args=[org.manager.pk])

    # Mara would report to Eli, who reports to Mara.
    response = client.post(url, _change_data(org.manager, manager=org.engineer.pk))

    assert response.status_code == 200
    assert "reporting cycle" in response.content.decode()
    org.manager.refresh_from_db()
    assert org.manager.manager_id == org.director.pk


def test_admin_moves_a_person_to_another_manager(client, org):
    client.force_login(org.admin)
    url = reverse("admin:accounts_person_change", args=[org.engineer.pk])

    response = client.post(url, _change_data(org.engineer, manager=org.other_manager.pk))

    assert response.status_code == 302
    org.engineer.refresh_from_db()
    assert org.engineer.manager_id == org.other_manager.pk


def test_admin_site_is_closed_to_non_admins(client, org):
    client.force_login(org.director)

    response = client.get(reverse("admin:accounts_person_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
