"""The engineer runs their experiments list inline: add, edit, cancel, reorder, close.

All without a page reload (htmx swaps the list), checked by a marker set on the
window that a reload would wipe.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import Person
from growth.models import Experiment, GrowthPlan
from tests.browser.conftest import sign_in
from tests.conftest import make_person

pytestmark = pytest.mark.browser

PASSWORD = "plans-inline-Pa55!"


@pytest.fixture
def engineer(transactional_db) -> Person:
    person = make_person("eli@example.com", "Eli Engineer", level="junior")
    person.set_password(PASSWORD)
    person.save()
    GrowthPlan.objects.create(
        engineer=person,
        aspiration="Design an ablation that isolates one variable",
        gap="I change several things per run",
        next_review_due=date.today() + timedelta(days=80),
    )
    return person


def experiments(page):
    return page.locator("#experiments li.plan-item")


def test_experiments_are_added_edited_reordered_and_closed_inline(page, engineer):
    sign_in(page, engineer.email, PASSWORD)
    page.get_by_role("link", name="My plan").click()
    expect(page.get_by_role("heading", name="My growth plan")).to_be_visible()
    page.evaluate("window.noReload = true")

    due = (date.today() + timedelta(days=14)).isoformat()
    for hypothesis in ("Seeds explain the variance", "Baseline first saves a week"):
        form = page.locator("form.new-item-form")
        form.get_by_label("Hypothesis").fill(hypothesis)
        form.get_by_label("What will be tried").fill("Three runs per setting")
        form.get_by_label("How success will be recognised").fill("Variance under 1%")
        form.get_by_label("Timebox / due date").fill(due)
        form.get_by_role("button", name="Add the experiment").click()
        expect(experiments(page).filter(has_text=hypothesis)).to_have_count(1)
    expect(experiments(page)).to_have_count(2)

    # Edit in place, then cancel: the row comes back unchanged.
    first = experiments(page).first
    first.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("group", name="Edit the experiment")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("group", name="Edit the experiment")).to_have_count(0)

    # Edit and save.
    experiments(page).first.get_by_role("link", name="Edit").click()
    page.locator("li.plan-item-editing").get_by_label("Hypothesis").fill("Seeds explain most of it")
    page.get_by_role("button", name="Save the experiment").click()
    expect(experiments(page).first).to_contain_text("Seeds explain most of it")

    # Reorder.
    experiments(page).nth(1).get_by_role("button", name="Move up").click()
    expect(experiments(page).first).to_contain_text("Baseline first saves a week")

    # Close, with what was learned.
    row = experiments(page).first
    row.get_by_text("Close this experiment").click()
    row.get_by_label("Done", exact=True).check()
    row.get_by_label("What was learned?").fill("The baseline was off by 3%")
    row.get_by_role("button", name="Close the experiment").click()
    expect(experiments(page).first).to_contain_text("The baseline was off by 3%")
    expect(experiments(page).first.locator(".badge")).to_have_text("Done")

    assert page.evaluate("window.noReload") is True
    assert list(Experiment.objects.values_list("hypothesis", "status")) == [
        ("Baseline first saves a week", "done"),
        ("Seeds explain most of it", "planned"),
    ]
