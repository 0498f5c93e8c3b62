"""Every main page fits a 390px-wide phone (managers log 1:1s anywhere), for each demo
role, on the demo organisation: the data people see first, with its longest names.

A wide table scrolls inside its own `.table-wrap`; the page itself never scrolls
sideways. (A visually hidden caption once widened the director's home by 26px: it is
absolutely positioned, and escaped its table's scrolling box.)
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from calibration.models import CalibrationCycle
from tests.browser.conftest import sign_in
from tests.conftest import restore_data_migrations

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "trellis-demo"
EVERYONE = [
    "/",
    "/people/",
    "/growth/my-plan/",
    "/growth/ladder/",
    "/1on1/",
    "/calibration/cycles/",
    "/calibration/work-items/",
    "/retention/models/",
    "/retention/graveyard/",
    "/retention/signals/",
    "/retention/tokens/",
    "/notifications/",
    "/notifications/preferences/",
    "/notifications/jobs/",
]


@pytest.fixture
def demo(transactional_db):
    restore_data_migrations()  # an earlier transactional test may have flushed them
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("role", ["director", "manager", "engineer", "admin"])
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, demo, role):
    paths = list(EVERYONE)
    if role == "director":
        cycle = CalibrationCycle.objects.get(state=CalibrationCycle.State.CALIBRATING)
        paths.append(f"/calibration/cycles/{cycle.pk}/session/")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    page = context.new_page()
    sign_in(page, f"{role}@example.com", DEMO_PASSWORD)

    too_wide = {}
    for path in paths:
        response = page.goto(path)
        if response is None or response.status != 200:
            continue  # not this role's page: the permission matrix says what it answers
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[path] = width
    context.close()

    assert too_wide == {}
