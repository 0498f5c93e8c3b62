"""Retention signals for a hand-built org with known answers; the anonymity floor at 3
and 4 people, through filters and differencing; constant query counts; snapshots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Person, Team
from one_on_ones.models import OneOnOne, Pair, Pulse
from retention import services
from retention.audit import run_graveyard_audit
from retention.dashboard import apply_floor
from retention.models import AuditRun, RetentionSettings, SignalSnapshot, Status
from retention.signals import compute_signals
from retention.snapshots import take_signal_snapshots
from tests.conftest import make_person
from tests.retention.builders import a_model, problem_type


def a_pulse(engineer: Person, *, direction: int, learning: int = 4, days_ago: int = 7) -> Pulse:
    assert engineer.manager is not None
    pair, _ = Pair.objects.get_or_create(manager=engineer.manager, engineer=engineer)
    day = timezone.localdate() - timedelta(days=days_ago)
    one = OneOnOne.objects.create(pair=pair, date=day, created_by=engineer.manager)
    return Pulse.objects.create(one_on_one=one, learning=learning, work_used=4, direction=direction)


def kinds_of(people, viewer) -> dict[str, list[str]]:
    return {e.person.name: e.kinds for e in compute_signals(people, viewer=viewer)}


def test_signals_for_a_hand_built_org_have_known_answers(org):
    services.record_assignment(
        engineer=org.engineer,
        actor=org.manager,
        problem_type=problem_type(),
        project="Support search",
        started_on=timezone.localdate() - timedelta(days=600),
    )
    a_model(org, status=Status.TRAINED, trained_days_ago=120, name="Forgotten ranker")
    run_graveyard_audit(trigger=AuditRun.Trigger.COMMAND)
    a_pulse(org.engineer, direction=1, learning=4, days_ago=40)
    a_pulse(org.engineer, direction=2, learning=2, days_ago=10)
    people = [org.engineer, org.peer]

    as_manager = kinds_of(people, org.manager)
    as_director = kinds_of(people, org.director)

    # Both are past their dwell time with no plan (stagnating, growth neglected); Priya
    # has had no 1:1 since she joined (gap); Eli's pulse: learning and direction low.
    assert as_manager == {
        "Eli Engineer": [
            "not_learning",
            "work_not_used",
            "direction_doubt",
            "stagnating",
            "growth_neglected",
        ],
        "Priya Peer": ["stagnating", "growth_neglected", "one_on_one_gap"],
    }
    # The director sees the records, never one engineer's pulse (DOMAIN.md §5).
    assert as_director == {
        "Eli Engineer": ["not_learning", "work_not_used", "stagnating", "growth_neglected"],
        "Priya Peer": ["stagnating", "growth_neglected", "one_on_one_gap"],
    }


def test_engineer_page_shows_evidence_with_links_and_hides_pulse_from_director(client, org):
    services.record_assignment(
        engineer=org.engineer,
        actor=org.manager,
        problem_type=problem_type(),
        project="Support search",
        started_on=timezone.localdate() - timedelta(days=600),
    )
    a_pulse(org.engineer, direction=1)
    url = reverse("retention:person_signals", args=[org.engineer.pk])

    client.force_login(org.director)
    as_director = client.get(url).content.decode()
    client.force_login(org.manager)
    as_manager = client.get(url).content.decode()

    assert "On RAG for 1 year" in as_director
    assert reverse("retention:assignments", args=[org.engineer.pk]) in as_director
    assert "Direction doubt" not in as_director
    assert "Direction doubt" in as_manager
    assert "The business" in as_manager


@pytest.mark.parametrize(
    ("sizes", "shown", "total"),
    [
        ({1: 3}, set(), False),
        ({1: 4}, {1}, True),
        ({1: 4, 2: 3}, set(), True),  # showing team 1 and the total would reveal team 2
        ({1: 5, 2: 4, 3: 1}, {1}, True),  # team 2 hidden too: 4 + 1 ≥ 4
        ({1: 5, 2: 0}, {1}, True),
    ],
)
def test_floor_hides_small_groups_and_differences(sizes, shown, total):
    assert apply_floor(sizes, 4) == (shown, total)


def _doubting_team(director: Person, name: str, size: int) -> Team:
    team = Team.objects.create(name=name)
    lead = make_person(f"lead-{name}@example.com", f"Lead {name}", manager=director, team=None)
    for i in range(size):
        engineer = make_person(f"{name}{i}@example.com", f"{name} {i}", manager=lead, team=team)
        a_pulse(engineer, direction=1)
    return team


@pytest.mark.parametrize(("size", "visible"), [(3, False), (4, True)])
def test_direction_figure_needs_four_people(client, org, size, visible):
    team = _doubting_team(org.other_director, "Evals", size)
    client.force_login(org.other_director)

    # The pulse figures come by a request of their own (htmx, or the plain link).
    page = client.get(reverse("retention:dashboard"), {"pulse": 1}).content.decode()
    filtered = client.get(
        reverse("retention:dashboard"), {"team": team.pk, "pulse": 1}
    ).content.decode()
    export = client.get(reverse("retention:dashboard_export"), {"team": team.pk}).content.decode()

    row = f'<th scope="row">Evals</th>\n  \n  <td>{size}</td>'
    assert (row in page) is visible
    assert (row in filtered) is visible
    assert ("hidden (fewer than 4)" in export) is (not visible)


def hidden_row(team: str) -> str:
    return f'<th scope="row">{team}</th>\n  \n  <td colspan'


def test_floor_guards_against_subtracting_team_from_total(client, org):
    big = _doubting_team(org.other_director, "Evals", 4)
    small = _doubting_team(org.other_director, "Data", 3)
    client.force_login(org.other_director)

    page = client.get(reverse("retention:dashboard"), {"pulse": 1}).content.decode()
    big_only = client.get(
        reverse("retention:dashboard"), {"team": big.pk, "pulse": 1}
    ).content.decode()

    assert '<th scope="row">Everyone you see</th>\n  \n  <td>7</td>' in page
    # Evals (4) alone would be shown, but "everyone" minus Evals would reveal Data (3).
    assert hidden_row("Evals") in page
    assert hidden_row("Data") in page
    assert hidden_row("Evals") in big_only
    assert small.name == "Data"


def test_team_filter_outside_scope_is_404(client, org):
    client.force_login(org.manager)

    assert client.get(reverse("retention:dashboard"), {"team": org.speech.pk}).status_code == 404
    assert client.get(reverse("retention:dashboard"), {"team": "x"}).status_code == 404


def test_htmx_request_gets_just_the_dashboard_body(client, org):
    client.force_login(org.director)

    response = client.get(reverse("retention:dashboard"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert 'id="dashboard-body"' in response.content.decode()


def test_settings_refuse_nonsense(db):
    with pytest.raises(ValidationError) as error:
        RetentionSettings(
            not_learning_days=-5, review_neglect_days=100, anonymity_floor=1
        ).full_clean()

    assert "cannot be negative" in str(error.value)
    assert "cannot be below 2" in str(error.value)


def test_snapshots_are_one_per_engineer_and_quarter(org):
    call_command("snapshot_signals")
    take_signal_snapshots()

    assert SignalSnapshot.objects.count() == Person.objects.filter(is_active=True).count()
    eli = SignalSnapshot.objects.get(person=org.engineer)
    assert eli.kinds == ["stagnating", "growth_neglected", "one_on_one_gap"]


def _big_org(size: int) -> Person:
    director = make_person(f"d{size}@example.com", "Director")
    teams = Team.objects.bulk_create([Team(name=f"T{size}-{i}") for i in range(5)])
    managers = Person.objects.bulk_create(
        [
            Person(
                email=f"m{size}-{i}@example.com",
                name=f"M{i}",
                manager=director,
                team=teams[i],
                password="!",
            )
            for i in range(5)
        ]
    )
    Person.objects.bulk_create(
        [
            Person(
                email=f"e{size}-{i}@example.com",
                name=f"E{i}",
                manager=managers[i % 5],
                team=teams[i % 5],
                password="!",
            )
            for i in range(size - 6)
        ]
    )
    return director


@pytest.mark.parametrize("size", [50, 2000])
def test_signals_cost_the_same_queries_at_any_size(org, django_assert_num_queries, size):
    director = _big_org(size)
    people = list(Person.objects.below(director).select_related("team"))

    with django_assert_num_queries(9):
        compute_signals(people, viewer=director)


# With a snapshot (the usual case: the nightly job, seed_demo and the bench take one) the
# team figures are SQL aggregates over it and only one page of engineers is computed now;
# before the first snapshot everyone's record signals are computed now, still in a fixed
# number of queries.
# A director's whole line lists the worst engineers as the snapshot stored them; a team
# (the drill-down) lists one page of engineers computed now; the pulse figures come by a
# request of their own.
@pytest.mark.parametrize(
    ("snapshot", "query", "queries"),
    [
        (True, {}, 9),
        (True, {"team": "first"}, 18),
        (True, {"pulse": 1}, 8),
        (False, {}, 26),
    ],
)
@pytest.mark.parametrize("size", [50, 2000])
def test_dashboard_costs_the_same_queries_at_any_size(
    client, org, django_assert_num_queries, size, snapshot, query, queries
):
    director = _big_org(size)
    if snapshot:
        take_signal_snapshots()
    if query.get("team") == "first":
        query = {"team": Team.objects.get(name=f"T{size}-0").pk}
    client.force_login(director)

    with django_assert_num_queries(queries):
        response = client.get(reverse("retention:dashboard"), query)

    assert response.status_code == 200
    # The pulse figures' own page leaves the teams × signals (and its "as of") out.
    assert ("As of the signals snapshot" in response.content.decode()) is (
        snapshot and "pulse" not in query
    )


def test_director_home_reads_the_latest_snapshot(client, org):
    take_signal_snapshots()
    # The snapshot, not a live computation, is what the director's home lists.
    SignalSnapshot.objects.filter(person=org.other_engineer).update(
        kinds=["not_learning", "work_not_used"], points=4, stagnating=False
    )
    SignalSnapshot.objects.exclude(person=org.other_engineer).update(points=0)
    client.force_login(org.director)

    page = client.get(reverse("home")).content.decode()

    assert "From the signals snapshot taken" in page
    assert 'Sam Speech</a>: <span class="level-high">high</span> — Not learning, Work' in page
    assert "Eli Engineer</a>:" not in page


def test_director_home_computes_now_before_the_first_snapshot(client, org):
    client.force_login(org.director)

    page = client.get(reverse("home")).content.decode()

    assert "No signals snapshot has been taken yet" in page
    assert 'Eli Engineer</a>: <span class="level-high">high</span>' in page


def test_dashboard_team_figures_read_the_snapshot(client, org):
    take_signal_snapshots()
    SignalSnapshot.objects.filter(person__team=org.vision).update(not_learning=True)
    client.force_login(org.director)

    page = client.get(reverse("retention:dashboard")).content.decode()

    assert "As of the signals snapshot taken" in page
    # Vision: Mara, Eli and Priya in the snapshot, all three not learning (many).
    assert '<td class="heat heat-3">3 <span class="muted-inline">(many)</span></td>' in page


def test_team_drill_down_lists_engineers_a_page_at_a_time(client, org):
    team = Team.objects.create(name="Big")
    lead = make_person("lead@example.com", "Lead", manager=org.director, team=team)
    Person.objects.bulk_create(
        [
            Person(email=f"b{i}@example.com", name=f"B{i}", manager=lead, team=team, password="!")
            for i in range(30)
        ]
    )
    take_signal_snapshots()
    client.force_login(org.director)
    url = reverse("retention:dashboard")
    link = 'href="/retention/signals/people/'

    first = client.get(url, {"team": team.pk}).content.decode()
    last = client.get(url, {"team": team.pk, "page": 2}).content.decode()
    partial = client.get(
        url, {"team": team.pk, "page": 2}, headers={"HX-Request": "true", "HX-Target": "engineers"}
    )

    assert first.count(link) == 25
    assert "31 engineers; showing 1–25 (page 1 of 2)" in first
    assert last.count(link) == 6
    assert "<html" not in partial.content.decode()
    assert 'id="heat-heading"' not in partial.content.decode()
    assert partial.content.decode().count(link) == 6


def test_pulse_figures_follow_the_falling_rule(client, org):
    team = Team.objects.create(name="Evals")
    lead = make_person("lead@example.com", "Lead", manager=org.other_director)
    people = []
    for i in range(4):
        engineer = make_person(f"ev{i}@example.com", f"Ev {i}", manager=lead, team=team)
        # 4, 4, 4, 4 then 3, 3: not low, but down by a point on average: falling.
        for days_ago, learning in zip(range(60, 0, -10), [4, 4, 4, 4, 3, 3], strict=True):
            a_pulse(engineer, direction=4, learning=learning, days_ago=days_ago)
        people.append(engineer)
    client.force_login(org.other_director)

    page = client.get(reverse("retention:dashboard"), {"pulse": 1}).content.decode()

    as_lead = compute_signals(people, viewer=lead)
    assert all("learning_pulse" in e.pulse_flags for e in as_lead)
    assert '<th scope="row">Evals</th>\n  \n  <td>4</td>\n  <td>4</td><td>0</td><td>0</td>' in page


def test_pulse_figures_load_by_a_request_of_their_own(client, org):
    _doubting_team(org.other_director, "Evals", 4)
    client.force_login(org.other_director)
    url = reverse("retention:dashboard")

    page = client.get(url).content.decode()
    partial = client.get(url, {"pulse": 1}, headers={"HX-Request": "true", "HX-Target": "pulse"})

    assert 'href="/retention/signals/?pulse=1#pulse"' in page
    assert '<th scope="row">Evals</th>\n  \n  <td>4</td>' not in page
    assert "<html" not in partial.content.decode()
    assert '<th scope="row">Evals</th>\n  \n  <td>4</td>' in partial.content.decode()
