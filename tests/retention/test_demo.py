"""The demo's retention stories (retention/demo.py), through seed_demo."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from accounts.models import Person
from retention.models import ApiToken, AuditRun, GraveyardFinding, RegisteredModel
from retention.panels import problem_type_streaks


def test_the_demo_tells_its_retention_stories_and_seeds_once(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())

    sofia = Person.objects.get(email="sofia.marchetti@example.com")
    streak = problem_type_streaks([sofia])[sofia.pk]
    blocked = RegisteredModel.objects.get(name="Support answer generator")
    latest = AuditRun.objects.first()
    assert latest is not None
    graveyard_teams = set(
        GraveyardFinding.objects.filter(run=latest).values_list("model__team__name", flat=True)
    )
    assert "Demo model registry: 9 new models" in out.getvalue()
    assert RegisteredModel.objects.count() == 9  # the second run added nothing
    assert (streak.problem_type.name, streak.days > 730) == ("RAG", True)
    assert blocked.gate(blocked.plan).reasons == [
        "The deployment plan is not approved: an owner's manager approves it."
    ]
    vision = GraveyardFinding.objects.filter(run=latest, model__team__name="Vision")
    assert graveyard_teams == {"Vision", "Retrieval & RAG"}
    assert (latest.findings_count, vision.count()) == (4, 3)
    assert AuditRun.objects.count() == 2
    assert ApiToken.objects.get().person.email == "engineer@example.com"
