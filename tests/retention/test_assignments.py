"""Problem-type history: the timeline, the streak on one problem type, rotation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from retention import services
from retention.models import Assignment
from retention.panels import (
    assignment_history_for,
    problem_type_streaks,
    rotation_suggestions_for,
)
from tests.retention.builders import problem_type


@pytest.fixture
def rag_for_two_years(org):
    today = timezone.localdate()
    rag, evals = problem_type("RAG"), problem_type("Evals")
    problem_type("Data")
    for kind, project, days in (
        (evals, "Judge study", 1000),
        (rag, "Support search", 800),
        (rag, "Docs QA", 300),
    ):
        services.record_assignment(
            engineer=org.engineer,
            actor=org.manager,
            problem_type=kind,
            project=project,
            started_on=today - timedelta(days=days),
        )
    return today


def test_a_new_assignment_ends_the_current_one_on_the_day_it_starts(org, rag_for_two_years):
    history = list(Assignment.objects.filter(engineer=org.engineer).order_by("started_on"))

    assert [(a.project, a.ended_on) for a in history] == [
        ("Judge study", history[1].started_on),
        ("Support search", history[2].started_on),
        ("Docs QA", None),
    ]


def test_the_streak_spans_projects_on_the_same_problem_type(org, rag_for_two_years):
    streak = problem_type_streaks([org.engineer, org.peer])

    assert list(streak) == [org.engineer.pk]
    assert (streak[org.engineer.pk].problem_type.name, streak[org.engineer.pk].days) == ("RAG", 800)
    assert streak[org.engineer.pk].rotation_due
    # The problem types the migration seeds, less the two done.
    assert [pt.name for pt in rotation_suggestions_for(org.engineer)] == [
        "Serving infrastructure",
        "Training",
        "Data",
    ]
    assert len(assignment_history_for([org.engineer])[org.engineer.pk]) == 3


def test_the_manager_sees_the_timeline_and_the_rotation_suggestion(client, org, rag_for_two_years):
    client.force_login(org.manager)

    body = client.get(reverse("retention:assignments", args=[org.engineer.pk])).content.decode()

    assert "On <strong>RAG</strong> for 2 years 2 months" in body
    assert "Time to rotate" in body
    assert "<li>Data</li>" in body
    assert body.count('class="timeline-bar') == 3
    assert "Record an assignment" in body


def test_the_engineer_reads_their_timeline_but_does_not_record(client, org, rag_for_two_years):
    client.force_login(org.engineer)

    body = client.get(reverse("retention:assignments", args=[org.engineer.pk])).content.decode()

    assert "Your assignments" in body
    assert "Record an assignment" not in body


def test_the_manager_rotates_an_engineer(client, org, rag_for_two_years):
    client.force_login(org.manager)

    response = client.post(
        reverse("retention:assignment_create", args=[org.engineer.pk]),
        {
            "problem_type": problem_type("Data").pk,
            "project": "Labelling",
            "started_on": rag_for_two_years.isoformat(),
            "ended_on": "",
        },
    )

    assert response.status_code == 302
    assert problem_type_streaks([org.engineer])[org.engineer.pk].problem_type.name == "Data"


@pytest.mark.parametrize(
    ("started", "ended", "error"),
    [
        (-10, -20, "The dates are out of order: it ends before it starts."),
        (5, None, "That day is in the future."),
        (-900, None, "It starts before the current assignment"),
        (-500, -400, "It overlaps RAG (Support search)"),
    ],
)
def test_bad_dates_are_refused_and_nothing_changes(
    client, org, rag_for_two_years, started, ended, error
):
    today = rag_for_two_years
    client.force_login(org.manager)

    response = client.post(
        reverse("retention:assignment_create", args=[org.engineer.pk]),
        {
            "problem_type": problem_type("Data").pk,
            "project": "Labelling",
            "started_on": (today + timedelta(days=started)).isoformat(),
            "ended_on": (today + timedelta(days=ended)).isoformat() if ended else "",
        },
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert Assignment.objects.filter(engineer=org.engineer).count() == 3
