"""A 1:1 as the pair lives it, in a real browser.

The manager logs a 1:1: two agenda items, a private note, shared notes that save
as they are typed, an action item for the engineer. The engineer reads the shared
parts and never the private note; the open action item moves into the next 1:1.
Leaving the page with text not yet saved warns; leaving once it is saved does not.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import Level
from tests.browser.conftest import sign_in
from tests.conftest import make_person

pytestmark = pytest.mark.browser

PASSWORD = "one-on-ones-Pa55!"
PRIVATE = "Eli seemed tired of RAG work, quietly ask about a rotation to serving."
SHARED = "Agreed to try one ablation per week on the retrieval evaluation."
ACTION = "Draft the ablation plan for the eval set"
# Runs in every document before the page's scripts and hands each CSP violation to Python.
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def pair(transactional_db):
    manager = make_person("mara@example.com", "Mara Manager", level=Level.SENIOR)
    engineer = make_person("eli@example.com", "Eli Engineer", manager=manager, level=Level.JUNIOR)
    for person in (manager, engineer):
        person.set_password(PASSWORD)
        person.save()
    return engineer, manager


@pytest.fixture
def violations(page) -> list[str]:
    found: list[str] = []

    def report(violation: str) -> None:
        found.append(violation)

    def on_console(message) -> None:
        if message.type == "error":
            found.append(f"console: {message.text}")

    page.expose_function("reportViolation", report)
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", on_console)
    return found


def log_one_on_one(page) -> None:
    """Log a 1:1 from the pair page and wait until its page is loaded and htmx has
    taken over its forms: text typed before that sends no autosave."""
    page.get_by_role("button", name="Log the 1:1").click()
    page.wait_for_url(re.compile(r"/1on1/\d+/$"))
    page.wait_for_load_state("load")


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def open_reports_page(page, engineer_name: str) -> None:
    page.get_by_role("link", name="1:1s", exact=True).click()
    page.get_by_role("link", name=engineer_name, exact=True).click()
    expect(page.get_by_role("heading", name=f"1:1s with {engineer_name}")).to_be_visible()


def test_manager_logs_a_one_on_one_and_the_engineer_sees_the_shared_parts(page, pair, violations):
    engineer, manager = pair
    today = date.today()

    # The manager logs today's 1:1 from the engineer's page.
    sign_in(page, manager.email, PASSWORD)
    open_reports_page(page, "Eli Engineer")
    log_one_on_one(page)
    expect(page.get_by_role("heading", name="1:1 of Eli Engineer and Mara Manager")).to_be_visible()

    for topic in ("Rotation to serving infrastructure", "Feedback on the design doc"):
        page.get_by_label("Add to the agenda").fill(topic)
        page.get_by_role("button", name="Add to the agenda").click()
        expect(page.locator("#agenda li").filter(has_text=topic)).to_have_count(1)
    expect(page.locator("#agenda li")).to_have_count(2)
    # The first was talked about: ticked, it stays with this 1:1.
    page.get_by_role("checkbox", name="Discussed (Rotation to serving infrastructure)").check()
    expect(page.locator("#agenda li.is-done")).to_have_count(1)

    page.get_by_label("Private — only you can see this").fill(PRIVATE)
    expect(page.locator("#private-notes-status")).to_contain_text("Saved")

    page.get_by_label("Edit the shared notes").fill(SHARED)
    expect(page.locator("#shared-notes-status")).to_contain_text("Saved")
    expect(page.locator("#shared-notes-preview")).to_contain_text(SHARED)
    # Typing on saves again, from the version the first save returned.
    page.get_by_label("Edit the shared notes").press_sequentially(" Then **review**.")
    expect(page.locator("#shared-notes-preview strong")).to_have_text("review")

    actions = page.get_by_role("group", name="Add an action item")
    actions.get_by_label("Action item").fill(ACTION)
    actions.get_by_label("Owner").select_option(label="Eli Engineer")
    actions.get_by_label("Due (optional)").fill((today + timedelta(days=7)).isoformat())
    actions.get_by_role("button", name="Add the action item").click()
    expect(page.locator("#actions li").filter(has_text=ACTION)).to_contain_text("Eli Engineer")

    # What autosaved is there after a reload.
    page.reload()
    expect(page.locator("#shared-notes-preview")).to_contain_text(SHARED)
    expect(page.get_by_label("Private — only you can see this")).to_have_value(PRIVATE)
    sign_out(page)

    # The engineer reads the shared notes and the action item; the private note is nowhere.
    sign_in(page, engineer.email, PASSWORD)
    page.get_by_role("link", name="1:1s", exact=True).click()
    assert PRIVATE not in page.content()
    page.get_by_role("link", name=today.strftime("%-d %b %Y")).click()
    expect(page.locator("#shared-notes-preview")).to_contain_text(SHARED)
    expect(page.locator("#actions")).to_contain_text(ACTION)
    expect(page.locator("#agenda li")).to_have_count(2)
    expect(page.get_by_label("Private — only you can see this")).to_have_value("")
    # Ticking is for the owner: the engineer's own action item has its box.
    expect(page.get_by_role("checkbox", name=f"Done ({ACTION})")).to_be_visible()
    assert PRIVATE not in page.content()
    page.get_by_role("link", name="All 1:1s").click()
    assert PRIVATE not in page.content()
    sign_out(page)

    # The manager logs the next 1:1: the open action item has moved into it.
    sign_in(page, manager.email, PASSWORD)
    open_reports_page(page, "Eli Engineer")
    page.get_by_label("Date of the 1:1").fill((today + timedelta(days=14)).isoformat())
    log_one_on_one(page)
    expect(page.get_by_role("heading", name="1:1 of Eli Engineer and Mara Manager")).to_be_visible()
    expect(page.locator("#actions li").filter(has_text=ACTION)).to_contain_text("Carried over")
    # The agenda item not discussed came along too.
    expect(page.locator("#agenda li")).to_have_count(1)
    expect(page.locator("#agenda li")).to_contain_text("Feedback on the design doc")

    page.evaluate("0")
    assert violations == []


def test_leaving_with_unsaved_text_warns(page, pair):
    engineer, manager = pair
    sign_in(page, manager.email, PASSWORD)
    open_reports_page(page, "Eli Engineer")
    log_one_on_one(page)
    detail = page.url

    # Saved: leaving is quiet.
    page.get_by_label("Edit the shared notes").fill("Saved before leaving")
    expect(page.locator("#shared-notes-status")).to_contain_text("Saved")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.get_by_role("link", name="All 1:1s").click()
    expect(page.get_by_role("heading", name="1:1s with Eli Engineer")).to_be_visible()
    assert dialogs == []

    # Not saved (the save never arrives): leaving asks first.
    page.goto(detail)
    page.route("**/private-note/", lambda route: route.abort())
    page.get_by_label("Private — only you can see this").fill("Not saved yet")
    page.wait_for_timeout(1500)  # past the autosave's debounce: its request failed
    page.get_by_role("link", name="All 1:1s").click()
    expect(page.get_by_role("heading", name="1:1s with Eli Engineer")).to_be_visible()
    assert dialogs == ["beforeunload"]
