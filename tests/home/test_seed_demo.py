"""`manage.py seed_demo`: each app's demo seeder in order, then the demo sign-ins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import Level, Person, Team
from calibration.models import (
    Anchor,
    CalibrationCycle,
    Contribution,
    CycleMember,
    Dimension,
    Rating,
    RatingChange,
    WorkItem,
)
from calibration.rubric_defaults import seed_rubric
from growth.models import Experiment, GrowthPlan, PlanChange, QuarterlyReview, SupportCommitment
from one_on_ones.models import ActionItem, AgendaItem, OneOnOne, Pair, PrivateNote, Pulse
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

LOGINS = [
    "director@example.com",
    "manager@example.com",
    "engineer@example.com",
    "admin@example.com",
]


@pytest.fixture(autouse=True)
def rubric(db):
    # From migration calibration/0002; a database flushed by a browser test needs it again.
    if not Dimension.objects.exists():
        seed_rubric(Dimension, Anchor)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def everything() -> dict[str, list[tuple]]:
    """Every demo row, field by field: what seeding again must leave as it is."""
    return {
        "people": list(
            Person.objects.order_by("pk").values_list(
                "email", "name", "level", "level_since", "manager_id", "team_id", "password"
            )
        ),
        "teams": list(Team.objects.order_by("pk").values_list("name")),
        "plans": list(
            GrowthPlan.objects.order_by("pk").values_list(
                "engineer_id", "aspiration", "gap", "transition_id", "next_review_due", "version"
            )
        ),
        "experiments": list(
            Experiment.objects.order_by("pk").values_list(
                "plan_id", "hypothesis", "status", "learned", "due_date", "closed_on", "version"
            )
        ),
        "commitments": list(
            SupportCommitment.objects.order_by("pk").values_list(
                "plan_id", "description", "status", "due_date", "version"
            )
        ),
        "reviews": list(QuarterlyReview.objects.order_by("pk").values_list("plan_id", "quarter")),
        "history": list(PlanChange.objects.order_by("pk").values_list("plan_id", "summary")),
        "pairs": list(Pair.objects.order_by("pk").values_list("manager_id", "engineer_id")),
        "one_on_ones": list(
            OneOnOne.objects.order_by("pk").values_list("pair_id", "date", "shared_notes")
        ),
        "agenda": list(
            AgendaItem.objects.order_by("pk").values_list("one_on_one_id", "text", "discussed")
        ),
        "actions": list(
            ActionItem.objects.order_by("pk").values_list(
                "one_on_one_id", "text", "done_at", "times_carried"
            )
        ),
        "pulses": list(Pulse.objects.order_by("pk").values_list("one_on_one_id", "learning")),
        "private_notes": list(
            PrivateNote._base.order_by("pk").values_list("one_on_one_id", "author_id", "body")
        ),
        "work_items": list(
            WorkItem.objects.order_by("pk").values_list(
                "title", "kind", "date", "result", "created_by_id", "linked_experiment_id"
            )
        ),
        "contributions": list(
            Contribution.objects.order_by("pk").values_list(
                "work_item_id", "person_id", "role", "statement", "confirmed_at"
            )
        ),
        "cycles": list(
            CalibrationCycle.objects.order_by("pk").values_list(
                "name", "director_id", "period_start", "period_end", "state", "published_at"
            )
        ),
        "members": list(
            CycleMember.objects.order_by("pk").values_list(
                "cycle_id", "engineer_id", "manager_id", "locked_at"
            )
        ),
        "ratings": list(
            Rating.objects.order_by("pk").values_list(
                "member_id", "dimension_id", "draft_score", "final_score", "justification"
            )
        ),
        "evidence": list(
            Rating.evidence.through.objects.order_by("pk").values_list("rating_id", "workitem_id")
        ),
        "rating_changes": list(
            RatingChange.objects.order_by("pk").values_list(
                "rating_id", "stage", "old_score", "new_score", "reason"
            )
        ),
    }


def test_seed_demo_prints_what_it_made_and_the_demo_sign_ins():
    output = seed()

    people = Person.objects.count()
    assert f"Demo org ready: {people} people in 4 teams ({people} new)." in output
    assert "Demo growth plans: 5 new." in output
    assert "Demo 1:1 histories: 13 new." in output
    assert "Demo calibration cycles: 2 new." in output
    assert "Demo sign-ins" in output
    assert "  Email                   Role                  Password" in output
    assert "  engineer@example.com    engineer              trellis-demo" in output
    assert "  admin@example.com       admin (people ops)    trellis-demo" in output


def test_seed_demo_twice_changes_nothing():
    seed()
    before = everything()

    output = seed()

    assert everything() == before
    assert "(0 new)." in output
    assert "Demo growth plans: 0 new." in output
    assert "Demo 1:1 histories: 0 new." in output
    assert "Demo calibration cycles: 0 new." in output
    assert before["ratings"] and before["rating_changes"]
    assert "engineer@example.com" in output


def test_seed_demo_again_leaves_an_edited_demo_alone():
    # The demo promises it is never reset under whoever has been clicking around in it.
    seed()
    leo = Person.objects.get(email="engineer@example.com")
    Person.objects.filter(pk=leo.pk).update(
        name="Leo F.",
        level=Level.SENIOR,
        manager=Person.objects.get(email="tomasz.nowak@example.com"),
        team=Team.objects.get(name="Serving Infrastructure"),
    )
    GrowthPlan.objects.filter(engineer=leo).update(aspiration="Edited in the demo", version=7)
    Experiment.objects.filter(plan__engineer=leo, status="running").update(
        hypothesis="Edited hypothesis", status="abandoned"
    )
    SupportCommitment.objects.filter(plan__engineer=leo).update(status="done")
    Experiment.objects.filter(plan__engineer__email="sofia.marchetti@example.com").delete()
    OneOnOne.objects.filter(pair__engineer=leo).update(shared_notes="Edited notes")
    ActionItem.objects.filter(one_on_one__pair__engineer=leo).update(done_at=None)
    # Hannah's history deleted but for one 1:1: she has 1:1s, so she is not reseeded.
    hannahs = OneOnOne.objects.filter(pair__engineer__email="hannah.berg@example.com")
    OneOnOne.objects.filter(pk__in=list(hannahs.values_list("pk", flat=True)[1:])).delete()
    # The cycle being calibrated deleted, a work item and a published rating edited.
    CalibrationCycle.objects.filter(state=CalibrationCycle.State.CALIBRATING).delete()
    WorkItem.objects.filter(contributions__person=leo).update(title="Edited work item")
    Rating.objects.filter(member__engineer=leo).update(final_score=1, justification="Edited")
    before = everything()

    seed()

    assert everything() == before


def test_seed_demo_if_empty_adds_nothing_when_people_exist():
    make_person("someone@example.com", "Someone Already")

    output = seed("--if-empty")

    assert list(Person.objects.values_list("email", flat=True)) == ["someone@example.com"]
    assert Team.objects.count() == 0
    assert GrowthPlan.objects.count() == 0
    assert OneOnOne.objects.count() == 0
    assert WorkItem.objects.count() == CalibrationCycle.objects.count() == 0
    assert "People already exist: demo org not loaded." in output
    assert "Demo sign-ins" not in output


def test_seed_demo_if_empty_seeds_an_empty_database():
    output = seed("--if-empty")

    assert Person.objects.filter(email="director@example.com").exists()
    assert GrowthPlan.objects.count() == 5
    assert CalibrationCycle.objects.count() == 2
    assert "Demo sign-ins" in output


@pytest.mark.parametrize("email", LOGINS)
def test_seed_demo_printed_password_signs_in_demo_login(rf, email):
    output = seed()

    assert email in output
    assert "trellis-demo" in output
    request = rf.post("/accounts/login/")
    assert authenticate(request, username=email, password="trellis-demo") == Person.objects.get(
        email=email
    )
    assert authenticate(request, username=email, password="wrong-password") is None
