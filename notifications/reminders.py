"""Quarterly growth-review reminders (DOMAIN.md §2, §6).

Seven days before a plan's review is due the engineer and their manager are told;
on the due day, again; fourteen days overdue, the manager's manager too. The job
is a sweep over what is due, not a run for "today's" reminders: a run that the
broker or a stopped worker missed is made up by the next one, and a reminder whose
time has passed (the due-day one, once two weeks overdue) gives way to the next.

Exactly once per (plan, quarter, kind): every reminder due is inserted with
ON CONFLICT DO NOTHING (ReviewReminder's unique constraint), tagged with this run;
what this run inserted is read back and only that is told. Two runs at once, or
the same run twice, tell nobody anything twice. It all commits together, so a
worker killed half-way leaves nothing done and the next run does it all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Person
from growth.panels import reviews_due
from notifications.jobs import REVIEW_REMINDERS, RunLog, recording
from notifications.models import ReviewReminder
from notifications.services import Message, notify_many

SOON_DAYS = 7  # the first reminder, this many days before the due date
ESCALATE_DAYS = 14  # overdue by this many days: the manager's manager is told too

Kind = ReviewReminder.Kind


def quarter_of(day: date) -> tuple[str, str]:
    """The quarter's stored label and how people read it: ("2026-Q3", "Q3 2026"), as
    growth labels its reviews."""
    number = (day.month - 1) // 3 + 1
    return f"{day.year}-Q{number}", f"Q{number} {day.year}"


def reminder_due(due: date, today: date) -> str | None:
    """Which reminder a review due on `due` calls for on `today`, if any."""
    days = (today - due).days
    if -SOON_DAYS <= days < 0:
        return Kind.DUE_SOON
    if 0 <= days < ESCALATE_DAYS:
        return Kind.DUE
    if days >= ESCALATE_DAYS:
        return Kind.OVERDUE
    return None


def send_review_reminders(*, today: date | None = None) -> RunLog:
    """Tell everyone whose reminder is due and not yet told; record the run."""
    today = today or timezone.localdate()
    with recording(REVIEW_REMINDERS.name) as log:
        _send(today, log)
    return log


@transaction.atomic
def _send(today: date, log: RunLog) -> None:
    due = {}
    for plan in reviews_due(by=today + timedelta(days=SOON_DAYS)):
        kind = reminder_due(plan.next_review_due, today)
        if kind:
            due[plan.pk] = (plan, kind)
    log.found = len(due)
    ReviewReminder.objects.bulk_create(
        [
            ReviewReminder(
                plan_id=plan.pk,
                quarter=quarter_of(plan.next_review_due)[0],
                kind=kind,
                due_date=plan.next_review_due,
                run=log.run,
            )
            for plan, kind in due.values()
        ],
        ignore_conflicts=True,
    )
    mine = ReviewReminder.objects.filter(run=log.run).values_list("plan_id", flat=True)
    messages: list[Message] = []
    for plan_id in mine:
        plan, kind = due[plan_id]
        messages.extend(_messages(plan, kind, log))
    log.sent = len(notify_many(messages))


@dataclass(frozen=True)
class _Texts:
    own: str
    theirs: str


TITLES = {
    Kind.DUE_SOON: _Texts(
        "Your quarterly review is due on {due}", "{name}'s quarterly review is due on {due}"
    ),
    Kind.DUE: _Texts(
        "Your quarterly review is due today", "{name}'s quarterly review is due today"
    ),
    Kind.OVERDUE: _Texts(
        "Your quarterly review is two weeks overdue",
        "{name}'s quarterly review is two weeks overdue",
    ),
}
BODY = (
    "The review for {quarter} was due on {due}. Three questions to bring: what do you "
    "want to be able to do in 12 months that you can't do now, what is the gap, and "
    "what is the smallest experiment that could close it?"
)


def _messages(plan, kind: str, log: RunLog) -> list[Message]:
    """Who is told of this reminder; anyone who cannot be is recorded with why."""
    engineer: Person = plan.engineer
    label, quarter = quarter_of(plan.next_review_due)
    what = f"{engineer.name}'s {quarter} review ({Kind(kind).label.lower()})"
    if not engineer.is_active:
        log.skip(what, "the engineer is deactivated: nobody was told")
        return []
    people = [engineer]
    manager = engineer.manager
    if manager is None:
        log.skip(what, "the engineer has no manager: only the engineer was told")
    elif not manager.is_active:
        log.skip(what, f"their manager {manager.name} is deactivated and was not told")
    else:
        people.append(manager)
        if kind == Kind.OVERDUE:
            above = manager.manager
            if above is None:
                log.skip(what, f"{manager.name} has no manager to escalate to")
            elif not above.is_active:
                log.skip(what, f"{manager.name}'s manager {above.name} is deactivated")
            else:
                people.append(above)
    due = f"{plan.next_review_due:%-d %b %Y}"
    key = f"review:{plan.pk}:{label}:{kind}"
    link = reverse("growth:plan_detail", args=[engineer.pk])
    body = BODY.format(quarter=quarter, due=due)
    texts = TITLES[Kind(kind)]
    return [
        Message(
            recipient=person,
            kind=kind,
            dedupe_key=key,
            title=(texts.own if person == engineer else texts.theirs).format(
                name=engineer.name, due=due
            ),
            body=body,
            link=link,
            subject_id=plan.pk,
        )
        for person in people
    ]
