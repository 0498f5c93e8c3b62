from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Level
from growth.ladder_defaults import seed_ladder
from growth.models import Competency, LevelPolicy, Transition
from tests.conftest import build_chain_org, make_person

TODAY = date(2026, 6, 1)


@pytest.fixture
def ladder(db) -> None:
    # The migration seeds these; a transactional test elsewhere may have flushed them.
    seed_ladder(LevelPolicy, Transition, Competency)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def test_ladder_shows_the_four_levels_in_order_with_dwell_times(client, org, ladder):
    client.force_login(org.engineer)

    body = client.get(reverse("growth:ladder")).content.decode()

    levels_section = body[
        body.index('id="levels-heading"') : body.index('id="transitions-heading"')
    ]
    positions = [
        levels_section.index(f"<h3>{name}") for name in ("Junior", "Mid", "Senior", "Staff")
    ]
    assert positions == sorted(positions)
    assert "Expected time at this level: about 1 year 5 months" in levels_section
    assert "Expected time at this level: about 2 years" in levels_section
    assert "Expected time at this level: about 3 years" in levels_section
    assert "Expected time at this level: no limit" in levels_section
    assert LevelPolicy.objects.get(level=Level.SENIOR).description in levels_section


def test_ladder_shows_each_transition_with_focus_competencies_behaviours_and_support(
    client, org, ladder
):
    client.force_login(org.outsider)

    body = client.get(reverse("growth:ladder")).content.decode()

    assert "Junior → Mid: experiment design" in body
    assert "Mid → Senior: production thinking" in body
    assert "Senior → Staff: organizational leverage" in body
    assert "<strong>Designs a good ablation</strong>" in body
    assert "<strong>Knows when a negative result is a real result</strong>" in body
    assert "<strong>Weighs the cost of being wrong in production</strong>" in body
    assert "<strong>Mentors</strong>" in body
    assert "<li>Compares against a strong, tuned baseline</li>" in body
    assert "Pair on ablation design" in body
    assert Transition.objects.get(from_level=Level.MID).support in body


def test_ladder_shows_where_the_engineer_stands(client, org, ladder, today):
    org.engineer.level_since = date(2025, 9, 1)  # Junior for 9 months, expected 540 days
    org.engineer.save()
    client.force_login(org.engineer)

    body = client.get(reverse("growth:ladder")).content.decode()

    stand = body[body.index('id="stand-heading"') : body.index('id="levels-heading"')]
    assert "<dd>Junior</dd>" in stand
    assert "9 months" in stand
    assert "(since 1 Sep 2025)" in stand
    assert "Junior → Mid: experiment design" in stand
    assert "Pair on ablation design" in stand
    assert "expected about 1 year 5 months" in stand
    assert "Past the expected" not in stand


def test_ladder_says_when_the_engineer_is_past_the_expected_time(client, org, ladder, today):
    org.engineer.level_since = date(2024, 1, 15)
    org.engineer.save()
    client.force_login(org.engineer)

    body = client.get(reverse("growth:ladder")).content.decode()

    assert "Past the expected time (about 1 year 5 months)" in body
    assert "a signal, not a verdict" in body


def test_ladder_exactly_at_the_expected_time_is_not_past_it(client, org, ladder, today):
    org.engineer.level_since = date(2024, 12, 8)  # 540 days before 1 Jun 2026
    org.engineer.save()
    client.force_login(org.engineer)

    body = client.get(reverse("growth:ladder")).content.decode()

    assert "Past the expected" not in body


def test_ladder_follows_the_admins_dwell_time(client, org, ladder, today):
    LevelPolicy.objects.filter(level=Level.SENIOR).update(expected_dwell_days=90)
    org.manager.level_since = date(2026, 1, 1)
    org.manager.save()
    client.force_login(org.manager)

    body = client.get(reverse("growth:ladder")).content.decode()

    assert "Senior → Staff: organizational leverage</a>" in body
    assert "Past the expected time (about 3 months)" in body


def test_ladder_staff_is_at_the_top(client, org, ladder):
    client.force_login(org.director)

    body = client.get(reverse("growth:ladder")).content.decode()

    assert "None: you are at the top of the ladder." in body
    assert "Past the expected" not in body


def test_ladder_requires_login(client, db):
    response = client.get(reverse("growth:ladder"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("size", "extra_competencies"), [(5, 0), (300, 20)])
def test_ladder_query_count_is_flat(
    client, ladder, django_assert_max_num_queries, size, extra_competencies
):
    top = build_chain_org(size)
    for transition in Transition.objects.all():
        Competency.objects.bulk_create(
            Competency(transition=transition, name=f"Extra {i}", behaviours="Does X\nDoes Y")
            for i in range(extra_competencies)
        )
    client.force_login(top)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("growth:ladder"))

    assert response.status_code == 200
    assert response.content.decode().count("<strong>") == 10 + 3 * extra_competencies


# The admin site: people ops edit levels, dwell times, transitions and competencies.


def test_admin_edits_dwell_times_in_the_level_list(client, org, ladder):
    client.force_login(org.admin)
    policies = list(LevelPolicy.objects.order_by("order"))
    data = {
        "form-TOTAL_FORMS": "4",
        "form-INITIAL_FORMS": "4",
        "_save": "Save",
    }
    for i, policy in enumerate(policies):
        data[f"form-{i}-id"] = str(policy.pk)
        data[f"form-{i}-expected_dwell_days"] = (
            "600" if policy.level == Level.JUNIOR else (policy.expected_dwell_days or "")
        )

    response = client.post(reverse("admin:growth_levelpolicy_changelist"), data)

    assert response.status_code == 302
    assert LevelPolicy.objects.get(level=Level.JUNIOR).expected_dwell_days == 600
    assert LevelPolicy.objects.get(level=Level.STAFF).expected_dwell_days is None


def test_admin_transition_page_edits_competencies_inline(client, org, ladder):
    client.force_login(org.admin)
    transition = Transition.objects.get(from_level=Level.JUNIOR)

    response = client.get(reverse("admin:growth_transition_change", args=[transition.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="competencies-0-behaviours"' in body
    assert "Designs a good ablation" in body


# Growth content (plans, reviews, history) is not in the admin: tests/growth/test_admin.py.
@pytest.mark.parametrize("model", ["levelpolicy", "transition", "competency"])
def test_admin_lists_every_ladder_model(client, org, ladder, model):
    client.force_login(org.admin)

    response = client.get(reverse(f"admin:growth_{model}_changelist"))

    assert response.status_code == 200


def test_admin_site_is_closed_to_non_admins(client, org, ladder):
    make_person("x@example.com", "X")
    client.force_login(org.manager)

    response = client.get(reverse("admin:growth_levelpolicy_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
