"""One calibration cycle from drafting to published, in a real browser, as two managers,
their director and one engineer.

The director opens a cycle. Each manager drafts their report's ratings with evidence,
outcome-blind (no work item shows its result while they draft), and locks: only then
are results shown. The director moves the cycle to calibrating, opens the session,
changes one final rating with a reason, and publishes. The engineer reads their own
final ratings: the session's score, never the draft, and nobody else's.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import expect

from accounts.models import Level
from calibration import services
from calibration.models import Anchor, Contribution, Dimension, Rating, WorkItem
from calibration.rubric_defaults import seed_rubric
from calibration.services import ContributorInput
from tests.browser.conftest import sign_in
from tests.conftest import make_person

pytestmark = pytest.mark.browser

PASSWORD = "calibration-cycle-Pa55!"
CYCLE = "H1 browser cycle"
# Two of the six default dimensions keep the walk short; juniors are rated on both.
DIMENSIONS = ["experiment-design", "evidence-and-statistics"]
RESULTS = ("Positive", "Negative", "Inconclusive")
SESSION_REASON = "Beside Sam's drafts, Eli's design is a 3: baselines chosen after the runs."


@pytest.fixture
def org(transactional_db):
    # A transactional flush empties the rubric rows the migration seeded.
    seed_rubric(Dimension, Anchor)
    Dimension.objects.exclude(key__in=DIMENSIONS).delete()
    password = make_password(PASSWORD)  # Argon2 is slow: hash once
    director = make_person("dana@example.com", "Dana Director", level=Level.STAFF)
    mara = make_person("mara@example.com", "Mara Manager", manager=director, level=Level.SENIOR)
    omar = make_person("omar@example.com", "Omar Manager", manager=director, level=Level.SENIOR)
    eli = make_person("eli@example.com", "Eli Engineer", manager=mara, level=Level.JUNIOR)
    sam = make_person("sam@example.com", "Sam Speech", manager=omar, level=Level.JUNIOR)
    for person in (director, mara, omar, eli, sam):
        person.password = password
        person.save(update_fields=["password"])
    # The evidence, dated inside the default period the cycle form offers (the last
    # half-year): each engineer has a negative or inconclusive result beside a positive.
    today = date.today()
    for manager, engineer, work in (
        (
            mara,
            eli,
            [
                ("Seed-variance study of the reranker", WorkItem.Result.NEGATIVE),
                ("Held-out split for the retrieval eval", WorkItem.Result.POSITIVE),
            ],
        ),
        (
            omar,
            sam,
            [
                ("Voice activity threshold ablation", WorkItem.Result.INCONCLUSIVE),
                ("Streaming decoder latency harness", WorkItem.Result.POSITIVE),
            ],
        ),
    ):
        for days_ago, (title, result) in zip((60, 30), work, strict=True):
            services.add_work_item(
                actor=manager,
                kind=WorkItem.Kind.EXPERIMENT,
                title=title,
                day=today - timedelta(days=days_ago),
                result=result,
                contributors=[ContributorInput(engineer, Contribution.Role.DESIGNED)],
            )
    return {"director": director, "mara": mara, "omar": omar, "eli": eli, "sam": sam}


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def open_cycle_page(page) -> None:
    page.goto("/calibration/cycles/")
    page.get_by_role("link", name=CYCLE).click()
    expect(page.get_by_role("heading", name=CYCLE, level=1)).to_be_visible()


def expect_no_results(page) -> None:
    for result in RESULTS:
        expect(page.locator("#main").get_by_text(result, exact=True)).to_have_count(0)


def draft_and_lock(page, engineer: str, scores: dict[str, int], evidence: str) -> None:
    """Rate every dimension of `engineer` citing `evidence`, seeing no result, then lock."""
    # The evidence pages give no result away while the manager has a draft to lock.
    page.get_by_role("link", name="Calibration", exact=True).click()
    expect(page.get_by_role("heading", name="Calibration cycles", level=1)).to_be_visible()
    calibration_nav = page.get_by_role("navigation", name="Calibration")
    calibration_nav.get_by_role("link", name="Work items").click()
    expect(page.get_by_role("heading", name="Work items", level=1)).to_be_visible()
    expect_no_results(page)
    page.get_by_role("link", name=evidence).click()
    expect(page.get_by_role("heading", name=evidence)).to_be_visible()
    expect(page.get_by_text("Result hidden")).to_be_visible()
    expect_no_results(page)

    open_cycle_page(page)
    page.get_by_role("link", name=f"Draft for {engineer}").click()
    expect(page.get_by_role("heading", name=f"{engineer}: draft ratings")).to_be_visible()
    expect(page.get_by_text("Outcome-blind drafting")).to_be_visible()
    expect_no_results(page)
    for dimension in Dimension.objects.all():
        section = page.locator(f"#dimension-{dimension.pk}")
        section.get_by_role("radio", name=re.compile(rf"^{scores[dimension.key]}\b")).check()
        section.get_by_label("Justification").fill(
            f"Wrote the hypothesis before the runs; {dimension.name.lower()} documented."
        )
        section.get_by_label(f"Cite {evidence}").check()
        section.get_by_role("button", name=f"Save {dimension.name.lower()}").click()
        expect(page.locator(f"#dimension-{dimension.pk}")).to_contain_text(
            f"{dimension.name} is saved."
        )
        expect_no_results(page)
    short = engineer.split()[0]
    page.get_by_role("button", name=f"Lock my draft for {short}").click()
    expect(page.get_by_text(f"Your draft for {short} is locked")).to_be_visible()
    # Locked: the results are shown now.
    expect(
        page.locator("#main").get_by_text(re.compile(rf"^({'|'.join(RESULTS)})$")).first
    ).to_be_visible()


def test_one_cycle_from_drafting_to_published(page, org):
    # The director opens a cycle over her part of the org.
    sign_in(page, org["director"].email, PASSWORD)
    page.goto("/calibration/cycles/")
    page.get_by_role("link", name="Open a cycle").click()
    page.get_by_label(re.compile(r"^Name")).fill(CYCLE)
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.get_by_text(f"“{CYCLE}” is open")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Drafting")
    sign_out(page)

    # Each manager drafts their report, outcome-blind, and locks.
    sign_in(page, org["mara"].email, PASSWORD)
    draft_and_lock(
        page,
        "Eli Engineer",
        {"experiment-design": 4, "evidence-and-statistics": 3},
        "Seed-variance study of the reranker",
    )
    sign_out(page)
    sign_in(page, org["omar"].email, PASSWORD)
    draft_and_lock(
        page,
        "Sam Speech",
        {"experiment-design": 2, "evidence-and-statistics": 3},
        "Voice activity threshold ablation",
    )
    sign_out(page)

    # The director moves to calibrating and holds the session.
    sign_in(page, org["director"].email, PASSWORD)
    open_cycle_page(page)
    page.get_by_role("button", name="Move to calibrating").click()
    expect(page.locator(".facts")).to_contain_text("Calibrating")
    page.get_by_role("link", name="The calibration session").click()
    expect(page.get_by_role("heading", name=f"The calibration session: {CYCLE}")).to_be_visible()
    expect(page.locator("#grid")).to_contain_text("Eli Engineer")
    expect(page.locator("#grid")).to_contain_text("Sam Speech")

    design = Rating.objects.get(member__engineer=org["eli"], dimension__key="experiment-design")
    page.locator(f"#cell-{design.pk} a").click()
    panel = page.locator("#rating-panel")
    expect(panel.get_by_role("heading", name="Eli Engineer · Experiment design")).to_be_visible()
    panel.get_by_label("Final score").select_option("3")
    panel.get_by_label("Why it changes").fill(SESSION_REASON)
    panel.get_by_role("button", name="Change the final rating").click()
    expect(panel.get_by_role("status")).to_contain_text("final 4 → 3")
    expect(page.locator(f"#cell-{design.pk}")).to_contain_text("draft 4")

    page.get_by_role("link", name=f"← {CYCLE}").click()
    page.get_by_role("button", name="Publish the ratings").click()
    expect(page.locator(".facts")).to_contain_text("Published")
    sign_out(page)

    design.refresh_from_db()
    assert (design.draft_score, design.final_score) == (4, 3)
    assert design.changes.get().reason == SESSION_REASON

    # The engineer reads their own final ratings: the session's 3, not the draft's 4.
    sign_in(page, org["eli"].email, PASSWORD)
    page.goto("/calibration/cycles/")
    page.get_by_role("link", name=CYCLE).click()
    expect(page.get_by_role("heading", name=f"Your results: {CYCLE}")).to_be_visible()
    expect(page.get_by_role("heading", name="Experiment design: 3 of 4")).to_be_visible()
    expect(page.get_by_role("heading", name="Evidence and statistics: 3 of 4")).to_be_visible()
    main = page.locator("#main")
    expect(main).not_to_contain_text("4 of 4")
    expect(main).not_to_contain_text("Draft")
    # Nobody else's: not Sam's ratings, nor his evidence.
    expect(main).not_to_contain_text("Sam Speech")
    expect(main).not_to_contain_text("Voice activity threshold ablation")
