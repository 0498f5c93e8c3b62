"""The graveyard audit: its edges, its rates, its constant cost, its command and button."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from retention import selectors, services
from retention.audit import run_graveyard_audit
from retention.models import (
    AuditRun,
    GraveyardFinding,
    GraveyardRate,
    GraveyardSettings,
    ModelOwner,
    Purpose,
    RegisteredModel,
    Status,
)
from retention.panels import graveyard_findings_for, graveyard_rates_for
from retention.selectors import FINDINGS_PAGE
from tests.retention.builders import a_model, problem_type

Trigger = AuditRun.Trigger
HTMX = {"HX-Request": "true"}


def _audit(**kwargs) -> AuditRun:
    return run_graveyard_audit(trigger=Trigger.COMMAND, **kwargs)


def _found(run: AuditRun) -> set[str]:
    return set(run.findings.values_list("model__name", flat=True))


def test_exactly_n_days_is_not_yet_a_finding_and_one_day_more_is(org):
    a_model(org, status=Status.TRAINED, trained_days_ago=60, name="Sixty days")
    a_model(org, status=Status.TRAINED, trained_days_ago=61, name="Sixty-one days")

    run = _audit(days=60)

    assert _found(run) == {"Sixty-one days"}
    assert (run.judged, run.findings_count) == (1, 1)
    assert run.cutoff == timezone.localdate() - timedelta(days=60)


def test_archived_with_a_reason_and_deployed_models_are_not_findings(org):
    a_model(org, status=Status.ARCHIVED, trained_days_ago=200, name="Archived")
    a_model(org, status=Status.DEPLOYED, trained_days_ago=200, name="Deployed")
    a_model(org, status=Status.TRAINED, trained_days_ago=200, name="Forgotten")
    a_model(org, status=Status.PLANNED, name="Never trained")

    run = _audit()

    assert _found(run) == {"Forgotten"}
    assert (run.judged, run.findings_count) == (3, 1)


def test_a_model_deployed_after_the_audit_leaves_the_next_run_and_stays_in_the_first(org):
    model = a_model(org, status=Status.TRAINED, trained_days_ago=90, name="Late bloomer")
    first = _audit()

    services.move_model(model=model, actor=org.engineer, to=Status.DEPLOYED)
    second = _audit()

    assert _found(first) == {"Late bloomer"}
    assert _found(second) == set()
    assert (second.judged, second.findings_count) == (1, 0)


def test_the_threshold_is_the_admins_setting(org):
    a_model(org, status=Status.TRAINED, trained_days_ago=40, name="Forty days")
    GraveyardSettings.objects.update_or_create(pk=1, defaults={"graveyard_days": 30})

    run = _audit()

    assert (run.days, _found(run)) == (30, {"Forty days"})


def test_rates_are_kept_per_team_and_per_engineer(org):
    a_model(org, status=Status.TRAINED, trained_days_ago=100, owners=[org.engineer, org.peer])
    a_model(org, status=Status.DEPLOYED, trained_days_ago=100, owners=[org.engineer])
    a_model(org, status=Status.DEPLOYED, trained_days_ago=100, owners=[org.other_engineer])

    run = _audit()

    rates = {
        (r.team.name if r.team else r.person.name): (r.graveyard, r.judged)
        for r in GraveyardRate.objects.filter(run=run).select_related("team", "person")
    }
    assert rates == {
        "Vision": (1, 2),
        "Speech": (0, 1),
        "Eli Engineer": (1, 2),
        "Priya Peer": (1, 1),
        "Sam Speech": (0, 1),
    }


def test_the_panels_hand_each_owner_their_findings_and_rates_over_time(org):
    a_model(
        org,
        status=Status.TRAINED,
        trained_days_ago=100,
        owners=[org.engineer, org.peer],
        name="Shared",
    )
    a_model(org, status=Status.TRAINED, trained_days_ago=100, owners=[org.peer], name="Priya's")
    _audit(at=timezone.now() - timedelta(days=30))
    latest = _audit()

    findings = graveyard_findings_for([org.engineer, org.peer, org.other_engineer])
    rates = graveyard_rates_for([org.peer])

    assert {pk: [f.model.name for f in fs] for pk, fs in findings.items()} == {
        org.engineer.pk: ["Shared"],
        org.peer.pk: ["Shared", "Priya's"],
    }
    assert all(f.run_id == latest.pk for fs in findings.values() for f in fs)
    assert [(run.pk, rate.graveyard) for run, rate in rates[org.peer.pk].points][-1] == (
        latest.pk,
        2,
    )
    assert len(rates[org.peer.pk].points) == 2


def _bulk_models(org, count: int) -> None:
    """`count` models over the org's engineers and teams: a third in the graveyard."""
    today = timezone.localdate()
    engineers = [org.engineer, org.peer, org.other_engineer, org.far_engineer]
    rag = problem_type()
    models = RegisteredModel.objects.bulk_create(
        [
            RegisteredModel(
                name=f"Run {i}",
                project="Bulk",
                problem_type=rag,
                purpose=Purpose.RESEARCH,
                status=[Status.TRAINED, Status.DEPLOYED, Status.ARCHIVED][i % 3],
                team_id=engineers[i % 4].team_id,
                training_started_on=today - timedelta(days=200),
                trained_on=today - timedelta(days=30 + i % 150),
                deployed_on=today - timedelta(days=10) if i % 3 == 1 else None,
                archive_reason="Superseded" if i % 3 == 2 else "",
                registered_by=org.manager,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    ModelOwner.objects.bulk_create(
        [ModelOwner(model=m, person=engineers[i % 4]) for i, m in enumerate(models)],
        batch_size=2000,
    )


@pytest.mark.parametrize("count", [100, 10_000])
def test_the_audit_costs_the_same_queries_at_100_and_10000_models(
    org, django_assert_num_queries, count
):
    _bulk_models(org, count)
    GraveyardSettings.load()

    # Savepoint; settings; totals; the run; findings, team rates, engineer rates (each
    # one INSERT … SELECT); release.
    with django_assert_num_queries(8):
        run = _audit()

    judged = sum(1 for i in range(count) if 30 + i % 150 > 60)
    assert run.judged == judged
    assert run.findings_count == sum(1 for i in range(count) if 30 + i % 150 > 60 and i % 3 == 0)
    assert GraveyardFinding.objects.filter(run=run).count() == run.findings_count
    assert GraveyardRate.objects.filter(run=run, person__isnull=False).count() == 4


def test_the_command_runs_the_audit_with_a_progress_bar(org):
    a_model(org, status=Status.TRAINED, trained_days_ago=90, name="Forgotten")
    out, err = StringIO(), StringIO()

    call_command("graveyard_audit", "--days", "30", stdout=out, stderr=err)

    run = AuditRun.objects.get()
    assert (run.trigger, run.days, run.findings_count) == (Trigger.COMMAND, 30, 1)
    assert "Graveyard audit: 1 finding among 1 models trained before" in out.getvalue()
    assert "4/4" in err.getvalue()  # tqdm's bar, on stderr


def test_a_director_runs_the_audit_now_and_sees_the_findings(client, org):
    a_model(org, status=Status.TRAINED, trained_days_ago=90, name="Forgotten ranker")
    client.force_login(org.director)

    response = client.post(reverse("retention:audit_run"), follow=True)

    body = response.content.decode()
    run = AuditRun.objects.get()
    assert (run.trigger, run.run_by) == (Trigger.BUTTON, org.director)
    assert "The audit ran: 1 graveyard finding among 1 models" in body
    assert "Forgotten ranker" in body
    assert "Graveyard rate per team" in body


def test_the_owner_sees_deploy_and_archive_on_a_finding_and_outsiders_see_nothing(client, org):
    model = a_model(org, status=Status.TRAINED, trained_days_ago=90, name="Forgotten ranker")
    _audit()

    client.force_login(org.engineer)
    mine = client.get(reverse("retention:graveyard")).content.decode()
    client.force_login(org.other_manager)
    theirs = client.get(reverse("retention:graveyard")).content.decode()

    assert "Mark Forgotten ranker as deployed" in mine
    assert "Archive Forgotten ranker with a reason" in mine
    assert f'action="{reverse("retention:model_archive", args=[model.pk])}"' in mine
    assert "Forgotten ranker" not in theirs


def _audits_over_time() -> None:
    for days_ago in (60, 30, 0):
        _audit(
            at=timezone.make_aware(
                datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(9))
            )
        )


@pytest.mark.parametrize("size", [0, 3, 40])
def test_the_graveyard_page_costs_the_same_queries_at_any_size(
    client, org, django_assert_num_queries, size
):
    for i in range(size):
        a_model(
            org,
            status=Status.TRAINED,
            trained_days_ago=90 + i,
            name=f"Run {i}",
            owners=[org.engineer, org.peer],
        )
    a_model(org, status=Status.DEPLOYED, owners=[org.other_engineer])  # a rate, no finding
    _audits_over_time()
    client.force_login(org.director)

    # Session, user, roles, the recent runs, the findings counted, the page of findings
    # with their owners (read even when there is none), the teams' rates.
    with django_assert_num_queries(7):
        response = client.get(reverse("retention:graveyard"))

    assert response.content.decode().count('class="finding"') == min(size, FINDINGS_PAGE)


def _findings(body: str) -> list[str]:
    return re.findall(
        r'<li id="finding-\d+" class="finding">\s*<h3><a href="[^"]+">([^<]+)</a>', body
    )


@pytest.fixture
def five_findings(org, monkeypatch):
    """Six findings, "Run 4" trained longest ago, two a page; and two teams' rates, one a
    page: Vision 5 of 5 in the graveyard, Speech 1 of 2."""
    monkeypatch.setattr(selectors, "FINDINGS_PAGE", 2)
    monkeypatch.setattr(selectors, "RATES_PAGE", 1)
    for i in range(5):
        a_model(org, status=Status.TRAINED, trained_days_ago=90 + i, name=f"Run {i}")
    a_model(
        org, status=Status.TRAINED, trained_days_ago=80, owners=[org.other_engineer], name="Speech"
    )
    a_model(org, status=Status.DEPLOYED, owners=[org.other_engineer], name="Speech deployed")
    _audit()


def test_the_second_page_of_findings_shows_the_next_and_keeps_the_rates_page(
    client, org, five_findings
):
    client.force_login(org.director)
    url = reverse("retention:graveyard")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2, "rates": 2}).content.decode()

    assert _findings(first) == ["Run 4", "Run 3"]  # the oldest trained first
    assert _findings(second) == ["Run 2", "Run 1"]
    assert "Findings 3–4 of 6" in second
    assert f'href="{url}?page=3&amp;rates=2#findings"' in second
    assert f'href="{url}?rates=2#findings"' in second  # page 1 of the findings
    assert f'href="{url}?page=2#rates"' in second  # page 1 of the rates, findings kept
    assert "6 open" in second  # on every page


