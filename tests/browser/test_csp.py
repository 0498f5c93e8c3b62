"""The Content-Security-Policy holds while a person works, in a real browser.

Every page is sent with the policy, and editing a plan inline (htmx swaps, the
coach answering as one types, the coach asking on load) and the admin's forms
trigger no violation: nothing inline, nothing evaluated.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import Person
from growth.models import GrowthPlan
from tests.browser.conftest import sign_in
from tests.conftest import make_person

pytestmark = pytest.mark.browser

PASSWORD = "csp-browser-Pa55!"
COACH_PATH = "/growth/coach/"
# Runs in every document before the page's own scripts (Playwright injects it
# outside the page's CSP) and hands each violation the browser reports to Python.
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def engineer(transactional_db) -> Person:
    person = make_person("eli@example.com", "Eli Engineer", level="junior")
    person.set_password(PASSWORD)
    person.save()
    GrowthPlan.objects.create(
        engineer=person,
        aspiration="To get to senior I need to take more ownership",
        gap="I change several things per run",
        next_review_due=date.today() + timedelta(days=80),
    )
    return person


@pytest.fixture
def admin(transactional_db) -> Person:
    person = make_person("ada@example.com", "Ada Admin", is_staff=True, is_superuser=True)
    person.set_password(PASSWORD)
    person.save()
    return person


@pytest.fixture
def violations(page) -> list[str]:
    """CSP violations and console errors in every document the page opens from now on."""
    found: list[str] = []

    def report(violation: str) -> None:
        found.append(violation)

    def on_console(message) -> None:
        # The admin's pages link no icon, so the browser asks for /favicon.ico (404).
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            found.append(f"console: {message.text}")

    page.expose_function("reportViolation", report)
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", on_console)
    return found


def settled(page) -> None:
    """Let the page finish what it started, and any report reach Python."""
    page.wait_for_load_state("networkidle")
    page.evaluate("0")


def is_coach_response(response) -> bool:
    return COACH_PATH in response.url


def test_every_page_is_sent_with_the_policy(page, engineer):
    response = page.goto("/accounts/login/")

    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]

    sign_in(page, engineer.email, PASSWORD)
    response = page.goto(f"/growth/plans/{engineer.pk}/")

    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_editing_a_plan_inline_raises_no_violation(page, violations, engineer):
    sign_in(page, engineer.email, PASSWORD)
    page.get_by_role("link", name="My plan").click()
    expect(page.get_by_role("heading", name="My growth plan")).to_be_visible()

    # Add an experiment; the coach answers while the hypothesis is typed.
    form = page.locator("form.new-item-form")
    with page.expect_response(is_coach_response):
        form.get_by_label("Hypothesis").fill("Be more strategic about seeds")
    expect(form.get_by_role("note", name="Wording coach")).to_contain_text("more strategic")
    form.get_by_label("What will be tried").fill("Three runs per setting")
    form.get_by_label("How success will be recognised").fill("Variance under 1%")
    form.get_by_label("Timebox / due date").fill((date.today() + timedelta(days=14)).isoformat())
    form.get_by_role("button", name="Add the experiment").click()
    row = page.locator("#experiments li.plan-item")
    expect(row).to_have_count(1)

    # Open the edit form, cancel; open it again, save.
    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("group", name="Edit the experiment")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("group", name="Edit the experiment")).to_have_count(0)
    row.get_by_role("link", name="Edit").click()
    editing = page.locator("li.plan-item-editing")
    editing.get_by_label("Hypothesis").fill("Seeds explain most of the variance")
    page.get_by_role("button", name="Save the experiment").click()
    expect(row).to_contain_text("Seeds explain most of the variance")

    # The plan's own form asks the coach on load, for the field that has text.
    with page.expect_response(is_coach_response):
        page.goto(f"/growth/plans/{engineer.pk}/edit/")
    expect(page.locator("#coach-id_aspiration")).to_contain_text("To get to senior")
    settled(page)

    assert violations == []


def test_the_admin_forms_raise_no_violation(page, violations, admin):
    sign_in(page, admin.email, PASSWORD)

    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto(f"/admin/accounts/person/{admin.pk}/change/")
    expect(page.get_by_role("heading", name="Change person")).to_be_visible()
    # The date shortcuts and the manager autocomplete are built by the admin's scripts.
    page.get_by_role("link", name="Today").first.click()
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results")).to_be_visible()
    settled(page)

    assert violations == []
