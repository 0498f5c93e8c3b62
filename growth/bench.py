"""Growth data for the benchmark's large org (`make bench`, home/bench/), in bulk.

Most engineers have a plan started up to two years ago, with experiments,
support commitments, comments, a quarterly review for every quarter since it
started (a few overdue) and the history the services would have written. The
measured engineer's plan is the full two years and busy, so their history runs
to more than one page. Rows are built in memory and inserted in batches; the
review snapshots come from the real `review_snapshot`, so they have the shape
the pages read (one query each, for the plan's commitments).
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Model
from django.utils import timezone
from tqdm import tqdm

from accounts.bench import BenchOrg
from accounts.models import Person
from growth.history import field_diff
from growth.models import (
    Experiment,
    GrowthPlan,
    PlanChange,
    PlanComment,
    QuarterlyReview,
    SupportCommitment,
    Transition,
    quarter_label,
)
from growth.quarters import Quarter
from growth.review_services import (
    ABANDONED,
    COMPLETED,
    NO_PROGRESS,
    PROGRESSING,
    review_snapshot,
)
from growth.services import COMMITMENT_FIELDS, EXPERIMENT_FIELDS, REVIEW_INTERVAL

BATCH = 1000
PLAN_SHARE = 0.85  # engineers with a plan

TOPICS = [
    "the reranker",
    "the retrieval index",
    "the eval harness",
    "the tokenizer",
    "the distillation run",
    "the feature store",
    "the serving path",
    "the labelling pipeline",
    "the safety classifier",
    "the A/B readout",
    "the vision backbone",
    "the speech decoder",
    "the prompt library",
]
MOVES = [
    "Writing the latency budget first changes which model I pick for {t}",
    "Three seeds per configuration show whether a gain on {t} is real",
    "Choosing baselines before the first run stops me moving the goalposts on {t}",
    "A pre-mortem on {t} catches at least one real incident early",
    "Pairing with the on-call engineer on {t} shortens my debugging loop",
    "Presenting {t} results at the team review gets sharper questions earlier",
    "Owning the rollback plan for {t} makes the launch review shorter",
    "Drift alerts on {t} catch a regression before the weekly report",
]
LEARNED = [
    "The budget ruled out the largest option on day one; a smaller one met it.",
    "Half of the earlier gains were inside seed variance.",
    "The team moved on before it mattered; the habit stayed.",
    "It worked once, and the second time showed where it does not.",
    "Too big for a quarter: split into two smaller experiments.",
]
COMMENTS = [
    "Nice result, can you share the notebook?",
    "Let's talk about this in our 1:1.",
    "The baseline numbers look off to me, worth a second look.",
    "This is exactly the kind of evidence the promotion case needs.",
    "Could you write this up for the wider team?",
    "Agreed, let's drop it and move on.",
]


@dataclass
class _Plan:
    """One plan's rows before they are inserted, and the moments they happened."""

    plan: GrowthPlan
    manager: Person
    started: date
    experiments: list[tuple[Experiment, date, date | None]] = field(default_factory=list)
    commitments: list[SupportCommitment] = field(default_factory=list)
    comments: list[tuple[PlanComment, datetime]] = field(default_factory=list)
    reviews_due: list[date] = field(default_factory=list)


def build_growth_bench(org: BenchOrg, *, rng: random.Random, bar: tqdm) -> None:
    """Plans and everything hanging off them for the active engineers of `org`."""
    today = timezone.localdate()
    transitions = {t.from_level: t for t in Transition.objects.all()}
    engineers = [p for p in org.engineers if p.is_active]
    chosen = [org.engineer] + [
        p for p in engineers if p.pk != org.engineer.pk and rng.random() < PLAN_SHARE
    ]
    plans: list[_Plan] = []
    for person in chosen:
        heavy = person.pk == org.engineer.pk
        months = 24 if heavy else rng.randint(0, 24)
        started = today - relativedelta(months=months) - timedelta(days=rng.randint(5, 25))
        manager = org.by_id[person.manager_id]  # type: ignore[index]
        plan = GrowthPlan(
            engineer=person,
            transition=transitions.get(person.level),
            aspiration=f"Take {rng.choice(TOPICS)} from notebook to production myself, "
            "with a latency budget, failure modes and monitoring I own.",
            gap="I hand off at evaluation and have not written an alert or a rollback plan.",
            next_review_due=started + REVIEW_INTERVAL,
        )
        plans.append(_plan_story(_Plan(plan, manager, started), today, rng, heavy=heavy))
    _insert(bar, "plans", GrowthPlan, [p.plan for p in plans])
    for p in plans:
        for experiment, _, _ in p.experiments:
            experiment.plan = p.plan
        for commitment in p.commitments:
            commitment.plan = p.plan
        for comment, _ in p.comments:
            comment.plan = p.plan
    _insert(bar, "experiments", Experiment, [e for p in plans for e, _, _ in p.experiments])
    _insert(bar, "commitments", SupportCommitment, [c for p in plans for c in p.commitments])
    comments = [(c, at) for p in plans for c, at in p.comments]
    _insert(bar, "comments", PlanComment, [c for c, _ in comments])
    for comment, at in comments:  # created_at is auto_now_add: set it afterwards
        comment.created_at = at
    PlanComment.objects.bulk_update([c for c, _ in comments], ["created_at"], batch_size=BATCH)
    reviews, changes = [], []
    bar.reset(total=len(plans))
    bar.set_description("reviews and history")
    for p in plans:
        plan_reviews = _reviews(p, rng)
        reviews += plan_reviews
        changes += _history(p, plan_reviews, rng)
        bar.update(1)
    _insert(bar, "reviews", QuarterlyReview, reviews)
    for change in changes:  # the reviews' own lines name them now they have ids
        if change.subject == "review":
            change.subject_id = change._review.pk  # type: ignore[attr-defined]
    _insert(bar, "history", PlanChange, changes)


