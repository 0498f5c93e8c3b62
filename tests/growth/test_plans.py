"""The growth plan page: the plan text, experiments, commitments, comments, history."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from growth import services
from growth.models import (
    Experiment,
    GrowthPlan,
    PlanChange,
    PlanComment,
    SupportCommitment,
    Transition,
)
from growth.services import LearnedRequired

TODAY = date(2026, 9, 20)
HTMX = {"HX-Request": "true"}
PLAN_CONFLICT = "This plan was changed in another tab or by someone else since you opened it."
EXPERIMENT_CONFLICT = "This experiment changed since you opened it (another tab?)"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-09-20 10:00 +00:00", tick=False):
        yield TODAY


def make_plan(engineer, **extra) -> GrowthPlan:
    fields = {
        "aspiration": "Design an ablation that isolates one variable",
        "gap": "I change several things per run",
        "transition": Transition.objects.get(from_level="junior"),
        "next_review_due": date(2026, 12, 1),
        **extra,
    }
    return GrowthPlan.objects.create(engineer=engineer, **fields)


def make_experiment(plan: GrowthPlan, hypothesis: str, position: int = 0, **extra) -> Experiment:
    fields = {
        "what_to_try": "One variable per run",
        "success_signal": "A reviewer can reproduce the result",
        "due_date": date(2026, 10, 31),
        **extra,
    }
    return Experiment.objects.create(plan=plan, hypothesis=hypothesis, position=position, **fields)


def make_commitment(plan: GrowthPlan, manager, description: str, **extra) -> SupportCommitment:
    fields = {"kind": SupportCommitment.Kind.PROJECT, "due_date": date(2026, 11, 1), **extra}
    return SupportCommitment.objects.create(
        plan=plan, manager=manager, description=description, **fields
    )


def url(name: str, *args) -> str:
    return reverse(f"growth:{name}", args=args)


def plan_post(version: int, **extra) -> dict:
    return {
        "aspiration": "Run an ablation study end to end",
        "gap": "I have never chosen the baselines myself",
        "transition": str(Transition.objects.get(from_level="junior").pk),
        "version": str(version),
        **extra,
    }


def experiment_post(**extra) -> dict:
    return {
        "hypothesis": "Reproducing the baseline first saves a week",
        "what_to_try": "Reproduce the paper's baseline before any change",
        "success_signal": "Baseline within 1% of the paper",
        "due_date": "2026-10-15",
        **extra,
    }


def experiment_edit_post(experiment: Experiment, **extra) -> dict:
    return {
        "hypothesis": experiment.hypothesis,
        "what_to_try": experiment.what_to_try,
        "success_signal": experiment.success_signal,
        "due_date": experiment.due_date.isoformat(),
        "status": experiment.status,
        "learned": experiment.learned,
        "version": str(experiment.version),
        **extra,
    }


def commitment_post(**extra) -> dict:
    return {
        "kind": "exposure",
        "description": "Present the ablation results at the research review",
        "due_date": "2026-11-20",
        "status": "open",
        **extra,
    }


# --- my plan, the page ----------------------------------------------------------


def test_my_plan_redirects_to_own_plan_page(client, org):
    client.force_login(org.peer)

    response = client.get(url("my_plan"))

    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", org.peer.pk)


def test_plan_detail_without_plan_invites_the_owner_to_start(client, org):
    client.force_login(org.engineer)

    response = client.get(url("plan_detail", org.engineer.pk))

    assertContains(response, "Start your growth plan")
    assertContains(response, "What do you want to be able to do in 12 months that you can")
    assertContains(response, "What is the gap between now and that?")
    assertContains(response, "What is the smallest experiment we could run to close it?")
    # A junior's plan aims at Junior → Mid unless they choose otherwise.
    junior = Transition.objects.get(from_level="junior")
    assertContains(response, f'<option value="{junior.pk}" selected>', html=False)


def test_plan_detail_without_plan_tells_the_manager_no_plan_yet(client, org):
    client.force_login(org.manager)

    response = client.get(url("plan_detail", org.engineer.pk))

    assertContains(response, "No plan yet")
    assertNotContains(response, "Start your growth plan")
    assertNotContains(response, 'name="aspiration"')


def test_plan_detail_shows_answers_transition_review_and_items(client, org):
    plan = make_plan(org.engineer, next_review_due=date(2026, 9, 1))
    make_experiment(plan, "Second experiment", position=1, status=Experiment.Status.RUNNING)
    make_experiment(plan, "First experiment", position=0)
    make_commitment(plan, org.manager, "Put Eli on the retrieval evaluation project")
    PlanComment.objects.create(plan=plan, author=org.manager, body="Which baseline first?")
    client.force_login(org.director)

    response = client.get(url("plan_detail", org.engineer.pk))

    body = response.content.decode()
    assertContains(response, "Design an ablation that isolates one variable")
    assertContains(response, "I change several things per run")
    assertContains(response, "Junior → Mid: <strong>experiment design</strong>", html=False)
    assertContains(response, "1 Sep 2026")
    assertContains(response, '<span class="badge badge-danger">Overdue</span>', html=True)
    assert body.index("First experiment") < body.index("Second experiment")
    assertContains(response, "Running")
    assertContains(response, "The right project")
    assertContains(response, "Put Eli on the retrieval evaluation project")
    assertContains(response, "Mara Manager")
    assertContains(response, "Which baseline first?")
    assertContains(response, url("plan_history", org.engineer.pk))
    # The director reads; only the engineer and the manager get write controls.
    assertNotContains(response, url("plan_edit", org.engineer.pk))
    assertNotContains(response, url("experiment_create", org.engineer.pk))
    assertNotContains(response, url("commitment_create", org.engineer.pk))


def test_plan_detail_shows_due_soon_badge(client, org):
    make_plan(org.engineer, next_review_due=date(2026, 9, 30))
    client.force_login(org.engineer)

    response = client.get(url("plan_detail", org.engineer.pk))

    assertContains(response, '<span class="badge badge-warn">Due soon</span>', html=True)


def test_plan_detail_gives_write_controls_by_role(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance")
    commitment = make_commitment(plan, org.manager, "Weekly design review")

    client.force_login(org.engineer)
    as_engineer = client.get(url("plan_detail", org.engineer.pk))
    client.force_login(org.manager)
    as_manager = client.get(url("plan_detail", org.engineer.pk))

    assertContains(as_engineer, url("experiment_edit", experiment.pk))
    assertContains(as_engineer, url("experiment_close", experiment.pk))
    assertNotContains(as_engineer, url("commitment_edit", commitment.pk))
    assertNotContains(as_manager, url("experiment_edit", experiment.pk))
    assertContains(as_manager, url("commitment_edit", commitment.pk))
    assertContains(as_manager, url("commitment_create", org.engineer.pk))
    assertContains(as_manager, url("comment_create", org.engineer.pk))


@pytest.mark.parametrize("viewer", ["peer", "other_manager", "other_director", "outsider"])
def test_plan_detail_out_of_scope_is_404(client, org, viewer):
    make_plan(org.engineer)
    client.force_login(getattr(org, viewer))

    response = client.get(url("plan_detail", org.engineer.pk))

    assert response.status_code == 404


def test_plan_detail_shows_stagnation_to_the_manager_only(client, org):
    # Junior since Jan 2024: past the 540-day dwell, and no experiment ever done.
    make_plan(org.engineer)

    client.force_login(org.manager)
    as_manager = client.get(url("plan_detail", org.engineer.pk))
    client.force_login(org.engineer)
    as_engineer = client.get(url("plan_detail", org.engineer.pk))

    assertContains(as_manager, "Stagnating at Junior → Mid")
    assertNotContains(as_engineer, "Stagnating")


def test_plan_detail_no_stagnation_with_recent_progress(client, org):
    plan = make_plan(org.engineer)
    make_experiment(plan, "Done last month", status="done", closed_on=date(2026, 8, 20))
    client.force_login(org.manager)

    response = client.get(url("plan_detail", org.engineer.pk))

    assertNotContains(response, "Stagnating")


# --- the plan text --------------------------------------------------------------


def test_plan_edit_starts_a_plan_with_review_in_three_months(client, org):
    client.force_login(org.engineer)

    response = client.post(url("plan_edit", org.engineer.pk), plan_post(0))

    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", org.engineer.pk)
    plan = GrowthPlan.objects.get(engineer=org.engineer)
    assert plan.aspiration == "Run an ablation study end to end"
    assert plan.transition.from_level == "junior"
    assert plan.next_review_due == date(2026, 12, 20)
    assert plan.version == 1
    change = PlanChange.objects.get(plan=plan)
    assert (change.actor, change.subject, change.action) == (org.engineer, "plan", "created")
    assert change.diff["Transition"] == [None, "Junior → Mid"]


def test_plan_edit_form_shows_current_text(client, org):
    make_plan(org.engineer)
    client.force_login(org.engineer)

    response = client.get(url("plan_edit", org.engineer.pk))

    assertContains(response, "Edit your growth plan")
    assertContains(response, "Design an ablation that isolates one variable</textarea>")
    assertContains(response, '<input type="hidden" name="version" value="1"', html=False)


def test_plan_edit_saves_text_and_records_the_diff(client, org):
    plan = make_plan(org.engineer)
    client.force_login(org.engineer)

    response = client.post(
        url("plan_edit", org.engineer.pk), plan_post(1, gap="I never pick baselines")
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.gap == "I never pick baselines"
    assert plan.version == 2
    change = PlanChange.objects.get(plan=plan, action="updated")
    assert change.diff == {
        "What do you want to be able to do in 12 months that you can't do now?": [
            "Design an ablation that isolates one variable",
            "Run an ablation study end to end",
        ],
        "What is the gap between now and that?": [
            "I change several things per run",
            "I never pick baselines",
        ],
    }


def test_plan_edit_after_save_coach_points_out_vague_wording(client, org):
    client.force_login(org.engineer)

    response = client.post(
        url("plan_edit", org.engineer.pk),
        plan_post(0, aspiration="I want to have more impact"),
        follow=True,
    )

    assertContains(response, "Your growth plan is saved.")
    assertContains(response, "Coach on “What do you want to be able to do in 12 months")
    assertContains(response, "“more impact”")


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("aspiration", "", "This field is required."),
        ("gap", "   ", "This field is required."),
        ("aspiration", "x" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
    ],
)
def test_plan_edit_bad_input_shows_field_error_and_saves_nothing(client, org, field, value, error):
    plan = make_plan(org.engineer)
    client.force_login(org.engineer)

    response = client.post(url("plan_edit", org.engineer.pk), plan_post(1, **{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    plan.refresh_from_db()
    assert plan.aspiration == "Design an ablation that isolates one variable"
    assert plan.version == 1
    assert not PlanChange.objects.exists()


def test_plan_edit_start_with_empty_answers_creates_nothing(client, org):
    client.force_login(org.engineer)

    response = client.post(url("plan_edit", org.engineer.pk), plan_post(0, aspiration="", gap=""))

    assert response.status_code == 200
    assertContains(response, "This field is required.", count=2)
    assert not GrowthPlan.objects.exists()


def test_plan_edit_two_tabs_second_save_is_told_and_first_stands(client, org):
    plan = make_plan(org.engineer)
    client.force_login(org.engineer)
    first_tab = client.get(url("plan_edit", org.engineer.pk)).context["form"]
    second_tab = client.get(url("plan_edit", org.engineer.pk)).context["form"]
    assert first_tab["version"].value() == second_tab["version"].value() == 1

    first = client.post(url("plan_edit", org.engineer.pk), plan_post(1, gap="From tab one"))
    second = client.post(url("plan_edit", org.engineer.pk), plan_post(1, gap="From tab two"))

    assert first.status_code == 302
    assert second.status_code == 200
    assertContains(second, PLAN_CONFLICT)
    assertContains(second, "From tab two</textarea>")  # the text is kept for the person
    plan.refresh_from_db()
    assert plan.gap == "From tab one"
    assert plan.version == 2
    assert PlanChange.objects.filter(plan=plan).count() == 1


def test_plan_edit_starting_in_two_tabs_keeps_the_first(client, org):
    client.force_login(org.engineer)

    client.post(url("plan_edit", org.engineer.pk), plan_post(0, gap="Tab one"))
    second = client.post(url("plan_edit", org.engineer.pk), plan_post(0, gap="Tab two"))

    assertContains(second, PLAN_CONFLICT)
    assert GrowthPlan.objects.get(engineer=org.engineer).gap == "Tab one"


# --- owner-only writes: every URL -----------------------------------------------


def _owner_writes(org, plan, experiment) -> list[tuple[str, dict]]:
    return [
        (url("plan_edit", org.engineer.pk), plan_post(1)),
        (url("experiment_create", org.engineer.pk), experiment_post()),
        (url("experiment_edit", experiment.pk), experiment_edit_post(experiment, hypothesis="X")),
        (url("experiment_move", experiment.pk), {"direction": "up"}),
        (
            url("experiment_close", experiment.pk),
            {"status": "done", "learned": "Seeds matter", "version": "1"},
        ),
    ]


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("manager", 403), ("director", 403), ("peer", 404), ("outsider", 404), ("admin", 404)],
)
def test_owner_only_writes_refuse_everyone_else(client, org, viewer, expected):
    plan = make_plan(org.engineer)
    make_experiment(plan, "Kept first", position=0)
    experiment = make_experiment(plan, "Fixing the seed halves the variance", position=1)
    client.force_login(getattr(org, viewer))

    answers = [
        client.post(path, data).status_code for path, data in _owner_writes(org, plan, experiment)
    ]

    assert answers == [expected] * 5
    plan.refresh_from_db()
    experiment.refresh_from_db()
    assert (plan.version, plan.gap) == (1, "I change several things per run")
    assert (experiment.hypothesis, experiment.status, experiment.position) == (
        "Fixing the seed halves the variance",
        "planned",
        1,
    )
    assert Experiment.objects.count() == 2
    assert not PlanChange.objects.exists()


@pytest.mark.parametrize(("viewer", "expected"), [("manager", 403), ("peer", 404)])
def test_owner_only_edit_forms_refuse_everyone_else(client, org, viewer, expected):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance")
    client.force_login(getattr(org, viewer))

    assert client.get(url("plan_edit", org.engineer.pk)).status_code == expected
    assert client.get(url("experiment_edit", experiment.pk)).status_code == expected


def test_manager_cannot_start_a_plan_for_the_engineer(client, org):
    client.force_login(org.manager)

    response = client.post(url("plan_edit", org.engineer.pk), plan_post(0))

    assert response.status_code == 403
    assert not GrowthPlan.objects.exists()


def test_engineer_cannot_write_on_a_peers_plan(client, org):
    peer_plan = make_plan(org.peer)
    experiment = make_experiment(peer_plan, "Priya's experiment")
    client.force_login(org.engineer)

    answers = [
        client.post(url("experiment_create", org.peer.pk), experiment_post()).status_code,
        client.post(
            url("experiment_edit", experiment.pk), experiment_edit_post(experiment, hypothesis="X")
        ).status_code,
        client.post(url("plan_edit", org.peer.pk), plan_post(1)).status_code,
    ]

    assert answers == [404, 404, 404]
    experiment.refresh_from_db()
    assert experiment.hypothesis == "Priya's experiment"
    assert Experiment.objects.count() == 1


# --- experiments ----------------------------------------------------------------


def test_experiment_create_appends_planned_and_records_history(client, org):
    plan = make_plan(org.engineer)
    make_experiment(plan, "Already there", position=4)
    client.force_login(org.engineer)

    response = client.post(url("experiment_create", org.engineer.pk), experiment_post())

    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", org.engineer.pk) + "#experiments"
    created = Experiment.objects.get(hypothesis="Reproducing the baseline first saves a week")
    assert (created.status, created.position, created.due_date) == (
        "planned",
        5,
        date(2026, 10, 15),
    )
    change = PlanChange.objects.get(subject="experiment", subject_id=created.pk)
    assert change.action == "created"
    assert change.diff["Hypothesis"] == [None, "Reproducing the baseline first saves a week"]
    assert change.diff["Status"] == [None, "Planned"]


def test_experiment_create_first_gets_position_zero(client, org):
    make_plan(org.engineer)
    client.force_login(org.engineer)

    client.post(url("experiment_create", org.engineer.pk), experiment_post())

    assert Experiment.objects.get().position == 0


def test_experiment_create_htmx_returns_the_list_partial(client, org):
    plan = make_plan(org.engineer)
    make_experiment(plan, "Already there")
    client.force_login(org.engineer)

    response = client.post(
        url("experiment_create", org.engineer.pk), experiment_post(), headers=HTMX
    )

    assert response.status_code == 200
    assertNotContains(response, "<html")
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="experiments"')
    assert content.index("Already there") < content.index("Reproducing the baseline first")


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        (experiment_post(due_date="2026-09-19"), "due_date", "The due date is in the past."),
        (experiment_post(hypothesis=""), "hypothesis", "This field is required."),
        (
            experiment_post(success_signal="x" * 1001),
            "success_signal",
            "Ensure this value has at most 1000 characters (it has 1001).",
        ),
    ],
)
def test_experiment_create_bad_input_shows_error_and_saves_nothing(client, org, data, field, error):
    make_plan(org.engineer)
    client.force_login(org.engineer)

    response = client.post(url("experiment_create", org.engineer.pk), data)

    assert response.status_code == 200
    assertContains(response, "<html")  # without htmx: the whole page, errors in place
    assertContains(response, error)
    assert field in response.context["experiment_form"].errors
    assert not Experiment.objects.exists()
    assert not PlanChange.objects.exists()


def test_experiment_create_today_is_not_in_the_past(client, org):
    make_plan(org.engineer)
    client.force_login(org.engineer)

    client.post(url("experiment_create", org.engineer.pk), experiment_post(due_date="2026-09-20"))

    assert Experiment.objects.get().due_date == TODAY


def test_experiment_create_invalid_htmx_returns_list_with_errors(client, org):
    make_plan(org.engineer)
    client.force_login(org.engineer)

    response = client.post(
        url("experiment_create", org.engineer.pk),
        experiment_post(due_date="2025-01-01"),
        headers=HTMX,
    )

    assert response.status_code == 200
    assertNotContains(response, "<html")
    assertContains(response, "The due date is in the past.")
    assertContains(response, "Reproduce the paper&#x27;s baseline before any change</textarea>")


def test_experiment_edit_htmx_get_returns_the_row_form(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance")
    client.force_login(org.engineer)

    response = client.get(url("experiment_edit", experiment.pk), headers=HTMX)

    assert response.status_code == 200
    assertNotContains(response, "<html")
    content = response.content.decode()
    assert content.lstrip().startswith(f'<li id="experiment-{experiment.pk}"')
    assertContains(response, "Fixing the seed halves the variance</textarea>")
    assertContains(response, f"{url('plan_detail', org.engineer.pk)}?part=experiments")  # cancel


def test_experiment_edit_plain_get_shows_the_page_with_the_form(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance")
    client.force_login(org.engineer)

    response = client.get(url("experiment_edit", experiment.pk))

    assertContains(response, "<html")
    assertContains(response, "Edit the experiment")
    assertContains(response, "Fixing the seed halves the variance</textarea>")


def test_experiment_cancel_restores_the_list(client, org):
    plan = make_plan(org.engineer)
    make_experiment(plan, "Fixing the seed halves the variance")
    client.force_login(org.engineer)

    response = client.get(url("plan_detail", org.engineer.pk) + "?part=experiments", headers=HTMX)

    assertNotContains(response, "<html")
    assertContains(response, '<section id="experiments"', html=False)
    assertNotContains(response, "Edit the experiment")


def test_experiment_edit_saves_every_field_and_records_diff(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance")
    client.force_login(org.engineer)

    response = client.post(
        url("experiment_edit", experiment.pk),
        experiment_edit_post(experiment, status="running", due_date="2026-11-15"),
        headers=HTMX,
    )

    assert response.status_code == 200
    assertNotContains(response, "<html")
    assertContains(response, "Running")
    experiment.refresh_from_db()
    assert (experiment.status, experiment.due_date, experiment.version) == (
        "running",
        date(2026, 11, 15),
        2,
    )
    change = PlanChange.objects.get(subject="experiment", action="updated")
    assert change.diff == {
        "Timebox / due date": ["2026-10-31", "2026-11-15"],
        "Status": ["Planned", "Running"],
    }


@pytest.mark.parametrize("due", ["2026-09-19", "0001-01-01"])
def test_experiment_edit_refuses_a_due_date_in_the_past(client, org, due):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance")
    client.force_login(org.engineer)

    response = client.post(
        url("experiment_edit", experiment.pk), experiment_edit_post(experiment, due_date=due)
    )

    assert response.status_code == 200
    assertContains(response, "The due date is in the past.")
    experiment.refresh_from_db()
    assert (experiment.due_date, experiment.version) == (date(2026, 10, 31), 1)
    assert not PlanChange.objects.exists()


def test_experiment_edit_keeps_an_overdue_experiments_due_date_unchanged(client, org):
    # An overdue experiment stays editable (to close it, or fix a typo) without
    # inventing a new timebox.
    plan = make_plan(org.engineer)
    experiment = make_experiment(
        plan, "Fixing the seed halves the variance", due_date=date(2026, 8, 1)
    )
    client.force_login(org.engineer)

    response = client.post(
        url("experiment_edit", experiment.pk),
        experiment_edit_post(experiment, hypothesis="Fixing the seed cuts the variance"),
    )

    assert response.status_code == 302
    experiment.refresh_from_db()
    assert (experiment.hypothesis, experiment.due_date) == (
        "Fixing the seed cuts the variance",
        date(2026, 8, 1),
    )


def test_experiment_edit_refuses_moving_a_past_due_date_to_another_past_date(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(
        plan, "Fixing the seed halves the variance", due_date=date(2026, 8, 1)
    )
    client.force_login(org.engineer)

    response = client.post(
        url("experiment_edit", experiment.pk),
        experiment_edit_post(experiment, due_date="2026-09-01"),
    )

    assert response.status_code == 200
    assertContains(response, "The due date is in the past.")
    experiment.refresh_from_db()
    assert experiment.due_date == date(2026, 8, 1)


def test_experiment_edit_closing_needs_what_was_learned(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance")
    client.force_login(org.engineer)

    response = client.post(
        url("experiment_edit", experiment.pk), experiment_edit_post(experiment, status="done")
    )

    assert response.status_code == 200
    assertContains(response, "What was learned?")
    experiment.refresh_from_db()
    assert experiment.status == "planned"


def test_experiment_edit_two_tabs_second_save_is_told(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance")
    client.force_login(org.engineer)
    both_tabs = experiment_edit_post(experiment)  # both opened at version 1

    first = client.post(
        url("experiment_edit", experiment.pk), {**both_tabs, "hypothesis": "Tab one"}
    )
    second = client.post(
        url("experiment_edit", experiment.pk), {**both_tabs, "hypothesis": "Tab two"}, headers=HTMX
    )

    assert first.status_code == 302
    assert second.status_code == 200
    assertContains(second, EXPERIMENT_CONFLICT)
    assertContains(second, "Tab two</textarea>")
    experiment.refresh_from_db()
    assert (experiment.hypothesis, experiment.version) == ("Tab one", 2)
    assert PlanChange.objects.filter(subject="experiment").count() == 1


def test_experiment_move_swaps_with_neighbour(client, org):
    plan = make_plan(org.engineer)
    a = make_experiment(plan, "Experiment A", position=0)
    b = make_experiment(plan, "Experiment B", position=1)
    c = make_experiment(plan, "Experiment C", position=2)
    client.force_login(org.engineer)

    response = client.post(url("experiment_move", c.pk), {"direction": "up"}, headers=HTMX)

    assertNotContains(response, "<html")
    content = response.content.decode()
    assert (
        content.index("Experiment A")
        < content.index("Experiment C")
        < content.index("Experiment B")
    )
    assert list(plan.experiments.values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    change = PlanChange.objects.get(action="reordered")
    assert change.diff == {"Position": [3, 2]}


def test_experiment_move_at_the_end_stays_put(client, org):
    plan = make_plan(org.engineer)
    a = make_experiment(plan, "Experiment A", position=0)
    b = make_experiment(plan, "Experiment B", position=1)
    client.force_login(org.engineer)

    response = client.post(url("experiment_move", a.pk), {"direction": "up"})

    assert response.status_code == 302
    assert list(plan.experiments.values_list("pk", flat=True)) == [a.pk, b.pk]
    assert not PlanChange.objects.exists()


def test_experiment_move_works_when_positions_tie(client, org):
    plan = make_plan(org.engineer)
    a = make_experiment(plan, "Experiment A")
    b = make_experiment(plan, "Experiment B")
    client.force_login(org.engineer)

    client.post(url("experiment_move", a.pk), {"direction": "down"})

    assert list(plan.experiments.values_list("pk", flat=True)) == [b.pk, a.pk]


def test_experiment_move_rejects_unknown_direction(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Experiment A")
    client.force_login(org.engineer)

    response = client.post(url("experiment_move", experiment.pk), {"direction": "sideways"})

    assert response.status_code == 400


def test_experiment_close_records_learned_and_closed_on(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance", status="running")
    client.force_login(org.engineer)

    response = client.post(
        url("experiment_close", experiment.pk),
        {"status": "abandoned", "learned": "Variance came from the data loader", "version": "1"},
        headers=HTMX,
    )

    assertNotContains(response, "<html")
    assertContains(response, "Variance came from the data loader")
    assertContains(response, "Abandoned")
    experiment.refresh_from_db()
    assert (experiment.status, experiment.closed_on) == ("abandoned", TODAY)
    change = PlanChange.objects.get(action="closed")
    assert change.diff == {
        "Status": ["Running", "Abandoned"],
        "What was learned": ["", "Variance came from the data loader"],
    }


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"status": "done", "learned": "", "version": "1"}, "What was learned?"),
        ({"status": "running", "learned": "Something", "version": "1"}, "Select a valid choice."),
    ],
)
def test_experiment_close_bad_input_keeps_it_open(client, org, data, error):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance")
    client.force_login(org.engineer)

    response = client.post(url("experiment_close", experiment.pk), data)

    assert response.status_code == 200
    assertContains(response, "<html")
    assertContains(response, error)
    assertContains(response, '<details class="close-experiment" open>', html=False)
    experiment.refresh_from_db()
    assert (experiment.status, experiment.closed_on) == ("planned", None)
    assert not PlanChange.objects.exists()


def test_closing_services_refuse_an_empty_what_was_learned(org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Fixing the seed halves the variance")

    with pytest.raises(LearnedRequired):
        services.close_experiment(
            experiment=experiment, actor=org.engineer, version=1, status="done", learned=" "
        )
    with pytest.raises(LearnedRequired):
        services.update_experiment(
            experiment=experiment,
            actor=org.engineer,
            version=1,
            hypothesis=experiment.hypothesis,
            what_to_try=experiment.what_to_try,
            success_signal=experiment.success_signal,
            due_date=experiment.due_date,
            status="abandoned",
            learned="",
        )

    experiment.refresh_from_db()
    assert (experiment.status, experiment.version) == ("planned", 1)
    assert not PlanChange.objects.exists()


# --- support commitments ---------------------------------------------------------


def test_commitment_create_by_the_manager(client, org):
    plan = make_plan(org.engineer)
    client.force_login(org.manager)

    response = client.post(url("commitment_create", org.engineer.pk), commitment_post())

    assert response.status_code == 302
    commitment = SupportCommitment.objects.get(plan=plan)
    assert (commitment.manager, commitment.kind, commitment.status) == (
        org.manager,
        "exposure",
        "open",
    )
    change = PlanChange.objects.get(subject="commitment")
    assert change.actor == org.manager
    assert change.diff["Kind"] == [None, "The right exposure"]
    client.force_login(org.engineer)
    assertContains(client.get(url("plan_detail", org.engineer.pk)), "The right exposure")


def test_commitment_create_htmx_returns_the_list(client, org):
    make_plan(org.engineer)
    client.force_login(org.manager)

    response = client.post(
        url("commitment_create", org.engineer.pk), commitment_post(), headers=HTMX
    )

    assertNotContains(response, "<html")
    assertContains(response, "Present the ablation results at the research review")


def test_commitment_create_empty_description_saves_nothing(client, org):
    make_plan(org.engineer)
    client.force_login(org.manager)

    response = client.post(
        url("commitment_create", org.engineer.pk), commitment_post(description="")
    )

    assert response.status_code == 200
    assert response.context["commitment_form"].errors["description"] == ["This field is required."]
    assert not SupportCommitment.objects.exists()


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("engineer", 403), ("director", 403), ("peer", 404), ("outsider", 404)],
)
def test_commitments_are_written_by_the_manager_only(client, org, viewer, expected):
    plan = make_plan(org.engineer)
    commitment = make_commitment(plan, org.manager, "Weekly design review")
    client.force_login(getattr(org, viewer))

    created = client.post(url("commitment_create", org.engineer.pk), commitment_post())
    edit_form = client.get(url("commitment_edit", commitment.pk))
    edited = client.post(
        url("commitment_edit", commitment.pk), commitment_post(status="done", version="1")
    )

    assert [created.status_code, edit_form.status_code, edited.status_code] == [expected] * 3
    commitment.refresh_from_db()
    assert (commitment.status, commitment.version) == ("open", 1)
    assert SupportCommitment.objects.count() == 1
    assert not PlanChange.objects.exists()


def test_commitment_edit_by_the_manager_records_diff(client, org):
    plan = make_plan(org.engineer)
    commitment = make_commitment(plan, org.manager, "Weekly design review")
    client.force_login(org.manager)

    response = client.post(
        url("commitment_edit", commitment.pk),
        commitment_post(
            kind="project",
            description="Weekly design review",
            status="in_progress",
            due_date="2026-11-01",
            version="1",
        ),
    )

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.version) == ("in_progress", 2)
    assert PlanChange.objects.get(subject="commitment").diff == {"Status": ["Open", "In progress"]}


def test_commitment_edit_htmx_get_returns_the_row_form(client, org):
    plan = make_plan(org.engineer)
    commitment = make_commitment(plan, org.manager, "Weekly design review")
    client.force_login(org.manager)

    response = client.get(url("commitment_edit", commitment.pk), headers=HTMX)

    assertNotContains(response, "<html")
    assert response.content.decode().lstrip().startswith(f'<li id="commitment-{commitment.pk}"')
    assertContains(response, "Weekly design review</textarea>")


def test_commitment_edit_two_tabs_second_save_is_told(client, org):
    plan = make_plan(org.engineer)
    commitment = make_commitment(plan, org.manager, "Weekly design review")
    client.force_login(org.manager)

    client.post(url("commitment_edit", commitment.pk), commitment_post(status="done", version="1"))
    second = client.post(
        url("commitment_edit", commitment.pk), commitment_post(status="dropped", version="1")
    )

    assertContains(second, "This commitment changed since you opened it")
    commitment.refresh_from_db()
    assert commitment.status == "done"


# --- comments -------------------------------------------------------------------


@pytest.mark.parametrize("author", ["manager", "engineer", "director"])
def test_comment_create_by_anyone_who_sees_the_plan(client, org, author):
    plan = make_plan(org.engineer)
    client.force_login(getattr(org, author))

    response = client.post(
        url("comment_create", org.engineer.pk), {"body": "Which baseline first?"}, headers=HTMX
    )

    assertNotContains(response, "<html")
    assertContains(response, "Which baseline first?")
    comment = PlanComment.objects.get(plan=plan)
    assert comment.author == getattr(org, author)
    assert PlanChange.objects.get(subject="comment").actor == getattr(org, author)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "This field is required."),
        ("x" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
    ],
)
def test_comment_create_bad_input_saves_nothing(client, org, body, error):
    make_plan(org.engineer)
    client.force_login(org.manager)

    response = client.post(url("comment_create", org.engineer.pk), {"body": body})

    assert response.status_code == 200
    assertContains(response, error)
    assert not PlanComment.objects.exists()


def test_comment_create_out_of_scope_is_404(client, org):
    make_plan(org.engineer)
    client.force_login(org.peer)

    response = client.post(url("comment_create", org.engineer.pk), {"body": "Hello"})

    assert response.status_code == 404
    assert not PlanComment.objects.exists()


# --- history --------------------------------------------------------------------


def test_plan_history_lists_who_what_and_the_diff(client, org):
    client.force_login(org.engineer)
    client.post(url("plan_edit", org.engineer.pk), plan_post(0, gap="Before"))
    client.post(url("plan_edit", org.engineer.pk), plan_post(1, gap="After"))
    client.force_login(org.manager)
    client.post(url("comment_create", org.engineer.pk), {"body": "Nice"})

    response = client.get(url("plan_history", org.engineer.pk))

    assertContains(response, "Started the growth plan")
    assertContains(response, "Edited the plan")
    assertContains(response, "<del>Before</del> → <ins>After</ins>", html=False)
    assertContains(response, "Commented: Nice")
    assertContains(response, "Mara Manager")
    assertContains(response, "Eli Engineer")


@pytest.mark.parametrize("viewer", ["peer", "outsider"])
def test_plan_history_out_of_scope_is_404(client, org, viewer):
    make_plan(org.engineer)
    client.force_login(getattr(org, viewer))

    assert client.get(url("plan_history", org.engineer.pk)).status_code == 404


# --- query counts ---------------------------------------------------------------


def _fill_plan(org, size: int) -> GrowthPlan:
    plan = make_plan(org.engineer)
    for i in range(size):
        make_experiment(plan, f"Experiment {i}", position=i)
        make_commitment(plan, org.manager, f"Commitment {i}")
        PlanComment.objects.create(plan=plan, author=org.manager, body=f"Comment {i}")
    return plan


def _count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["engineer", "manager"])
def test_plan_detail_queries_flat_with_plan_size(client, org, viewer):
    client.force_login(getattr(org, viewer))
    small = _fill_plan(org, 2)
    small_count = _count_queries(client, url("plan_detail", org.engineer.pk))
    assertContains(client.get(url("plan_detail", org.engineer.pk)), "Experiment 1")
    small.delete()
    _fill_plan(org, 20)

    large_count = _count_queries(client, url("plan_detail", org.engineer.pk))

    assert large_count == small_count
    assert large_count <= 14


def test_plan_history_queries_flat_with_history_size(client, org):
    client.force_login(org.engineer)
    small = _fill_plan(org, 2)
    for i in range(2):
        PlanChange.objects.create(
            plan=small, actor=org.manager, subject="plan", action="x", summary=f"S{i}"
        )
    small_count = _count_queries(client, url("plan_history", org.engineer.pk))
    small.delete()
    large = _fill_plan(org, 20)
    for i in range(40):
        actor = org.manager if i % 2 else org.engineer
        PlanChange.objects.create(
            plan=large, actor=actor, subject="plan", action="x", summary=f"S{i}"
        )

    large_count = _count_queries(client, url("plan_history", org.engineer.pk))

    assert large_count == small_count
    assert large_count <= 8


def test_plan_history_shows_25_changes_a_page_newest_first(client, org):
    plan = make_plan(org.engineer)
    PlanChange.objects.filter(plan=plan).delete()
    for i in range(30):
        PlanChange.objects.create(
            plan=plan,
            actor=org.engineer,
            subject="plan",
            action="updated",
            summary=f"Change {i:02d}",
        )
    client.force_login(org.engineer)

    first = client.get(url("plan_history", org.engineer.pk))
    second = client.get(url("plan_history", org.engineer.pk), {"page": 2})

    assertContains(first, "Change 29")
    assertContains(first, "Change 05")
    assertNotContains(first, "Change 04")
    assertContains(first, '<a href="?page=2">Older changes</a>', html=True)
    assertContains(second, "Change 04")
    assertContains(second, "Change 00")
    assertNotContains(second, "Change 05")