def test_a_page_past_the_end_of_the_findings_shows_the_last(client, org, five_findings):
    client.force_login(org.director)

    body = client.get(reverse("retention:graveyard"), {"page": 99, "rates": 99}).content.decode()

    assert _findings(body) == ["Run 0", "Speech"]
    assert "Findings 5–6 of 6, the oldest trained first (page 3 of 3)" in body
    assert "Teams page 2 of 2" in body


def test_the_team_rates_come_a_page_at_a_time_the_highest_first(client, org, five_findings):
    client.force_login(org.director)
    url = reverse("retention:graveyard")

    first = client.get(url).content.decode()
    second = client.get(url, {"rates": 2}).content.decode()

    assert '<h3 id="rate-1">Vision</h3>' in first  # 100%, before Speech's 50%
    assert '<h3 id="rate-1">Speech</h3>' in second
    assert "Speech" not in first.split('<section id="rates"')[1]
    assert "teams 1–1 of 2, the highest rate in their latest audit first" in first


def test_htmx_gets_only_the_section_it_pages(client, org, five_findings):
    client.force_login(org.director)
    url = reverse("retention:graveyard")

    findings = client.get(url, {"page": 2}, headers={**HTMX, "HX-Target": "findings"})
    rates = client.get(url, {"rates": 2}, headers={**HTMX, "HX-Target": "rates"})

    assert "<html" not in findings.content.decode()
    assert findings.content.decode().lstrip().startswith('<section id="findings"')
    assert _findings(findings.content.decode()) == ["Run 2", "Run 1"]
    assert rates.content.decode().lstrip().startswith('<section id="rates"')
    assert "HX-Target" in findings["Vary"]


def test_an_owner_acting_on_page_two_comes_back_to_page_two(client, org, five_findings):
    model = RegisteredModel.objects.get(name="Run 2")
    client.force_login(org.engineer)

    page = client.get(reverse("retention:graveyard"), {"page": 2}).content.decode()
    response = client.post(
        reverse("retention:model_archive", args=[model.pk]),
        {"reason": "Superseded", "back": "graveyard", "page": 2},
    )

    assert '<input type="hidden" name="page" value="2">' in page
    assert response["Location"] == f"{reverse('retention:graveyard')}?page=2#finding-{model.pk}"
