from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from growth.models import (
    Experiment,
    GrowthPlan,
    PlanChange,
    QuarterlyReview,
    SupportCommitment,
    Transition,
)
from growth.review_services import ReviewAlreadySubmitted, submit_quarterly_review
from growth.rules import PlanRights
from growth.services import LearnedRequired
from tests.conftest import make_person

TODAY = date(2026, 9, 20)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-09-20 10:00 +00:00", tick=False):
        yield TODAY


def make_plan(engineer, *, due: date = date(2026, 9, 30), **extra) -> GrowthPlan:
    transition, _ = Transition.objects.get_or_create(
        from_level="junior",
        defaults={"to_level": "mid", "focus": "experiment design", "support": "Pair on designs"},
    )
    fields = {
        "aspiration": "Design ablations for retrieval models",
        "gap": "I change several variables at once",
        "transition": transition,
        **extra,
    }
    return GrowthPlan.objects.create(engineer=engineer, next_review_due=due, **fields)


def make_experiment(plan: GrowthPlan, hypothesis: str, **extra) -> Experiment:
    fields = {
        "what_to_try": "One variable per run",
        "success_signal": "A reviewer can reproduce the result",
        "due_date": date(2026, 10, 31),
        "status": Experiment.Status.RUNNING,
        **extra,
    }
    return Experiment.objects.create(plan=plan, hypothesis=hypothesis, **fields)


def create_url(person) -> str:
    return reverse("growth:review_create", kwargs={"person_id": person.pk})


def compare_url(person) -> str:
    return reverse("growth:review_compare", kwargs={"person_id": person.pk})


def detail_url(review: QuarterlyReview) -> str:
    return reverse("growth:review_detail", kwargs={"review_id": review.pk})


def review_data(progress: dict | None = None, **texts) -> dict:
    data = {
        "quarter": "2026-Q3",
        "what_changed": "Ran two ablations with one variable each",
        "next_quarter": "Add variance across three seeds",
        **texts,
    }
    for experiment, (choice, note) in (progress or {}).items():
        data[f"progress_{experiment.pk}"] = choice
        data[f"note_{experiment.pk}"] = note
    return data


def submit(plan: GrowthPlan, by, **overrides) -> QuarterlyReview:
    fields = {
        "what_changed": "Ran two ablations",
        "next_quarter": "Seeds next",
        "manager_note": "",
        "progress": {},
        **overrides,
    }
    return submit_quarterly_review(plan=plan, submitted_by=by, **fields)


# --- review_create ----------------------------------------------------------------------


def test_review_form_for_engineer_lists_experiments_without_manager_note(client, org):
    plan = make_plan(org.engineer)
    make_experiment(plan, "Seeds matter for small models")
    client.force_login(org.engineer)

    response = client.get(create_url(org.engineer))

    assertContains(response, "Q3 2026 quarterly review")
    assertContains(response, "Seeds matter for small models")
    assertContains(response, "What changed this quarter")
    assertContains(response, "Next quarter&#x27;s experiments")
    assertContains(response, 'name="quarter" value="2026-Q3"')
    assertNotContains(response, "Manager&#x27;s note")


def test_review_form_for_manager_has_manager_note(client, org):
    make_plan(org.engineer)
    client.force_login(org.manager)

    response = client.get(create_url(org.engineer))

    assertContains(response, "Manager&#x27;s note")
    assertContains(response, 'name="manager_note"')


def test_review_form_offers_open_and_recently_closed_experiments_only(client, org):
    plan = make_plan(org.engineer)
    make_experiment(plan, "Planned one", status=Experiment.Status.PLANNED)
    make_experiment(
        plan, "Closed last month", status=Experiment.Status.DONE, closed_on=date(2026, 8, 20)
    )
    make_experiment(
        plan, "Closed last year", status=Experiment.Status.DONE, closed_on=date(2025, 8, 20)
    )
    client.force_login(org.engineer)

    response = client.get(create_url(org.engineer))

    assertContains(response, "Planned one")
    assertContains(response, "Closed last month")
    assertNotContains(response, "Closed last year")


