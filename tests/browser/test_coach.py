"""The wording coach on a page with two coached textareas, in a real browser.

Advice about one field shows under that field only, and an empty field does not
ask the coach anything when the page loads.
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

PASSWORD = "coach-browser-Pa55!"
COACH_PATH = "/growth/coach/"
ASPIRATION = "What do you want to be able to do in 12 months"
GAP = "What is the gap between now and that?"


@pytest.fixture
def engineer(transactional_db) -> Person:
    person = make_person("eli@example.com", "Eli Engineer", level="junior")
    person.set_password(PASSWORD)
    person.save()
    return person


def coach_requests(page) -> list:
    """Every request the page makes to the coach, from now on."""
    requests: list = []

    def record(request) -> None:
        if COACH_PATH in request.url:
            requests.append(request)

    page.on("request", record)
    return requests


def is_coach_response(response) -> bool:
    return COACH_PATH in response.url


def test_advice_shows_under_the_field_it_is_about(page, engineer):
    sign_in(page, engineer.email, PASSWORD)
    requests = coach_requests(page)

    # A new plan: both coached fields are empty, so loading the page asks nothing.
    page.goto(f"/growth/plans/{engineer.pk}/edit/")
    expect(page.get_by_role("heading", name="Start your growth plan")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert requests == []

    with page.expect_response(is_coach_response):
        page.get_by_label(ASPIRATION).fill("I want to be more strategic and have more impact")
    aspiration_advice = page.locator("#coach-id_aspiration")
    expect(aspiration_advice.get_by_role("note", name="Wording coach")).to_contain_text(
        "more strategic"
    )

    with page.expect_response(is_coach_response):
        page.get_by_label(GAP).fill("I change several variables per run and report one seed")
    expect(page.locator("#coach-id_gap")).to_be_empty()
    expect(aspiration_advice).to_contain_text("more impact")
    expect(page.get_by_role("note", name="Wording coach")).to_have_count(1)

    # Each field posted only itself: that is what keeps the advice where it belongs.
    assert len(requests) == 2
    assert [r.headers.get("hx-trigger-name") for r in requests] == ["aspiration", "gap"]
    assert "aspiration=" in requests[0].post_data and "gap=" not in requests[0].post_data
    assert "gap=" in requests[1].post_data and "aspiration=" not in requests[1].post_data


def test_page_load_asks_once_for_a_field_with_text_and_never_for_an_empty_one(page, engineer):
    GrowthPlan.objects.create(
        engineer=engineer,
        aspiration="To get to senior I need to take more ownership",
        gap="",
        next_review_due=date.today() + timedelta(days=80),
    )
    sign_in(page, engineer.email, PASSWORD)
    requests = coach_requests(page)

    page.goto(f"/growth/plans/{engineer.pk}/edit/")

    expect(page.locator("#coach-id_aspiration")).to_contain_text("To get to senior")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#coach-id_gap")).to_be_empty()
    assert [r.headers.get("hx-trigger-name") for r in requests] == ["aspiration"]
