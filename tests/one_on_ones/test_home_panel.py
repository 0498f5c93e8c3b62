"""The home page's 1:1 panel (one_on_ones/panels.py, _home_panel.html): a manager's
direct reports whose 1:1s lapsed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from one_on_ones import services

TODAY = date(2026, 9, 20)
HEADING = "1:1s that lapsed"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-09-20 10:00 +00:00", tick=False):
        yield


def test_manager_sees_each_lapsed_report_with_days_since_and_the_rule(client, org):
    services.log_one_on_one(engineer=org.engineer, manager=org.manager, day=TODAY - timedelta(50))
    client.force_login(org.manager)

    response = client.get(reverse("home"))

    pair_url = reverse("one_on_ones:pair", kwargs={"engineer_id": org.engineer.pk})
    assertContains(response, HEADING)
    assertContains(response, f'<a href="{pair_url}">Eli Engineer</a>', html=True)
    assertContains(response, "50 days since the last 1:1")
    # Priya has never had one (and has been at her level since 2024).
    assertContains(response, "no 1:1 yet")
    assertContains(response, "No 1:1 for more than 3 × the expected cadence (42 days).", count=2)


def test_a_report_met_within_three_cadences_is_not_listed(client, org):
    for report in (org.engineer, org.peer):
        services.log_one_on_one(engineer=report, manager=org.manager, day=TODAY - timedelta(42))
    client.force_login(org.manager)

    response = client.get(reverse("home"))

    assertNotContains(response, HEADING)


def test_engineers_and_directors_reports_are_not_in_a_managers_panel(client, org):
    client.force_login(org.engineer)
    assertNotContains(client.get(reverse("home")), HEADING)

    client.force_login(org.director)
    response = client.get(reverse("home"))

    # Dana's direct reports are the two managers; their engineers are not hers to meet.
    panel = _section(response.content.decode(), "home-cadence-heading")
    assert "Mara Manager</a>:" in panel
    assert "Eli Engineer" not in panel


def _section(html: str, heading_id: str) -> str:
    """The home page's section labelled by `heading_id` (other panels name people too)."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]