def test_review_submitted_by_engineer_ignores_posted_manager_note(client, org):
    plan = make_plan(org.engineer)
    client.force_login(org.engineer)

    response = client.post(create_url(org.engineer), review_data(manager_note="Sneaky note"))

    review = QuarterlyReview.objects.get(plan=plan)
    assert response.status_code == 302
    assert response["Location"] == detail_url(review)
    assert review.submitted_by == org.engineer
    assert review.manager_note == ""
    assert review.what_changed == "Ran two ablations with one variable each"
    assert review.quarter == "2026-Q3"
    assert review.due_date == date(2026, 9, 30)


def test_review_submitted_by_manager_keeps_manager_note(client, org):
    plan = make_plan(org.engineer)
    client.force_login(org.manager)

    client.post(create_url(org.engineer), review_data(manager_note="Ask Priya to review designs"))

    review = QuarterlyReview.objects.get(plan=plan)
    assert review.submitted_by == org.manager
    assert review.manager_note == "Ask Priya to review designs"
    assert review.snapshot["review"]["manager_note"] == "Ask Priya to review designs"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("director", 403),
        ("peer", 404),
        ("other_manager", 404),
        ("other_director", 404),
        ("admin", 404),
        ("outsider", 404),
    ],
)
def test_review_create_refuses_everyone_but_engineer_and_manager(client, org, role, status):
    make_plan(org.engineer)
    client.force_login(getattr(org, role))

    get = client.get(create_url(org.engineer))
    post = client.post(create_url(org.engineer), review_data())

    assert (get.status_code, post.status_code) == (status, status)
    assert QuarterlyReview.objects.count() == 0


def test_review_create_without_plan_is_404(client, org):
    client.force_login(org.engineer)

    response = client.get(create_url(org.engineer))

    assert response.status_code == 404


