"""The deployment gate in a real browser: an engineer's production run is refused until
their manager approves its deployment plan, then it trains. Also: the API's docs page
runs under the strict CSP, and the retention pages fit a 390px-wide phone.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import expect

from accounts.models import Level, Team
from retention import services
from retention.models import ProblemType, Purpose, RegisteredModel, Status
from tests.browser.conftest import sign_in
from tests.conftest import make_person

pytestmark = pytest.mark.browser

PASSWORD = "deployment-gate-Pa55!"
MODEL = "Support answer generator"


@pytest.fixture
def org(transactional_db):
    password = make_password(PASSWORD)  # Argon2 is slow: hash once
    team = Team.objects.create(name="RAG")
    director = make_person("dana@example.com", "Dana Director", level=Level.STAFF)
    mara = make_person("mara@example.com", "Mara Manager", manager=director, team=team)
    eli = make_person("eli@example.com", "Eli Engineer", manager=mara, team=team)
    for person in (director, mara, eli):
        person.password = password
        person.save(update_fields=["password"])
    rag, _ = ProblemType.objects.get_or_create(name="RAG", defaults={"order": 1})
    model = services.register_model(
        actor=mara,
        name=MODEL,
        project="Support assistant",
        problem_type=rag,
        purpose=Purpose.PRODUCTION,
        owners=[eli],
    )
    return {"director": director, "mara": mara, "eli": eli, "model": model}


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def open_model(page) -> None:
    page.get_by_role("link", name="Models", exact=True).click()
    expect(page.get_by_role("heading", name="Models", level=1)).to_be_visible()
    page.get_by_role("link", name=MODEL).click()
    expect(page.get_by_role("heading", name=MODEL, level=1)).to_be_visible()


def test_the_gate_refuses_until_the_manager_approves_the_plan(page, org):
    sign_in(page, org["eli"].email, PASSWORD)
    open_model(page)
    expect(page.locator("#lifecycle")).to_contain_text("Closed: this production run may not")

    # No plan: the gate says exactly what is missing.
    page.get_by_role("button", name="Start training").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text(f"The deployment gate refused: {MODEL} cannot start training")
    expect(refusal).to_contain_text("No deployment plan")

    # Eli writes the plan; the gate still waits for the approval.
    page.get_by_role("link", name="Write the deployment plan").click()
    page.get_by_label("Target system").fill("Support chat backend")
    page.get_by_label(re.compile(r"^Owner:?$")).select_option(label="Eli Engineer")
    page.get_by_label("Success metric").fill("Deflects 10% more tickets at equal CSAT")
    page.get_by_label("Target date").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_label("Rollback").fill("Flag back to the current answerer.")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("The deployment plan is saved.")).to_be_visible()
    page.get_by_role("button", name="Start training").click()
    expect(page.get_by_role("alert")).to_contain_text("The deployment plan is not approved")
    assert RegisteredModel.objects.get().status == Status.PLANNED
    sign_out(page)

    # Mara, Eli's manager, approves it in place.
    sign_in(page, org["mara"].email, PASSWORD)
    open_model(page)
    page.get_by_role("button", name="Approve the deployment plan").click()
    expect(page.locator("#plan")).to_contain_text("Approved by Mara Manager")
    sign_out(page)

    # Now the run trains.
    sign_in(page, org["eli"].email, PASSWORD)
    open_model(page)
    expect(page.locator("#lifecycle")).to_contain_text("Open: the deployment plan is approved")
    page.get_by_role("button", name="Start training").click()
    expect(page.get_by_role("heading", name="Status: training")).to_be_visible()
    assert RegisteredModel.objects.get().status == Status.TRAINING


def test_the_api_docs_run_under_the_strict_csp(page, org):
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )

    page.goto("/api/docs")

    expect(page.get_by_text("Trellis pipeline API")).to_be_visible()
    expect(page.get_by_text("/api/models/{model_id}/gate")).to_be_visible()
    assert violations == []


def test_the_retention_pages_fit_a_phone(browser, live_server, org):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    page = context.new_page()
    sign_in(page, org["mara"].email, PASSWORD)
    for path in (
        "/retention/models/",
        f"/retention/models/{org['model'].pk}/",
        "/retention/graveyard/",
        f"/retention/people/{org['eli'].pk}/assignments/",
        "/retention/tokens/",
    ):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide"
        assert re.search(r"\S", page.locator("h1").inner_text())
    context.close()