def _plan_story(p: _Plan, today: date, rng: random.Random, *, heavy: bool) -> _Plan:
    """Experiments, commitments, comments and review dates from the start to today."""
    due = p.started + REVIEW_INTERVAL
    while due < today:
        p.reviews_due.append(due)
        due += REVIEW_INTERVAL
    # Most plans are reviewed on time; some have the latest review overdue.
    if p.reviews_due and not heavy and rng.random() < 0.1:
        due = p.reviews_due.pop()
    p.plan.next_review_due = due
    position = 0
    quarter_start = p.started
    while quarter_start <= today:
        for _ in range(3 if heavy else rng.randint(1, 2)):
            created = min(today, quarter_start + timedelta(days=rng.randint(1, 40)))
            topic = rng.choice(TOPICS)
            closed_on: date | None = created + timedelta(days=rng.randint(40, 110))
            status = rng.choice([Experiment.Status.DONE] * 3 + [Experiment.Status.ABANDONED])
            if closed_on is None or closed_on >= today:
                closed_on = None
                status = rng.choice([Experiment.Status.PLANNED, Experiment.Status.RUNNING])
            experiment = Experiment(
                hypothesis=rng.choice(MOVES).format(t=topic),
                what_to_try=f"Try it on {topic} before the next milestone, and write it down.",
                success_signal="The design doc or the review cites the result.",
                due_date=created + timedelta(days=rng.randint(45, 120)),
                status=status,
                learned=rng.choice(LEARNED) if closed_on else "",
                closed_on=closed_on,
                position=position,
            )
            position += 1
            p.experiments.append((experiment, created, closed_on))
        quarter_start += REVIEW_INTERVAL
    for _ in range(4 if heavy else rng.randint(0, 3)):
        p.commitments.append(
            SupportCommitment(
                manager=p.manager,
                kind=rng.choice(SupportCommitment.Kind.values),
                description=f"Put {p.plan.engineer.get_short_name()} on {rng.choice(TOPICS)}"
                " and review the design together before it ships.",
                due_date=p.started + timedelta(days=rng.randint(30, 700)),
                status=rng.choice(SupportCommitment.Status.values),
            )
        )
    days = max(1, (today - p.started).days)
    for _ in range(20 if heavy else rng.randint(0, 5)):
        author = rng.choice([p.plan.engineer, p.manager])
        at = _moment(p.started + timedelta(days=rng.randint(0, days)), rng)
        p.comments.append((PlanComment(author=author, body=rng.choice(COMMENTS)), at))
    return p