def test_review_create_anonymous_redirects_to_login(client, org):
    make_plan(org.engineer)

    response = client.get(create_url(org.engineer))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_review_empty_required_answers_show_errors_and_save_nothing(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Seeds matter")
    client.force_login(org.engineer)

    response = client.post(
        create_url(org.engineer),
        review_data({experiment: ("completed", "")}, what_changed="  ", next_quarter=""),
    )

    assert response.status_code == 200
    assertContains(response, "This field is required.", count=2)
    assert QuarterlyReview.objects.count() == 0
    plan.refresh_from_db()
    experiment.refresh_from_db()
    assert plan.next_review_due == date(2026, 9, 30)
    assert experiment.status == Experiment.Status.RUNNING


def test_review_text_over_limit_is_an_error(client, org):
    make_plan(org.engineer)
    client.force_login(org.engineer)

    response = client.post(create_url(org.engineer), review_data(what_changed="x" * 2001))

    assertContains(response, "Ensure this value has at most 2000 characters")
    assert QuarterlyReview.objects.count() == 0


def test_review_invalid_progress_choice_is_an_error(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Seeds matter")
    client.force_login(org.engineer)

    response = client.post(create_url(org.engineer), review_data({experiment: ("finished", "")}))

    assertContains(response, "Select a valid choice.")
    assert QuarterlyReview.objects.count() == 0


def test_review_snapshot_holds_the_whole_plan(client, org):
    plan = make_plan(org.engineer)
    running = make_experiment(plan, "Seeds matter", position=0)
    planned = make_experiment(plan, "Baselines first", status=Experiment.Status.PLANNED, position=1)
    commitment = SupportCommitment.objects.create(
        plan=plan,
        manager=org.manager,
        kind=SupportCommitment.Kind.FEEDBACK,
        description="Weekly design review",
        due_date=date(2026, 10, 15),
    )
    client.force_login(org.manager)

    client.post(
        create_url(org.engineer),
        review_data(
            {running: ("completed", "Variance halved"), planned: ("none", "")},
            manager_note="Good rigour",
        ),
    )

    snapshot = QuarterlyReview.objects.get().snapshot
    assert snapshot["aspiration"] == "Design ablations for retrieval models"
    assert snapshot["gap"] == "I change several variables at once"
    assert snapshot["transition"] == {
        "id": plan.transition_id,
        "name": "Junior → Mid",
        "focus": "experiment design",
    }
    assert snapshot["experiments"] == [
        {
            "id": running.pk,
            "position": 0,
            "hypothesis": "Seeds matter",
            "what_to_try": "One variable per run",
            "success_signal": "A reviewer can reproduce the result",
            "due_date": "2026-10-31",
            # The manager's view of progress is kept; only the engineer closes it.
            "status": "running",
            "status_label": "Running",
            "learned": "",
            "closed_on": None,
            "progress": {
                "value": "completed",
                "label": "Looks completed",
                "note": "Variance halved",
            },
        },
        {
            "id": planned.pk,
            "position": 1,
            "hypothesis": "Baselines first",
            "what_to_try": "One variable per run",
            "success_signal": "A reviewer can reproduce the result",
            "due_date": "2026-10-31",
            "status": "planned",
            "status_label": "Planned",
            "learned": "",
            "closed_on": None,
            "progress": {"value": "none", "label": "No progress", "note": ""},
        },
    ]
    assert snapshot["commitments"] == [
        {
            "id": commitment.pk,
            "kind": "feedback",
            "kind_label": "The right feedback",
            "description": "Weekly design review",
            "due_date": "2026-10-15",
            "status": "open",
            "status_label": "Open",
            "manager": "Mara Manager",
        }
    ]
    assert snapshot["review"] == {
        "quarter": "2026-Q3",
        "due_date": "2026-09-30",
        "submitted_by": "Mara Manager",
        "submitted_on": "2026-09-20",
        "what_changed": "Ran two ablations with one variable each",
        "next_quarter": "Add variance across three seeds",
        "manager_note": "Good rigour",
        "made_progress": True,
    }


def test_review_by_the_engineer_closes_experiments_with_what_was_learned(client, org):
    plan = make_plan(org.engineer)
    done = make_experiment(plan, "Seeds matter")
    dropped = make_experiment(plan, "Bigger batches help")
    kept = make_experiment(plan, "Baselines first")
    client.force_login(org.engineer)

    response = client.post(
        create_url(org.engineer),
        review_data(
            {
                done: ("completed", "Variance halved with three seeds"),
                dropped: ("abandoned", "Batch size was never the bottleneck"),
                kept: ("progressing", ""),
            }
        ),
    )

    assert response.status_code == 302
    rows = {e.hypothesis: (e.status, e.learned, e.closed_on) for e in Experiment.objects.all()}
    assert rows == {
        "Seeds matter": ("done", "Variance halved with three seeds", TODAY),
        "Bigger batches help": ("abandoned", "Batch size was never the bottleneck", TODAY),
        "Baselines first": ("running", "", None),
    }
    changes = {
        (c.subject, c.subject_id, c.action, c.actor_id): c.diff
        for c in PlanChange.objects.filter(plan=plan)
    }
    review = QuarterlyReview.objects.get()
    assert changes == {
        ("experiment", done.pk, "closed", org.engineer.pk): {
            "Status": ["Running", "Done"],
            "What was learned": ["", "Variance halved with three seeds"],
            "Closed on": [None, "2026-09-20"],
        },
        ("experiment", dropped.pk, "closed", org.engineer.pk): {
            "Status": ["Running", "Abandoned"],
            "What was learned": ["", "Batch size was never the bottleneck"],
            "Closed on": [None, "2026-09-20"],
        },
        ("review", review.pk, "submitted", org.engineer.pk): {
            "Next review due": ["2026-09-30", "2026-12-30"]
        },
    }
    assert review.snapshot["experiments"][0]["learned"] == "Variance halved with three seeds"


@pytest.mark.parametrize("choice", ["completed", "abandoned"])
def test_review_by_the_engineer_closing_without_what_was_learned_is_a_field_error(
    client, org, choice
):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Seeds matter")
    client.force_login(org.engineer)

    response = client.post(create_url(org.engineer), review_data({experiment: (choice, "  ")}))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"note_{experiment.pk}": [
            "What was learned? Closing an experiment records what it taught you."
        ]
    }
    assertContains(response, "What was learned? Closing an experiment records what it taught you.")
    assert QuarterlyReview.objects.count() == 0
    experiment.refresh_from_db()
    assert (experiment.status, experiment.closed_on) == ("running", None)
    assert not PlanChange.objects.exists()


def test_review_of_an_already_closed_experiment_needs_no_new_note(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(
        plan,
        "Seeds matter",
        status=Experiment.Status.DONE,
        learned="Variance halved",
        closed_on=date(2026, 9, 1),
    )
    client.force_login(org.engineer)

    response = client.post(create_url(org.engineer), review_data({experiment: ("completed", "")}))

    assert response.status_code == 302
    experiment.refresh_from_db()
    assert (experiment.status, experiment.learned, experiment.closed_on) == (
        "done",
        "Variance halved",
        date(2026, 9, 1),
    )
    assert not PlanChange.objects.filter(subject="experiment").exists()


@pytest.mark.parametrize("note", ["", "Looks finished to me"])
def test_review_by_the_manager_records_their_view_without_closing_experiments(client, org, note):
    plan = make_plan(org.engineer)
    done = make_experiment(plan, "Seeds matter")
    dropped = make_experiment(plan, "Bigger batches help")
    client.force_login(org.manager)

    response = client.post(
        create_url(org.engineer),
        review_data({done: ("completed", note), dropped: ("abandoned", note)}),
    )

    assert response.status_code == 302
    rows = {e.hypothesis: (e.status, e.learned, e.closed_on) for e in Experiment.objects.all()}
    assert rows == {
        "Seeds matter": ("running", "", None),
        "Bigger batches help": ("running", "", None),
    }
    assert list(PlanChange.objects.values_list("subject", "actor")) == [("review", org.manager.pk)]
    review = QuarterlyReview.objects.get()
    assert [e["progress"] for e in review.snapshot["experiments"]] == [
        {"value": "completed", "label": "Looks completed", "note": note},
        {"value": "abandoned", "label": "Looks abandoned", "note": note},
    ]
    assert review.made_progress is True


def test_review_form_for_the_manager_offers_their_view_not_closing(client, org):
    plan = make_plan(org.engineer)
    make_experiment(plan, "Seeds matter")
    client.force_login(org.manager)

    response = client.get(create_url(org.engineer))

    assertContains(response, "Looks completed")
    assertContains(response, "Looks abandoned")
    assertContains(response, "Only Eli Engineer closes an experiment")
    assertNotContains(response, "What was learned")
    # "Looks completed" only: no choice that reads as closing the experiment.
    assertNotContains(response, "Completed</label>")
    assertNotContains(response, "Abandoned</label>")


def test_review_form_for_the_engineer_says_closing_asks_what_was_learned(client, org):
    plan = make_plan(org.engineer)
    make_experiment(plan, "Seeds matter")
    client.force_login(org.engineer)

    response = client.get(create_url(org.engineer))

    assertContains(response, "Completed or Abandoned closes the experiment")
    assertContains(response, "what was learned")
    assertNotContains(response, "Looks completed")


def test_submit_by_the_manager_never_closes_an_experiment(org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Seeds matter")

    submit(plan, org.manager, progress={experiment.pk: ("completed", "Done, I think")})

    experiment.refresh_from_db()
    assert (experiment.status, experiment.learned, experiment.version) == ("running", "", 1)


def test_submit_by_the_engineer_closing_without_what_was_learned_saves_nothing(org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Seeds matter")

    with pytest.raises(LearnedRequired):
        submit(plan, org.engineer, progress={experiment.pk: ("abandoned", " ")})

    experiment.refresh_from_db()
    assert experiment.status == "running"
    assert QuarterlyReview.objects.count() == 0
    assert not PlanChange.objects.exists()


@pytest.mark.parametrize(
    ("choices", "made_progress"),
    [
        (("none", "none"), False),
        (("abandoned", "none"), False),
        (("progressing", "none"), True),
        (("none", "completed"), True),
    ],
)
def test_review_made_progress_follows_experiment_progress(client, org, choices, made_progress):
    plan = make_plan(org.engineer)
    first = make_experiment(plan, "First")
    second = make_experiment(plan, "Second")
    client.force_login(org.engineer)

    client.post(
        create_url(org.engineer),
        review_data({first: (choices[0], "A note"), second: (choices[1], "A note")}),
    )

    assert QuarterlyReview.objects.get().made_progress is made_progress


@pytest.mark.parametrize(
    ("due", "next_due"),
    [
        (date(2026, 9, 30), date(2026, 12, 30)),  # on time: one quarter after the due date
        (date(2026, 8, 31), date(2026, 12, 20)),  # overdue: one quarter after today
    ],
)
def test_review_moves_next_review_one_quarter_later(client, org, due, next_due):
    plan = make_plan(org.engineer, due=due)
    client.force_login(org.engineer)

    client.post(create_url(org.engineer), review_data())

    plan.refresh_from_db()
    assert plan.next_review_due == next_due


def test_review_opened_in_two_tabs_second_submission_is_refused(client, org):
    plan = make_plan(org.engineer)
    client.force_login(org.engineer)
    client.post(create_url(org.engineer), review_data(what_changed="First tab"))

    response = client.post(create_url(org.engineer), review_data(what_changed="Second tab"))

    assert response.status_code == 200
    assertContains(response, "The Q3 2026 review has already been submitted.")
    assert list(QuarterlyReview.objects.values_list("what_changed", flat=True)) == ["First tab"]
    plan.refresh_from_db()
    assert plan.next_review_due == date(2026, 12, 30)


def test_review_for_a_quarter_already_reviewed_is_a_form_error(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Seeds matter")
    client.force_login(org.engineer)
    first = client.post(
        create_url(org.engineer), review_data({experiment: ("none", "")}, what_changed="First")
    )
    assert first.status_code == 302
    # The due date set back into the reviewed quarter (say by an admin).
    GrowthPlan.objects.filter(pk=plan.pk).update(next_review_due=date(2026, 9, 25))

    response = client.post(
        create_url(org.engineer),
        review_data({experiment: ("completed", "Seeds matter")}, what_changed="Second"),
    )

    assertContains(response, "The Q3 2026 review is already submitted.")
    assert QuarterlyReview.objects.count() == 1
    experiment.refresh_from_db()
    plan.refresh_from_db()
    assert experiment.status == Experiment.Status.RUNNING
    assert plan.next_review_due == date(2026, 9, 25)
    assert PlanChange.objects.filter(subject="review").count() == 1


def test_submit_twice_with_a_stale_plan_raises_and_saves_nothing(org):
    plan = make_plan(org.engineer)
    stale = GrowthPlan.objects.get(pk=plan.pk)
    experiment = make_experiment(plan, "Seeds matter")
    submit(plan, org.engineer)

    with pytest.raises(ReviewAlreadySubmitted):
        submit(stale, org.manager, progress={experiment.pk: ("completed", "")})

    assert QuarterlyReview.objects.count() == 1
    assert Experiment.objects.get().status == Experiment.Status.RUNNING


def test_submit_ignores_progress_for_another_plans_experiment(org):
    plan = make_plan(org.engineer)
    other = make_experiment(make_plan(org.peer), "Not yours")

    review = submit(plan, org.engineer, progress={other.pk: ("completed", "")})

    assert Experiment.objects.get(pk=other.pk).status == Experiment.Status.RUNNING
    assert review.made_progress is False


# --- review_detail ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["engineer", "manager", "director"])
def test_review_detail_shows_the_snapshot_to_the_reporting_line(client, org, role):
    plan = make_plan(org.engineer)
    make_experiment(plan, "Seeds matter")
    review = submit(plan, org.manager, manager_note="Keep going")
    client.force_login(getattr(org, role))

    response = client.get(detail_url(review))

    assertContains(response, "<h1>Q3 2026 review</h1>", html=True)
    assertContains(response, "Submitted by Mara Manager on 20 Sep 2026")
    assertContains(response, "Design ablations for retrieval models")
    assertContains(response, "Seeds matter")
    assertContains(response, "Keep going")


@pytest.mark.parametrize("role", ["peer", "other_manager", "other_director", "admin", "outsider"])
def test_review_detail_out_of_scope_is_404(client, org, role):
    review = submit(make_plan(org.engineer), org.engineer)
    client.force_login(getattr(org, role))

    response = client.get(detail_url(review))

    assert response.status_code == 404


def test_past_quarter_stays_readable_after_the_plan_changes(client, org):
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Seeds matter")
    review = submit(plan, org.engineer)
    plan.aspiration = "Own the evaluation harness"
    plan.save()
    experiment.hypothesis = "Batch size matters"
    experiment.save()
    client.force_login(org.engineer)

    response = client.get(detail_url(review))

    assertContains(response, "Design ablations for retrieval models")
    assertContains(response, "Seeds matter")
    assertNotContains(response, "Own the evaluation harness")
    assertNotContains(response, "Batch size matters")


# --- review_compare ---------------------------------------------------------------------


def two_reviews(org):
    """A plan reviewed in Q3 and Q4 2026, with its aspiration and an experiment changed."""
    plan = make_plan(org.engineer)
    experiment = make_experiment(plan, "Seeds matter")
    removed = make_experiment(plan, "Bigger batches help")
    first = submit(plan, org.engineer, what_changed="Ran ablations on retrieval")
    plan.aspiration = "Design ablations for ranking models"
    plan.save()
    removed.delete()
    make_experiment(plan, "Baselines first", status=Experiment.Status.PLANNED)
    with time_machine.travel("2026-12-28 10:00 +00:00", tick=False):
        second = submit(
            plan,
            org.engineer,
            what_changed="Ran ablations on ranking",
            progress={experiment.pk: ("completed", "Variance across seeds is large")},
        )
    return plan, first, second


def test_compare_marks_word_changes_and_status_changes(client, org):
    _, first, second = two_reviews(org)
    client.force_login(org.manager)

    response = client.get(compare_url(org.engineer), {"a": first.pk, "b": second.pk})

    assertContains(response, '<span class="visually-hidden">removed: </span><del>retrieval</del>')
    assertContains(response, '<span class="visually-hidden">added: </span><ins>ranking</ins>')
    assertContains(response, "Design ablations for ")
    assertContains(response, "Running → Done")
    assertContains(response, "<ins>Variance across seeds is large</ins>")
    assertContains(response, "Baselines first")
    assertContains(response, '<span class="badge badge-ok">Added</span>', html=True)
    assertContains(response, '<span class="badge badge-danger">Removed</span>', html=True)
    # Both are reviews, so the review texts are compared too.
    assertContains(response, "What changed this quarter")
    assertContains(response, '<th scope="col">Q3 2026 review</th>', html=True)
    assertContains(response, '<th scope="col">Q4 2026 review</th>', html=True)


def test_compare_shows_support_commitment_changes(client, org):
    plan = make_plan(org.engineer)
    changed = SupportCommitment.objects.create(
        plan=plan,
        manager=org.manager,
        kind=SupportCommitment.Kind.FEEDBACK,
        description="Review every experiment design before the run",
        due_date=date(2026, 10, 15),
    )
    SupportCommitment.objects.create(
        plan=plan,
        manager=org.manager,
        kind=SupportCommitment.Kind.EXPOSURE,
        description="Invite Eli to the launch reviews",
        due_date=date(2026, 11, 1),
    )
    first = submit(plan, org.engineer)
    changed.description = "Review every ablation before the run"
    changed.status = SupportCommitment.Status.DONE
    changed.save()
    with time_machine.travel("2026-12-28 10:00 +00:00", tick=False):
        second = submit(plan, org.engineer)
    client.force_login(org.manager)

    response = client.get(compare_url(org.engineer), {"a": first.pk, "b": second.pk})

    assert response.status_code == 200
    # Only the commitments section counts: the same words elsewhere prove nothing.
    commitments = response.content.decode().split('id="commitments-heading"')[1]
    assert '<span class="badge badge-warn">Changed</span>' in commitments
    assert "<del>experiment design</del>" in commitments
    assert "<ins>ablation</ins>" in commitments
    assert "Open → Done" in commitments
    assert '<span class="badge">Unchanged</span>' in commitments
    assert "Invite Eli to the launch reviews" in commitments


def test_compare_a_quarter_with_the_current_plan(client, org):
    plan = make_plan(org.engineer)
    review = submit(plan, org.engineer)
    plan.gap = "I change one variable per run but skip baselines"
    plan.save()
    client.force_login(org.engineer)

    response = client.get(compare_url(org.engineer), {"a": review.pk, "b": "current"})

    assert response.status_code == 200
    assertContains(response, "<del>several variables at once</del>")
    assertContains(response, "<ins>one variable per run but skip baselines</ins>")
    assertContains(response, '<th scope="col">Current plan</th>', html=True)
    assertNotContains(response, "What changed this quarter")


def test_compare_the_same_version_marks_nothing(client, org):
    review = submit(make_plan(org.engineer), org.engineer)
    client.force_login(org.engineer)

    response = client.get(compare_url(org.engineer), {"a": review.pk, "b": review.pk})

    assert response.status_code == 200
    assertNotContains(response, "removed: ")
    assertNotContains(response, "added: ")


@pytest.mark.parametrize(
    "params",
    [{}, {"a": "current"}, {"a": "abc", "b": "current"}, {"a": "current", "b": "-1"}],
)
def test_compare_malformed_params_is_a_400_page_with_the_chooser(client, org, params):
    submit(make_plan(org.engineer), org.engineer)
    client.force_login(org.engineer)

    response = client.get(compare_url(org.engineer), params)

    assert response.status_code == 400
    assertContains(response, "Choose two versions of the plan to compare", status_code=400)
    assertContains(response, '<label for="id_a">Compare</label>', status_code=400, html=True)


def test_compare_unknown_or_other_plans_review_is_404(client, org):
    submit(make_plan(org.engineer), org.engineer)
    peers_review = submit(make_plan(org.peer), org.peer)
    client.force_login(org.manager)

    other = client.get(compare_url(org.engineer), {"a": peers_review.pk, "b": "current"})
    unknown = client.get(compare_url(org.engineer), {"a": "current", "b": "999999"})

    assert (other.status_code, unknown.status_code) == (404, 404)


def test_compare_plan_without_plan_or_out_of_scope_is_404(client, org):
    make_plan(org.engineer)
    client.force_login(org.peer)

    out_of_scope = client.get(compare_url(org.engineer), {"a": "current", "b": "current"})
    no_plan = client.get(compare_url(org.peer), {"a": "current", "b": "current"})

    assert (out_of_scope.status_code, no_plan.status_code) == (404, 404)


# --- the reviews panel ----------------------------------------------------------------------


def render_panel(plan: GrowthPlan, can_review: bool) -> str:
    from django.template.loader import render_to_string

    rights = PlanRights(edit_plan=False, commit_support=False, submit_review=can_review)
    context = {"plan": plan, "person": plan.engineer, "rights": rights}
    return render_to_string("growth/_reviews_panel.html", context)


def test_reviews_panel_lists_past_quarters_and_the_compare_form(org):
    plan, first, second = two_reviews(org)

    html = render_panel(plan, can_review=True)

    assert "Start quarterly review" in html
    assert f'href="{detail_url(first)}">Q3 2026 review</a>' in html
    assert f'href="{detail_url(second)}">Q4 2026 review</a>' in html
    assert '<label for="compare-a">Compare</label>' in html
    assert '<option value="current" selected>Current plan</option>' in html


def test_reviews_panel_without_reviews_has_no_compare_form(org):
    plan = make_plan(org.engineer, due=date(2026, 9, 1))

    html = render_panel(plan, can_review=False)

    assert "Next review due 1 Sep 2026" in html
    assert "Overdue" in html
    assert "No quarterly review yet." in html
    assert "Start quarterly review" not in html
    assert "compare-a" not in html


# --- home pages -----------------------------------------------------------------------------


def test_home_tells_engineer_their_review_is_due(client, org):
    make_plan(org.engineer, due=date(2026, 9, 30))
    client.force_login(org.engineer)

    response = client.get(reverse("home"))

    assertContains(response, "Your quarterly review is due on 30 Sep 2026.")
    assertContains(response, f'href="{create_url(org.engineer)}"')


def test_home_tells_engineer_their_review_is_overdue(client, org):
    make_plan(org.engineer, due=date(2026, 9, 1))
    client.force_login(org.engineer)

    response = client.get(reverse("home"))

    assertContains(response, "Your quarterly review is overdue since 1 Sep 2026.")


def test_home_says_nothing_when_the_review_is_further_off(client, org):
    make_plan(org.engineer, due=date(2026, 10, 5))
    client.force_login(org.engineer)

    with_plan = client.get(reverse("home"))
    with time_machine.travel("2026-09-21 10:00 +00:00", tick=False):
        a_day_later = client.get(reverse("home"))

    assertNotContains(with_plan, "Your quarterly review")
    assertContains(a_day_later, "Your quarterly review is due on 5 Oct 2026.")


def test_home_lists_managers_reports_with_due_and_overdue_reviews(client, org):
    make_plan(org.engineer, due=date(2026, 9, 1))
    make_plan(org.peer, due=date(2026, 9, 28))
    make_plan(org.other_engineer, due=date(2026, 9, 1))  # Omar's report, not Mara's
    make_plan(org.manager, due=date(2026, 12, 1))
    client.force_login(org.manager)

    response = client.get(reverse("home"))

    plan_of = lambda p: reverse("growth:plan_detail", kwargs={"person_id": p.pk})  # noqa: E731
    assertContains(response, f'<a href="{plan_of(org.engineer)}">Eli Engineer</a>')
    assertContains(response, "overdue since 1 Sep 2026")
    assertContains(response, f'<a href="{plan_of(org.peer)}">Priya Peer</a>')
    assertContains(response, "due on 28 Sep 2026")
    assertNotContains(response, "Sam Speech")
    assertNotContains(response, "Your quarterly review")


def test_home_director_does_not_see_grand_reports_reviews(client, org):
    make_plan(org.engineer, due=date(2026, 9, 1))
    client.force_login(org.director)

    response = client.get(reverse("home"))

    assertNotContains(response, "overdue since")


# --- query counts -----------------------------------------------------------------------------


def grow_plan(plan: GrowthPlan, size: int, manager) -> None:
    for i in range(size):
        make_experiment(plan, f"Experiment {i}")
        SupportCommitment.objects.create(
            plan=plan,
            manager=manager,
            kind="project",
            description=f"Project {i}",
            due_date=date(2026, 10, 1),
        )


def count_queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx)


def test_review_detail_and_compare_queries_are_flat(client, org):
    counts = []
    for engineer, size in [(org.engineer, 1), (org.peer, 8)]:
        plan = make_plan(engineer)
        grow_plan(plan, size, org.manager)
        first = submit(plan, engineer)
        with time_machine.travel("2026-12-28 10:00 +00:00", tick=False):
            second = submit(plan, engineer)
        client.force_login(org.manager)
        counts.append(
            (
                count_queries(client, detail_url(first)),
                count_queries(client, compare_url(engineer), {"a": first.pk, "b": second.pk}),
                count_queries(client, compare_url(engineer), {"a": first.pk, "b": "current"}),
            )
        )

    assert counts[0] == counts[1]
    # the review detail fetches the review and checks its scope in one query
    assert counts[0] == (4, 6, 8)


def test_review_form_queries_are_flat(client, org):
    counts = []
    for engineer, size in [(org.engineer, 1), (org.peer, 8)]:
        grow_plan(make_plan(engineer), size, org.manager)
        client.force_login(org.manager)
        counts.append(count_queries(client, create_url(engineer)))

    assert counts[0] == counts[1]


def add_overdue_reports(manager, count: int) -> None:
    start = manager.reports.count()
    for i in range(start, start + count):
        report = make_person(f"r{i}@example.com", f"Report {i}", manager=manager)
        make_plan(report, due=date(2026, 9, 1) + timedelta(days=i))


def test_home_queries_are_flat_with_more_reports_due(client, org):
    manager = make_person("lead@example.com", "Lea Lead")
    make_plan(manager, due=date(2026, 9, 25))
    client.force_login(manager)
    counts = []
    for total in (1, 6):
        add_overdue_reports(manager, total - manager.reports.count())

        counts.append(count_queries(client, reverse("home")))
        response = client.get(reverse("home"))

        assertContains(response, "overdue since", count=total)
        assertContains(response, "Your quarterly review is due on 25 Sep 2026.")

    assert counts[0] == counts[1]


def test_review_empty_post_shows_errors(client, org):
    make_plan(org.engineer)
    client.force_login(org.engineer)

    response = client.post(create_url(org.engineer), {})

    assertContains(response, "This field is required.", count=2)
    assert QuarterlyReview.objects.count() == 0
