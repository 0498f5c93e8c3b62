"""Retention's scheduled jobs: the weekly graveyard audit tells each owner and their
manager of a new finding once per episode, whatever runs and however often; the nightly
signal snapshots keep one row per engineer and quarter; both show on job health."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError, connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import Person
from notifications.jobs import install_schedules
from notifications.models import JobRun, Notification
from notifications.services import deliver_emails
from retention import jobs, tasks
from retention.audit import run_graveyard_audit
from retention.models import (
    AuditRun,
    GraveyardSettings,
    ModelOwner,
    RegisteredModel,
    SignalSnapshot,
    Status,
)
from tests.conftest import make_person
from tests.retention.builders import a_model

KIND = "graveyard_finding"


def told() -> list[tuple[str, str]]:
    """(recipient's email, model's name) of every graveyard notification."""
    models = dict(RegisteredModel.objects.values_list("pk", "name"))
    return sorted(
        (n.recipient.email, models.get(n.subject_id or 0, "?"))
        for n in Notification.objects.filter(kind=KIND).select_related("recipient")
    )


def run_in(days: int = 0):
    """The scheduled job, `days` from now."""
    with time_machine.travel(timezone.now() + timedelta(days=days), tick=False):
        return jobs.run_scheduled_graveyard_audit()


def in_graveyard(org, owners: list[Person], name: str, trained_days_ago: int = 90):
    return a_model(
        org, status=Status.TRAINED, owners=owners, name=name, trained_days_ago=trained_days_ago
    )


def owned_by(model: RegisteredModel, person: Person, *, only: bool = False) -> RegisteredModel:
    """Make `person` an owner (the only one): people at the top of the org, whom no
    manager can register a model for."""
    if only:
        ModelOwner.objects.filter(model=model).delete()
    ModelOwner.objects.create(model=model, person=person)
    return model


def test_running_the_job_twice_tells_each_owner_and_their_manager_once(org):
    in_graveyard(org, [org.engineer], "Reranker")
    in_graveyard(org, [org.peer], "Summariser")
    in_graveyard(org, [org.other_engineer], "Diariser")
    a_model(org, status=Status.DEPLOYED, trained_days_ago=200, name="In production")

    first = run_in(0)
    second = run_in(0)
    deliver_emails()

    assert told() == [
        ("eli@example.com", "Reranker"),
        ("mara@example.com", "Reranker"),  # Mara is told of each report's model once
        ("mara@example.com", "Summariser"),
        ("omar@example.com", "Diariser"),
        ("priya@example.com", "Summariser"),
        ("sam@example.com", "Diariser"),
    ]
    assert (first.found, first.sent, first.skipped_count) == (3, 6, 0)
    assert (second.found, second.sent, second.skipped_count) == (3, 0, 0)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "eli@example.com",
        "mara@example.com",
        "mara@example.com",
        "omar@example.com",
        "priya@example.com",
        "sam@example.com",
    ]
    runs = AuditRun.objects.all()
    assert [r.trigger for r in runs] == ["schedule", "schedule"]


def test_what_the_owner_and_the_manager_read(org):
    model = in_graveyard(org, [org.engineer], "Reranker")

    run_in(0)

    eli = Notification.objects.get(recipient=org.engineer)
    mara = Notification.objects.get(recipient=org.manager)
    assert eli.title == "Your model “Reranker” is in the graveyard"
    assert mara.title == "Eli Engineer's model “Reranker” is in the graveyard"
    assert eli.link == mara.link == reverse("retention:model_detail", args=[model.pk])
    assert "more than 60 days ago" in eli.body
    assert eli.dedupe_key == f"graveyard:{model.pk}:{model.trained_on.isoformat()}"


def test_a_model_still_in_the_graveyard_next_week_is_not_told_again_but_a_new_one_is(org):
    in_graveyard(org, [org.engineer], "Old news")
    # 55 days old: not a finding this week (60 days), one next week.
    in_graveyard(org, [org.peer], "Next week's", trained_days_ago=55)

    this_week = run_in(0)
    assert told() == [("eli@example.com", "Old news"), ("mara@example.com", "Old news")]

    next_week = run_in(7)
    week_after = run_in(14)

    assert told() == [
        ("eli@example.com", "Old news"),
        ("mara@example.com", "Next week's"),
        ("mara@example.com", "Old news"),
        ("priya@example.com", "Next week's"),
    ]
    assert [(r.found, r.sent) for r in (this_week, next_week, week_after)] == [
        (1, 2),
        (2, 2),
        (2, 0),
    ]


def test_a_model_found_first_by_an_audit_that_told_nobody_is_still_new_to_the_job(org):
    in_graveyard(org, [org.engineer], "Reranker")
    # The graveyard page's "run now" (or the command) records findings and tells nobody.
    run_graveyard_audit(trigger=AuditRun.Trigger.BUTTON, run_by=org.admin)

    log = run_in(1)

    assert log.sent == 2
    assert told() == [("eli@example.com", "Reranker"), ("mara@example.com", "Reranker")]


def test_a_manager_who_arrives_later_is_not_told_of_an_old_finding(org):
    in_graveyard(org, [org.engineer], "Reranker")
    run_in(0)
    org.engineer.manager = org.other_manager  # Eli moves to Omar's team
    org.engineer.save()

    run_in(7)

    assert told() == [("eli@example.com", "Reranker"), ("mara@example.com", "Reranker")]


def test_a_model_deployed_then_retrained_and_forgotten_again_is_told_again(org):
    model = in_graveyard(org, [org.engineer], "Reranker", trained_days_ago=200)
    run_in(0)
    deployed = timezone.localdate() - timedelta(days=150)
    RegisteredModel.objects.filter(pk=model.pk).update(status=Status.DEPLOYED, deployed_on=deployed)
    assert run_in(7).sent == 0  # deployed: out of the graveyard
    # Retrained 100 days ago (a new version, never deployed): a new episode.
    retrained = timezone.localdate() - timedelta(days=100)
    RegisteredModel.objects.filter(pk=model.pk).update(
        status=Status.TRAINED, trained_on=retrained, deployed_on=None
    )

    assert run_in(14).sent == 2
    assert run_in(21).sent == 0
    keys = sorted(Notification.objects.filter(recipient=org.engineer).values_list("dedupe_key"))
    assert len(keys) == 2  # one per training, never per run


def test_people_who_cannot_be_told_are_skipped_with_why_and_the_rest_are_told(org):
    in_graveyard(org, [org.engineer], "Fine")  # Eli and Mara
    in_graveyard(org, [org.other_director_manager], "Pat's")  # Pat; Olu above: deactivated
    # Sam and Olu (deactivated, no manager) own one: Sam and Omar are told.
    owned_by(in_graveyard(org, [org.other_engineer], "Shared"), org.other_director)
    owned_by(in_graveyard(org, [org.peer], "Dana's"), org.director, only=True)  # no manager
    in_graveyard(org, [org.far_engineer], "Fay's")  # Fay deactivated: Pat is told
    orphan = in_graveyard(org, [org.peer], "Orphan")
    ModelOwner.objects.filter(model=orphan).delete()
    Person.objects.filter(pk__in=[org.other_director.pk, org.far_engineer.pk]).update(
        is_active=False
    )

    log = run_in(0)

    assert told() == [
        ("dana@example.com", "Dana's"),
        ("eli@example.com", "Fine"),
        ("mara@example.com", "Fine"),
        ("omar@example.com", "Shared"),
        ("pat@example.com", "Fay's"),
        ("pat@example.com", "Pat's"),
        ("sam@example.com", "Shared"),
    ]
    run = JobRun.objects.get(pk=log.run.pk)
    assert run.outcome == "succeeded"
    assert (run.found, run.sent, run.skipped_count) == (6, 7, 6)
    day = f"{timezone.localdate() - timedelta(days=90):%-d %b %Y}"
    assert sorted((s["what"], s["why"]) for s in run.skipped) == sorted(
        [
            (f"“Dana's” (trained {day})", "its owner Dana Director has no manager to tell"),
            (f"“Fay's” (trained {day})", "its owner Fay Far is deactivated and was not told"),
            (f"“Orphan” (trained {day})", "the model has no owners: nobody was told"),
            (
                f"“Pat's” (trained {day})",
                "Pat Manager's manager Olu Director is deactivated and was not told",
            ),
            (f"“Shared” (trained {day})", "its owner Olu Director has no manager to tell"),
            (f"“Shared” (trained {day})", "its owner Olu Director is deactivated and was not told"),
        ]
    )


def test_an_owner_who_is_also_the_other_owners_manager_is_told_once(org):
    in_graveyard(org, [org.engineer, org.manager], "Pair")

    log = run_in(0)

    assert log.sent == 3  # Eli, Mara (as an owner), Dana (Mara's manager)
    assert Notification.objects.get(recipient=org.manager).title.startswith("Your model")


def test_a_failed_run_tells_nobody_and_shows_as_failed(org, monkeypatch):
    in_graveyard(org, [org.engineer], "Reranker")

    def broken(messages):
        raise OperationalError("connection lost")

    monkeypatch.setattr(jobs, "notify_many", broken)
    with pytest.raises(OperationalError):
        run_in(0)
    monkeypatch.undo()

    assert AuditRun.objects.count() == 0  # the audit and the telling commit together
    failed = JobRun.objects.get(job="graveyard-audit")
    assert (failed.outcome, failed.error) == ("failed", "OperationalError: connection lost")
    assert run_in(0).sent == 2  # the next run does it all


def test_the_task_retries_a_transient_failure_and_then_tells_once(org, monkeypatch, settings):
    in_graveyard(org, [org.engineer], "Reranker")
    real = jobs.run_scheduled_graveyard_audit
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real()

    monkeypatch.setattr(jobs, "run_scheduled_graveyard_audit", flaky)

    # Eager (in this process): a retry runs again at once, the countdown aside.
    assert tasks.task_run_graveyard_audit.apply().get() == 2
    assert tasks.task_run_graveyard_audit.apply().get() == 0
    assert len(calls) == 3
    assert told() == [("eli@example.com", "Reranker"), ("mara@example.com", "Reranker")]
    assert tasks.task_run_graveyard_audit.max_retries == 3
    assert tasks.task_run_graveyard_audit.acks_late


def test_the_task_gives_up_after_its_retries(org, monkeypatch):
    calls = []

    def down():
        calls.append(1)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(jobs, "run_scheduled_graveyard_audit", down)

    result = tasks.task_run_graveyard_audit.apply()

    assert result.failed()
    assert isinstance(result.result, OperationalError)
    assert len(calls) == 1 + tasks.MAX_RETRIES


def test_a_programming_error_is_not_retried(org, monkeypatch):
    calls = []

    def bug():
        calls.append(1)
        raise KeyError("model")

    monkeypatch.setattr(jobs, "run_scheduled_graveyard_audit", bug)

    assert tasks.task_run_graveyard_audit.apply().failed()
    assert len(calls) == 1


def _graveyard_of(org, n: int, tag: str) -> None:
    for i in range(n):
        engineer = make_person(
            f"{tag}{i}@example.com", f"Engineer {tag}{i}", manager=org.manager, team=org.vision
        )
        in_graveyard(org, [engineer], f"Model {tag}{i}")


def test_the_graveyard_job_costs_the_same_queries_at_two_sizes(org):
    GraveyardSettings.load()
    _graveyard_of(org, 2, "a")
    with CaptureQueriesContext(connection) as small:
        small_log = run_in(0)
    _graveyard_of(org, 8, "b")  # eight new findings, two told before
    with CaptureQueriesContext(connection) as large:
        large_log = run_in(7)

    assert (small_log.found, small_log.sent) == (2, 4)  # each engineer, and Mara
    assert (large_log.found, large_log.sent) == (10, 16)
    assert len(small.captured_queries) == len(large.captured_queries)


# --- signal snapshots -------------------------------------------------------------------


def test_the_snapshot_job_run_twice_keeps_one_row_per_engineer_and_quarter(org):
    first = jobs.run_signal_snapshots()
    second = jobs.run_signal_snapshots()

    active = Person.objects.filter(is_active=True).count()
    assert SignalSnapshot.objects.count() == active
    assert (
        not SignalSnapshot.objects.values("person", "period")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert (first.found, second.found) == (active, active)
    runs = JobRun.objects.filter(job="signal-snapshots")
    assert [(r.outcome, r.found, r.sent) for r in runs] == [("succeeded", active, 0)] * 2


def test_the_snapshot_task_stores_this_quarters_rows(org):
    assert (
        tasks.task_take_signal_snapshots.apply().get()
        == Person.objects.filter(is_active=True).count()
    )
    assert tasks.task_take_signal_snapshots.acks_late


# --- the job-health page and the schedules ----------------------------------------------


def test_job_health_shows_both_jobs_after_they_run(client, org):
    owned_by(in_graveyard(org, [org.peer], "Dana's"), org.director, only=True)  # a skip
    run_in(0)
    jobs.run_signal_snapshots()
    client.force_login(org.admin)

    html = client.get(reverse("notifications:job_health")).content.decode()

    assert '<h2 id="job-graveyard-audit">Graveyard audit</h2>' in html
    assert '<h2 id="job-signal-snapshots">Signal snapshots</h2>' in html
    assert "its owner Dana Director has no manager to tell" in html
    assert html.count('<span class="badge badge-ok">Succeeded</span>') == 2


def test_each_job_gets_its_default_schedule_once_and_an_admins_change_is_kept(db):
    PeriodicTask.objects.filter(name__in=["graveyard-audit", "signal-snapshots"]).delete()
    install_schedules()

    audit = PeriodicTask.objects.select_related("crontab").get(name="graveyard-audit")
    snapshots = PeriodicTask.objects.select_related("crontab").get(name="signal-snapshots")
    assert audit.task == "retention.tasks.task_run_graveyard_audit"
    assert (audit.crontab.minute, audit.crontab.hour, audit.crontab.day_of_week) == ("0", "6", "1")
    assert snapshots.task == "retention.tasks.task_take_signal_snapshots"
    assert (snapshots.crontab.minute, snapshots.crontab.hour) == ("30", "2")

    # An admin moves the audit to Friday 17:00; the next migrate leaves it there.
    audit.crontab = CrontabSchedule.objects.create(
        minute="0", hour="17", day_of_week="5", timezone=audit.crontab.timezone
    )
    audit.save()
    install_schedules()

    audit.refresh_from_db()
    assert (audit.crontab.hour, audit.crontab.day_of_week) == ("17", "5")


def test_the_preferences_page_offers_graveyard_findings(client, org):
    client.force_login(org.engineer)

    html = client.get(reverse("notifications:preferences")).content.decode()

    assert "New graveyard findings" in html


# --- the demo ---------------------------------------------------------------------------


def test_the_demo_seeds_notifications_and_job_runs_through_the_jobs_once(client, db):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    counts = (Notification.objects.count(), JobRun.objects.count(), AuditRun.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert (Notification.objects.count(), JobRun.objects.count(), AuditRun.objects.count()) == (
        counts
    )
    assert "Demo notifications (reminders, graveyard): 0 new." in out.getvalue()
    leo = Person.objects.get(email="engineer@example.com")
    priya = Person.objects.get(email="manager@example.com")
    assert Notification.objects.filter(recipient=leo, kind="review_due_soon").exists()
    assert Notification.objects.filter(recipient=priya, kind=KIND).exists()
    jobs_run = set(JobRun.objects.values_list("job", flat=True))
    assert jobs_run == {"review-reminders", "email-delivery", "graveyard-audit", "signal-snapshots"}

    client.force_login(Person.objects.get(email="director@example.com"))
    html = client.get(reverse("notifications:job_health")).content.decode()
    assert "No runs yet." not in html
    assert '<span class="badge badge-danger">Failed</span>' in html
    client.force_login(leo)
    assert (
        "Your quarterly review is due on"
        in client.get(reverse("notifications:list")).content.decode()
    )