def _reviews(p: _Plan, rng: random.Random) -> list[QuarterlyReview]:
    """One review per quarter due, each with its snapshot of the plan as it stood."""
    reviews = []
    for i, due in enumerate(p.reviews_due):
        by = p.plan.engineer if i % 2 else p.manager
        window = due - timedelta(days=91)
        in_view = []
        progress: dict[int, tuple[str, str]] = {}
        for experiment, created, closed_on in p.experiments:
            if created > due or (closed_on and closed_on < window):
                continue
            as_then = copy.copy(experiment)
            if closed_on is None or closed_on > due:
                as_then.status, as_then.closed_on, as_then.learned = "running", None, ""
                choice = rng.choice([PROGRESSING, PROGRESSING, NO_PROGRESS])
            else:
                choice = COMPLETED if experiment.status == Experiment.Status.DONE else ABANDONED
            progress[experiment.pk] = (choice, "" if choice == NO_PROGRESS else "Two of five done")
            in_view.append(as_then)
        texts = {
            "what_changed": "Seed variance is in every table now; the launch slipped a week.",
            "next_quarter": "Baselines chosen before the first run, for every ablation.",
            "manager_note": "Presented the result at the team review." if by == p.manager else "",
        }
        snapshot = review_snapshot(
            p.plan,
            experiments=in_view,
            progress=progress,
            due=due,
            submitted_by=by,
            submitted_on=due,
            texts=texts,
        )
        reviews.append(
            QuarterlyReview(
                plan=p.plan,
                quarter=quarter_label(due),
                due_date=due,
                submitted_at=_moment(due, rng, hour=16),
                submitted_by=by,
                made_progress=snapshot["review"]["made_progress"],
                snapshot=snapshot,
                **texts,
            )
        )
    return reviews


def _history(p: _Plan, reviews: list[QuarterlyReview], rng: random.Random) -> list[PlanChange]:
    """The lines the services write for each of those events, at the time they happened."""
    engineer, plan = p.plan.engineer, p.plan

    def line(actor: Person, day: date, subject: str, action: str, summary: str, **extra):
        return PlanChange(
            plan=plan,
            actor=actor,
            at=extra.pop("at", None) or _moment(day, rng),
            subject=subject,
            action=action,
            summary=summary[:300],
            **extra,
        )

    created = _created_diff(plan, ["aspiration", "gap"])
    if plan.transition:
        created["Transition"] = [None, plan.transition.name]
    changes = [
        line(engineer, p.started, "plan", "created", "Started the growth plan", diff=created)
    ]
    for experiment, made, closed_on in p.experiments:
        about = {"subject_id": experiment.pk}
        changes.append(
            line(
                engineer,
                made,
                "experiment",
                "created",
                f"Added an experiment: {experiment}",
                diff=_created_diff(experiment, EXPERIMENT_FIELDS),
                **about,
            )
        )
        planned, running = copy.copy(experiment), copy.copy(experiment)
        planned.status = Experiment.Status.PLANNED
        running.status, running.learned, running.closed_on = Experiment.Status.RUNNING, "", None
        if experiment.status != Experiment.Status.PLANNED:
            changes.append(
                line(
                    engineer,
                    made + timedelta(days=3),
                    "experiment",
                    "updated",
                    f"Edited the experiment: {experiment}",
                    diff=field_diff(planned, running, EXPERIMENT_FIELDS),
                    **about,
                )
            )
        if closed_on:
            status = experiment.get_status_display().lower()
            changes.append(
                line(
                    engineer,
                    closed_on,
                    "experiment",
                    "closed",
                    f"Closed the experiment as {status}: {experiment}",
                    diff=field_diff(running, experiment, ["status", "learned"]),
                    **about,
                )
            )
    for commitment in p.commitments:
        changes.append(
            line(
                p.manager,
                p.started + timedelta(days=7),
                "commitment",
                "created",
                f"Committed to {commitment.get_kind_display().lower()}:"
                f" {commitment.description[:80]}",
                diff=_created_diff(commitment, COMMITMENT_FIELDS),
                subject_id=commitment.pk,
            )
        )
    for comment, at in p.comments:
        changes.append(
            line(
                comment.author,
                at.date(),
                "comment",
                "created",
                f"Commented: {comment.body[:80]}",
                at=at,
                subject_id=comment.pk,
            )
        )
    for review in reviews:
        due = review.due_date
        change = line(
            review.submitted_by,
            due,
            "review",
            "submitted",
            f"Submitted the {Quarter.parse(review.quarter)} quarterly review",
            at=review.submitted_at,
            diff={"Next review due": [due.isoformat(), (due + REVIEW_INTERVAL).isoformat()]},
        )
        change._review = review
        changes.append(change)
    return changes


def _created_diff(row: Model, fields: list[str]) -> dict:
    # As the services record a new row: its empty fields are not news.
    diff = field_diff(None, row, fields)
    return {label: pair for label, pair in diff.items() if pair[1] not in ("", None)}


def _moment(day: date, rng: random.Random, hour: int | None = None) -> datetime:
    at = time(hour if hour is not None else rng.randint(9, 17), rng.randint(0, 59))
    return timezone.make_aware(datetime.combine(day, at))


def _insert(bar: tqdm, what: str, model: type[Model], rows: list) -> None:
    bar.reset(total=len(rows))
    bar.set_description(what)
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])  # type: ignore[attr-defined]
        bar.update(len(rows[start : start + BATCH]))
