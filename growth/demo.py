"""Demo growth plans for the demo org (accounts/demo.py), in the states worth seeing.

`seed_growth_demo()` is safe to run again: a person who already has a plan is
left alone, so a demo someone has been clicking around in is never reset.
Dates are relative to the day of seeding so the demo never looks stale.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from accounts.models import Person
from growth.history import record_change
from growth.models import (
    Experiment,
    GrowthPlan,
    QuarterlyReview,
    SupportCommitment,
    Transition,
    quarter_label,
)
from growth.review_services import quarter_display, review_snapshot

ENGINEER = "engineer@example.com"  # Leo, mid: active plan, review due next week
FRESH = "amara.nwosu@example.com"  # junior, three months in: a plan with no experiments yet
OVERDUE = "sofia.marchetti@example.com"  # mid: review overdue
REVIEWED = "chen.wei@example.com"  # junior: two past quarterly reviews to compare
STAGNATING = "rahul.iyer@example.com"  # senior for 4+ years, no progress

STAGNATING_YEARS = 4


class _Seeder:
    def __init__(self, today: date) -> None:
        self.today = today
        self.transitions = {t.from_level: t for t in Transition.objects.all()}

    def plan(self, person: Person, *, aspiration: str, gap: str, due: date) -> GrowthPlan:
        plan = GrowthPlan.objects.create(
            engineer=person,
            transition=self.transitions.get(person.level),
            aspiration=aspiration,
            gap=gap,
            next_review_due=due,
        )
        self._log(plan, person, "plan", plan.pk, "created", "Started the growth plan")
        return plan

    def experiment(self, plan: GrowthPlan, hypothesis: str, **fields) -> Experiment:
        fields.setdefault("status", Experiment.Status.PLANNED)
        fields.setdefault("due_date", self.today + timedelta(days=45))
        experiment = Experiment.objects.create(
            plan=plan, hypothesis=hypothesis, position=plan.experiments.count(), **fields
        )
        summary = f"Added experiment “{hypothesis[:80]}”"
        self._log(plan, plan.engineer, "experiment", experiment.pk, "created", summary)
        return experiment

    def commitment(self, plan: GrowthPlan, kind: str, description: str, **fields):
        fields.setdefault("due_date", self.today + timedelta(days=30))
        commitment = SupportCommitment.objects.create(
            plan=plan, manager=plan.engineer.manager, kind=kind, description=description, **fields
        )
        summary = f"Committed to “{description[:80]}”"
        self._log(plan, plan.engineer.manager, "commitment", commitment.pk, "created", summary)
        return commitment

    def past_review(
        self,
        plan: GrowthPlan,
        *,
        due: date,
        by: Person,
        progress: dict[Experiment, tuple[str, str]],
        **texts: str,
    ) -> QuarterlyReview:
        """A review as if submitted on its due date: the snapshot is the plan as it is now."""
        by_id = {e.pk: entry for e, entry in progress.items()}
        snapshot = review_snapshot(
            plan,
            experiments=None,
            progress=by_id,
            due=due,
            submitted_by=by,
            submitted_on=due,
            texts=texts,
        )
        submitted_at = timezone.make_aware(datetime.combine(due, time(16, 0)))
        review = QuarterlyReview.objects.create(
            plan=plan,
            quarter=quarter_label(due),
            due_date=due,
            submitted_at=submitted_at,
            submitted_by=by,
            made_progress=snapshot["review"]["made_progress"],
            snapshot=snapshot,
            what_changed=texts["what_changed"],
            next_quarter=texts["next_quarter"],
            manager_note=texts.get("manager_note", ""),
        )
        summary = f"Submitted the {quarter_display(review.quarter)} quarterly review"
        self._log(plan, by, "review", review.pk, "submitted", summary, at=submitted_at)
        return review

    def _log(self, plan, actor, subject, subject_id, action, summary, at=None) -> None:
        change = record_change(
            plan=plan,
            actor=actor,
            subject=subject,
            subject_id=subject_id,
            action=action,
            summary=summary,
        )
        if at is not None:
            change.at = at
            change.save(update_fields=["at"])


def _active_plan_due_next_week(s: _Seeder, leo: Person) -> None:
    plan = s.plan(
        leo,
        aspiration=(
            "Take a retrieval model from notebook to production myself: set a latency "
            "budget, define the failure modes and put monitoring on them."
        ),
        gap=(
            "I have never owned a model in production. I hand off at evaluation and "
            "have not written an alert or a rollback plan."
        ),
        due=s.today + timedelta(days=7),
    )
    s.experiment(
        plan,
        "Writing the latency budget before training changes which model I pick",
        what_to_try="Write a p95 budget for the reranker before the next training run",
        success_signal="The model choice in the design doc cites the budget",
        due_date=s.today - timedelta(days=20),
        status=Experiment.Status.DONE,
        learned=(
            "The budget ruled out the largest reranker on day one; a distilled one met "
            "it with 1.5 points less recall."
        ),
        closed_on=s.today - timedelta(days=18),
    )
    s.experiment(
        plan,
        "Listing failure modes before launch catches at least one real incident early",
        what_to_try="Run a pre-mortem for the reranker with the serving team",
        success_signal="An alert from the pre-mortem list fires before users notice",
        due_date=s.today + timedelta(days=25),
        status=Experiment.Status.RUNNING,
    )
    s.experiment(
        plan,
        "Owning the rollback plan makes the launch review shorter",
        what_to_try="Write and rehearse the rollback for the reranker launch",
        success_signal="The launch review signs off the rollback without changes",
        due_date=s.today + timedelta(days=60),
    )
    s.commitment(
        plan,
        SupportCommitment.Kind.PROJECT,
        "Leo owns the reranker launch end to end, including on-call for its first two weeks",
        status=SupportCommitment.Status.IN_PROGRESS,
    )
    s.commitment(
        plan,
        SupportCommitment.Kind.EXPOSURE,
        "Invite Leo to the serving team's incident reviews this quarter",
    )


def _fresh_plan(s: _Seeder, amara: Person) -> None:
    s.plan(
        amara,
        aspiration=(
            "Design an ablation on my own that isolates one variable and that a reviewer "
            "accepts without asking for a rerun."
        ),
        gap="I change several settings per run and report a single seed.",
        due=s.today + relativedelta(months=3),
    )


def _overdue_review(s: _Seeder, sofia: Person) -> None:
    plan = s.plan(
        sofia,
        aspiration="Run the evaluation pipeline for a production model, alerts included.",
        gap="My evaluations stop at offline metrics; nobody is paged when they drift.",
        due=s.today - timedelta(days=12),
    )
    s.experiment(
        plan,
        "Drift alerts on the top three features catch a regression before the weekly report",
        what_to_try="Add drift monitors to the ranking features",
        success_signal="An alert links to a real regression",
        due_date=s.today + timedelta(days=10),
        status=Experiment.Status.RUNNING,
    )
    s.commitment(
        plan,
        SupportCommitment.Kind.FEEDBACK,
        "Review Sofia's monitoring design before it ships",
        due_date=s.today - timedelta(days=5),
    )


def _two_past_reviews(s: _Seeder, chen: Person) -> None:
    first_due = s.today - relativedelta(months=5)
    second_due = first_due + relativedelta(months=3)
    plan = s.plan(
        chen,
        aspiration="Design ablations for retrieval models that isolate one variable at a time.",
        gap="I change the retriever and the prompt in the same run.",
        due=first_due,
    )
    seeds = s.experiment(
        plan,
        "Three seeds per configuration show whether a gain is real",
        what_to_try="Run every retrieval ablation with three seeds",
        success_signal="Every result table reports variance",
        due_date=first_due + timedelta(days=30),
        status=Experiment.Status.RUNNING,
    )
    prompt = s.experiment(
        plan,
        "Freezing the prompt makes retriever comparisons fair",
        what_to_try="Pin the prompt template while comparing retrievers",
        success_signal="Two retrievers compared with only the retriever changed",
        due_date=first_due + timedelta(days=60),
    )
    s.past_review(
        plan,
        due=first_due,
        by=chen,
        progress={seeds: ("progressing", "Two of five ablations done"), prompt: ("none", "")},
        what_changed="I run three seeds now, and report the spread.",
        next_quarter="Finish the seed runs; start pinning the prompt.",
    )
    # The plan moves on between the two reviews, so comparing them shows something.
    plan.aspiration = (
        "Design ablations for ranking models that isolate one variable at a time, "
        "with baselines chosen before the first run."
    )
    plan.gap = "I change one variable at a time now, but pick baselines after seeing results."
    plan.next_review_due = second_due
    plan.save()
    s._log(plan, chen, "plan", plan.pk, "updated", "Rewrote the aspiration and the gap")
    Experiment.objects.filter(pk=seeds.pk).update(
        status=Experiment.Status.DONE,
        learned="Half of last quarter's 'gains' were inside seed variance.",
        closed_on=second_due - timedelta(days=20),
    )
    Experiment.objects.filter(pk=prompt.pk).update(
        status=Experiment.Status.ABANDONED,
        learned="The team moved to a fixed prompt anyway.",
        closed_on=second_due - timedelta(days=40),
    )
    s.experiment(
        plan,
        "Choosing baselines before the first run stops me moving the goalposts",
        what_to_try="Write the baselines into the experiment doc before running",
        success_signal="No baseline changes after results come in",
        due_date=s.today + timedelta(days=40),
        status=Experiment.Status.RUNNING,
    )
    s.past_review(
        plan,
        due=second_due,
        by=chen.manager,
        progress={seeds: ("completed", "Variance now in every table")},
        what_changed="Seed variance is reported everywhere; the prompt experiment was dropped.",
        next_quarter="Baselines chosen before the first run, for every ablation.",
        manager_note="Chen presented the seed-variance finding at the team review.",
    )
    plan.next_review_due = second_due + relativedelta(months=3)
    plan.save(update_fields=["next_review_due"])


def _stagnating_senior(s: _Seeder, rahul: Person) -> None:
    long_ago = s.today - relativedelta(years=STAGNATING_YEARS, months=2)
    if rahul.level_since > long_ago:
        # The demo org's dates are months-based; a stagnating senior needs years.
        rahul.level_since = long_ago
        rahul.save(update_fields=["level_since"])
    first_due = s.today - relativedelta(months=5)
    plan = s.plan(
        rahul,
        aspiration="Lead the cross-team retrieval roadmap.",
        gap="I am not in the rooms where the roadmap is decided.",
        due=first_due,
    )
    stale = s.experiment(
        plan,
        "Writing a one-page proposal gets me into the roadmap review",
        what_to_try="Write a proposal for shared retrieval infrastructure",
        success_signal="Invited to present it at the roadmap review",
        due_date=first_due - timedelta(days=30),
    )
    s.past_review(
        plan,
        due=first_due,
        by=rahul.manager,
        progress={stale: ("none", "Not started")},
        what_changed="Nothing moved: on-call and the migration took the quarter.",
        next_quarter="Write the proposal.",
        manager_note="Protect two afternoons a month for the proposal.",
    )
    second_due = first_due + relativedelta(months=3)
    s.past_review(
        plan,
        due=second_due,
        by=rahul,
        progress={stale: ("none", "Still not started")},
        what_changed="The proposal is still a heading.",
        next_quarter="Write the proposal.",
    )
    plan.next_review_due = second_due + relativedelta(months=3)
    plan.save(update_fields=["next_review_due"])


SEEDERS = [
    (ENGINEER, _active_plan_due_next_week),
    (FRESH, _fresh_plan),
    (OVERDUE, _overdue_review),
    (REVIEWED, _two_past_reviews),
    (STAGNATING, _stagnating_senior),
]


@transaction.atomic
def seed_growth_demo() -> dict:
    """Add the demo growth plans to the demo org. Returns how many plans were created."""
    seeder = _Seeder(timezone.localdate())
    emails = [email for email, _ in SEEDERS]
    people = {p.email: p for p in Person.objects.filter(email__in=emails).select_related("manager")}
    with_plan = set(
        GrowthPlan.objects.filter(engineer__in=people.values()).values_list(
            "engineer__email", flat=True
        )
    )
    created = 0
    for email, seed in SEEDERS:
        person = people.get(email)
        # Missing: the demo org was not loaded. Planned already: leave it alone.
        if person is None or email in with_plan:
            continue
        seed(seeder, person)
        created += 1
    return {"created": created}
