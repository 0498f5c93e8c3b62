"""The reminder job: who is told what and when, exactly once, whatever goes wrong."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from growth.models import GrowthPlan
from notifications.models import EmailDelivery, JobRun, Notification, ReviewReminder
from notifications.reminders import send_review_reminders
from notifications.services import deliver_emails
from tests.notifications.conftest import plan_due

DUE = date(2026, 7, 15)


def told(kind: str | None = None) -> list[tuple[str, str]]:
    rows = Notification.objects.order_by("recipient__email", "kind")
    if kind:
        rows = rows.filter(kind=kind)
    return [(n.recipient.email, n.kind) for n in rows.select_related("recipient")]


def run_on(day: date):
    with time_machine.travel(day, tick=False):
        return send_review_reminders()


def test_a_daily_run_tells_a_week_before_on_the_day_and_two_weeks_overdue(org):
    plan_due(org.engineer, DUE)
    told_on: dict[int, list[str]] = {}

    for offset in range(-8, 16):
        before = set(Notification.objects.values_list("pk", flat=True))
        run_on(DUE + timedelta(days=offset))
        new = Notification.objects.exclude(pk__in=before)
        if new:
            told_on[offset] = sorted(f"{n.recipient.name}: {n.kind}" for n in new)

    assert told_on == {
        -7: ["Eli Engineer: review_due_soon", "Mara Manager: review_due_soon"],
        0: ["Eli Engineer: review_due", "Mara Manager: review_due"],
        14: [
            "Dana Director: review_overdue",
            "Eli Engineer: review_overdue",
            "Mara Manager: review_overdue",
        ],
    }


@pytest.mark.parametrize(
    ("offset", "kind"),
    [
        (-8, None),
        (-7, "review_due_soon"),
        (-6, "review_due_soon"),  # a run missed on day -7 is made up
        (0, "review_due"),
        (13, "review_due"),
        (14, "review_overdue"),
        (15, "review_overdue"),
    ],
)
def test_the_first_run_on_a_day_sends_the_reminder_due_then(org, offset, kind):
    plan_due(org.engineer, DUE)

    run_on(DUE + timedelta(days=offset))

    assert {k for _, k in told()} == ({kind} if kind else set())


def test_a_review_submitted_the_day_before_a_reminder_stops_it(org):
    plan = plan_due(org.engineer, DUE)
    run_on(DUE - timedelta(days=7))
    # The day before the due-day reminder the review is submitted: the next is a quarter on.
    GrowthPlan.objects.filter(pk=plan.pk).update(next_review_due=date(2026, 10, 14))

    for offset in range(0, 16):
        run_on(DUE + timedelta(days=offset))

    assert {k for _, k in told()} == {"review_due_soon"}


def test_running_the_job_twice_tells_nobody_twice(org):
    plan_due(org.engineer, DUE)
    plan_due(org.peer, DUE)

    first = run_on(DUE)
    second = run_on(DUE)
    deliver_emails()

    assert (first.found, first.sent) == (2, 4)  # Eli, Priya, and Mara once for each
    assert (second.found, second.sent) == (2, 0)
    assert Notification.objects.count() == 4  # Mara is told of each of her reports once
    assert sorted(m.to[0] for m in mail.outbox) == [
        "eli@example.com",
        "mara@example.com",
        "mara@example.com",
        "priya@example.com",
    ]
    assert ReviewReminder.objects.count() == 2


def test_bad_input_is_skipped_with_its_reason_and_the_rest_are_told(org):
    plan_due(org.engineer, DUE)  # fine: Eli and Mara
    plan_due(org.other_director, DUE)  # Olu has no manager
    org.other_manager.is_active = False  # Sam's manager Omar is deactivated
    org.other_manager.save()
    plan_due(org.other_engineer, DUE)
    org.far_engineer.is_active = False  # Fay is deactivated
    org.far_engineer.save()
    plan_due(org.far_engineer, DUE)

    log = run_on(DUE)

    assert sorted(told()) == [
        ("eli@example.com", "review_due"),
        ("mara@example.com", "review_due"),
        ("olu@example.com", "review_due"),
        ("sam@example.com", "review_due"),
    ]
    run = JobRun.objects.get(pk=log.run.pk)
    assert run.outcome == "succeeded"
    assert (run.found, run.sent, run.skipped_count) == (4, 4, 3)
    assert sorted(s["why"] for s in run.skipped) == [
        "the engineer has no manager: only the engineer was told",
        "the engineer is deactivated: nobody was told",
        "their manager Omar Manager is deactivated and was not told",
    ]


def test_escalation_skips_a_missing_managers_manager(org):
    plan_due(org.far_engineer, DUE)  # Fay → Pat → Olu, fine
    org.director.is_active = False  # Eli → Mara → Dana, deactivated
    org.director.save()
    plan_due(org.engineer, DUE)

    log = run_on(DUE + timedelta(days=14))

    assert sorted(e for e, _ in told()) == [
        "eli@example.com",
        "fay@example.com",
        "mara@example.com",
        "olu@example.com",
        "pat@example.com",
    ]
    assert [s["why"] for s in log.skipped] == [
        "Mara Manager's manager Dana Director is deactivated"
    ]


def test_a_plan_deleted_while_its_email_is_queued_is_not_emailed(org):
    plan = plan_due(org.engineer, DUE)
    run_on(DUE)
    plan.delete()

    log = deliver_emails()

    assert mail.outbox == []
    assert log.skipped_count == 2
    assert set(EmailDelivery.objects.values_list("state", flat=True)) == {"skipped"}
    assert {s["why"] for s in log.skipped} == {
        "what it was about no longer exists (deleted while the email was queued)"
    }


def test_nobody_is_emailed_a_kind_they_turned_off(org):
    from notifications.services import set_email_choices

    set_email_choices(person=org.manager, emailed={"review_due_soon", "review_overdue"})
    plan_due(org.engineer, DUE)

    run_on(DUE)
    deliver_emails()

    assert len(told()) == 2  # both see it in the app
    assert [m.to for m in mail.outbox] == [["eli@example.com"]]
    assert mail.outbox[0].subject == "Your quarterly review is due today"
    assert "http://127.0.0.1:8000/growth/plans/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


@pytest.mark.parametrize("plans", [1, 4])
def test_the_job_costs_the_same_queries_at_any_size(org, django_assert_num_queries, plans):
    people = [org.engineer, org.peer, org.other_engineer, org.far_engineer][:plans]
    for person in people:
        plan_due(person, DUE)

    with (
        time_machine.travel(DUE + timedelta(days=14), tick=False),
        django_assert_num_queries(14),
    ):
        send_review_reminders()

    assert Notification.objects.count() == 3 * plans
