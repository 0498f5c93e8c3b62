"""A director drills from the retention dashboard to one engineer's evidence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Level, Team
from retention import services
from retention.models import ProblemType
from tests.browser.conftest import sign_in
from tests.conftest import make_person

pytestmark = pytest.mark.browser

PASSWORD = "signals-dashboard-Pa55!"


@pytest.fixture
def org(transactional_db):
    team = Team.objects.create(name="RAG")
    director = make_person("dana@example.com", "Dana Director", level=Level.STAFF)
    director.password = make_password(PASSWORD)
    director.save(update_fields=["password"])
    mara = make_person("mara@example.com", "Mara Manager", manager=director, team=team)
    sofia = make_person("sofia@example.com", "Sofia Marchetti", manager=mara, team=team)
    rag, _ = ProblemType.objects.get_or_create(name="RAG", defaults={"order": 1})
    services.record_assignment(
        engineer=sofia,
        actor=mara,
        problem_type=rag,
        project="Support search",
        started_on=timezone.localdate() - timedelta(days=800),
    )
    return {"director": director, "sofia": sofia}


def test_director_drills_from_dashboard_to_evidence(page, org):
    sign_in(page, "dana@example.com", PASSWORD)
    page.goto("/retention/signals/")
    expect(page.get_by_role("heading", name="Retention signals", level=1)).to_be_visible()

    page.get_by_role("link", name="RAG", exact=True).click()
    expect(page.get_by_role("heading", name="Engineers in RAG")).to_be_visible()
    page.get_by_role("link", name="Sofia Marchetti").click()

    expect(page.get_by_role("heading", name="Signals: Sofia Marchetti", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Not learning")).to_be_visible()
    page.get_by_role("link", name="On RAG for 2 years").click()
    expect(page).to_have_url(f"/retention/people/{org['sofia'].pk}/assignments/")
