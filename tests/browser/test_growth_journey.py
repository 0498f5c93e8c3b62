"""The growth loop as two people live it, in a real browser.

The engineer writes a plan with two experiments and is coached on "more
impact"; the manager comments and commits support; a quarterly review is
submitted; the plan moves on, and the past quarter is compared with it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import Level
from growth.ladder_defaults import seed_ladder
from growth.models import (
    Competency,
    GrowthPlan,
    LevelPolicy,
    PlanComment,
    QuarterlyReview,
    SupportCommitment,
    Transition,
)
from tests.browser.conftest import sign_in
from tests.conftest import make_person

pytestmark = pytest.mark.browser

PASSWORD = "growth-journey-Pa55!"


@pytest.fixture
def pair(transactional_db):
    # A transactional flush empties the ladder rows the migration seeded.
    seed_ladder(LevelPolicy, Transition, Competency)
    manager = make_person("mara@example.com", "Mara Manager", level=Level.SENIOR)
    engineer = make_person("eli@example.com", "Eli Engineer", manager=manager, level=Level.JUNIOR)
    for person in (manager, engineer):
        person.set_password(PASSWORD)
        person.save()
    return engineer, manager


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_plan_coach_commitment_review_and_compare(page, pair):
    engineer, manager = pair
    due = (date.today() + timedelta(days=30)).isoformat()

    # The engineer starts a plan; the coach points at "more impact" as it is typed.
    sign_in(page, engineer.email, PASSWORD)
    page.get_by_role("link", name="My plan").click()
    expect(page.get_by_role("heading", name="Start your growth plan")).to_be_visible()
    aspiration = page.get_by_label("What do you want to be able to do in 12 months")
    aspiration.fill("I want to have more impact on the team")
    expect(page.get_by_role("note", name="Wording coach")).to_contain_text("more impact")
    # The coach never blocks saving: keep the wording and save anyway.
    page.get_by_label("What is the gap between now and that?").fill(
        "I change several variables per run"
    )
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", name="My growth plan")).to_be_visible()
    expect(page.get_by_text("I want to have more impact on the team")).to_be_visible()

    for hypothesis in ("Fixed seeds halve the variance", "A baseline first saves a week"):
        form = page.locator("form.new-item-form")
        form.get_by_label("Hypothesis").fill(hypothesis)
        form.get_by_label("What will be tried").fill("Three seeds per setting")
        form.get_by_label("How success will be recognised").fill("Std dev under 0.5 points")
        form.get_by_label("Timebox / due date").fill(due)
        form.get_by_role("button", name="Add the experiment").click()
        expect(page.get_by_role("heading", name=hypothesis)).to_be_visible()
    sign_out(page)

    # The manager comments and commits to the right project.
    sign_in(page, manager.email, PASSWORD)
    page.goto(f"/growth/plans/{engineer.pk}/")
    expect(page.get_by_role("heading", name="Eli Engineer's growth plan")).to_be_visible()
    page.get_by_role("textbox", name="Comment").fill(
        "Let's run the seed study on the ranking model."
    )
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#comments")).to_contain_text("seed study on the ranking model")

    commitment = page.locator("#commitments form.new-item-form")
    commitment.get_by_label("Kind of support").select_option(label="The right project")
    commitment.get_by_label("Description").fill("Put Eli on the ranking ablations in Q1")
    commitment.get_by_label("Due date").fill(due)
    commitment.get_by_role("button", name="Add the commitment").click()
    expect(page.locator("#commitments")).to_contain_text("Put Eli on the ranking ablations")

    # The quarterly review: the manager's view is that one experiment looks
    # completed; only Eli closes it.
    page.get_by_role("link", name="Start quarterly review").click()
    first = page.get_by_role("group", name="Fixed seeds halve the variance")
    first.get_by_label("Looks completed", exact=True).check()
    first.get_by_label("Note on this experiment").fill("Variance halved with 3 seeds")
    page.get_by_label("What changed this quarter").fill("Eli now fixes seeds before comparing.")
    page.get_by_label("Next quarter's experiments").fill("Ablate one feature group at a time.")
    page.get_by_label("Manager's note").fill("Clear progress on isolating variables.")
    page.get_by_role("button", name="Submit the").click()
    expect(page.get_by_role("status")).to_contain_text("review submitted")
    expect(page.locator("main")).to_contain_text("Looks completed: Variance halved with 3 seeds")
    sign_out(page)

    # The plan moves on; the past quarter stays readable and the changes are marked.
    sign_in(page, engineer.email, PASSWORD)
    page.get_by_role("link", name="My plan").click()
    page.get_by_role("link", name="Edit the plan").click()
    page.get_by_label("What do you want to be able to do in 12 months").fill(
        "I want to design ablations that isolate one variable"
    )
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("heading", name="My growth plan")).to_be_visible()

    expect(page.get_by_role("heading", name="Past quarters")).to_be_visible()
    page.get_by_role("button", name="Compare").click()
    compare = page.locator("main")
    expect(compare.locator("del").filter(has_text="impact")).to_have_count(1)
    expect(compare.locator("ins").filter(has_text="ablations")).to_have_count(1)

    page.go_back()
    page.get_by_role("list", name="Past quarters").get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("I want to have more impact on the team")
    expect(page.locator("main")).to_contain_text("Clear progress on isolating variables.")

    plan = GrowthPlan.objects.get(engineer=engineer)
    assert not plan.experiments.filter(status="done").exists()
    assert PlanComment.objects.filter(plan=plan, author=manager).count() == 1
    assert SupportCommitment.objects.filter(plan=plan, manager=manager).count() == 1
    review = QuarterlyReview.objects.get(plan=plan)
    assert review.made_progress is True
    assert review.snapshot["aspiration"] == "I want to have more impact on the team"
