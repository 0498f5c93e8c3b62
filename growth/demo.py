"""Demo growth plans for the demo org (accounts/demo.py), in the states worth seeing.

`seed_growth_demo(people)` is safe to run again: a person who already has a plan
is left alone, so a demo someone has been clicking around in is never reset.
It only reads people; their levels and dates are the org seeder's.

Everything goes through the same services as the pages (growth/services.py,
growth/review_services.py), with the right person acting, so the demo's history,
snapshots and review dates read exactly like real ones. Those services take an
optional `at`: the demo passes past moments, relative to the day of seeding so
the demo never looks stale. A plan's first review is due one quarter after it
starts (as for any plan), so each story starts its plan a quarter before the
review it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from accounts.models import Person
from growth.models import (
    Experiment,
    GrowthPlan,
    QuarterlyReview,
    SupportCommitment,
    Transition,
)
from growth.review_services import (
    ABANDONED,
    COMPLETED,
    NO_PROGRESS,
    PROGRESSING,
    submit_quarterly_review,
)
from growth.services import (
    REVIEW_INTERVAL,
    add_support_commitment,
    close_experiment,
    create_experiment,
    save_plan,
    update_experiment,
    update_support_commitment,
)

ENGINEER = "engineer@example.com"  # Leo, mid: active plan, review due next week
FRESH = "amara.nwosu@example.com"  # junior, three months in: a plan with no experiments yet
OVERDUE = "sofia.marchetti@example.com"  # mid: review overdue
REVIEWED = "chen.wei@example.com"  # junior: two past quarterly reviews to compare
STAGNATING = "rahul.iyer@example.com"  # senior for 4+ years (accounts/demo.py), no progress


class _Seeder:
    """The services, called as the engineer or their manager would, on a given day."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.transitions = {t.from_level: t for t in Transition.objects.all()}

    @staticmethod
    def manager_of(engineer: Person) -> Person:
        # seed_growth_demo only seeds people who have a manager.
        assert engineer.manager is not None
        return engineer.manager

    def on(self, day: date, hour: int = 10) -> datetime:
        """A moment on `day`, never later than now."""
        return min(timezone.make_aware(datetime.combine(day, time(hour))), self.now)

    def plan(self, engineer: Person, started: date, *, aspiration: str, gap: str) -> GrowthPlan:
        """The engineer starts their plan; its first review is due a quarter later."""
        return save_plan(
            engineer=engineer,
            actor=engineer,
            version=0,
            aspiration=aspiration,
            gap=gap,
            transition=self.transitions.get(engineer.level),
            at=self.on(started),
        )

    def edit_plan(self, plan: GrowthPlan, day: date, *, aspiration: str, gap: str) -> GrowthPlan:
        return save_plan(
            engineer=plan.engineer,
            actor=plan.engineer,
            version=plan.version,
            aspiration=aspiration,
            gap=gap,
            transition=plan.transition,
            at=self.on(day),
        )

    def experiment(
        self,
        plan: GrowthPlan,
        day: date,
        hypothesis: str,
        *,
        what_to_try: str,
        success_signal: str,
        due_date: date,
    ) -> Experiment:
        return create_experiment(
            plan=plan,
            actor=plan.engineer,
            hypothesis=hypothesis,
            what_to_try=what_to_try,
            success_signal=success_signal,
            due_date=due_date,
            at=self.on(day),
        )

    def start(self, experiment: Experiment, day: date) -> Experiment:
        """Planned → running, through the experiment's edit form."""
        return update_experiment(
            experiment=experiment,
            actor=experiment.plan.engineer,
            version=experiment.version,
            hypothesis=experiment.hypothesis,
            what_to_try=experiment.what_to_try,
            success_signal=experiment.success_signal,
            due_date=experiment.due_date,
            status=Experiment.Status.RUNNING,
            learned=experiment.learned,
            at=self.on(day),
        )

    def close(self, experiment: Experiment, day: date, status: str, learned: str) -> Experiment:
        return close_experiment(
            experiment=experiment,
            actor=experiment.plan.engineer,
            version=experiment.version,
            status=status,
            learned=learned,
            at=self.on(day),
        )

    def commit(
        self, plan: GrowthPlan, day: date, kind: str, description: str, *, due_date: date
    ) -> SupportCommitment:
        return add_support_commitment(
            plan=plan,
            manager=self.manager_of(plan.engineer),
            kind=kind,
            description=description,
            due_date=due_date,
            at=self.on(day),
        )

    def commitment_status(
        self, commitment: SupportCommitment, day: date, status: str
    ) -> SupportCommitment:
        return update_support_commitment(
            commitment=commitment,
            actor=commitment.manager,
            version=commitment.version,
            kind=commitment.kind,
            description=commitment.description,
            due_date=commitment.due_date,
            status=status,
            at=self.on(day),
        )

    def review(
        self,
        plan: GrowthPlan,
        *,
        by: Person,
        progress: dict[Experiment, tuple[str, str]],
        what_changed: str,
        next_quarter: str,
        manager_note: str = "",
    ) -> QuarterlyReview:
        """The review, submitted on the afternoon of its due date."""
        return submit_quarterly_review(
            plan=plan,
            submitted_by=by,
            what_changed=what_changed,
            next_quarter=next_quarter,
            manager_note=manager_note,
            progress={experiment.pk: entry for experiment, entry in progress.items()},
            at=self.on(plan.next_review_due, hour=16),
        )


def _active_plan_due_next_week(s: _Seeder, leo: Person) -> None:
    # Started a quarter before the review due next week. (A quarter back and
    # forth from a 29th-31st can land a few days short: due in 4 to 7 days.)
    started = s.today + timedelta(days=7) - REVIEW_INTERVAL
    plan = s.plan(
        leo,
        started,
        aspiration=(
            "Take a retrieval model from notebook to production myself: set a latency "
            "budget, define the failure modes and put monitoring on them."
        ),
        gap=(
            "I have never owned a model in production. I hand off at evaluation and "
            "have not written an alert or a rollback plan."
        ),
    )
    budget = s.experiment(
        plan,
        started + timedelta(days=2),
        "Writing the latency budget before training changes which model I pick",
        what_to_try="Write a p95 budget for the reranker before the next training run",
        success_signal="The model choice in the design doc cites the budget",
        due_date=s.today - timedelta(days=20),
    )
    launch = s.commit(
        plan,
        started + timedelta(days=3),
        SupportCommitment.Kind.PROJECT,
        "Leo owns the reranker launch end to end, including on-call for its first two weeks",
        due_date=s.today + timedelta(days=30),
    )
    premortem = s.experiment(
        plan,
        started + timedelta(days=5),
        "Listing failure modes before launch catches at least one real incident early",
        what_to_try="Run a pre-mortem for the reranker with the serving team",
        success_signal="An alert from the pre-mortem list fires before users notice",
        due_date=s.today + timedelta(days=25),
    )
    budget = s.start(budget, started + timedelta(days=6))
    s.commitment_status(launch, started + timedelta(days=30), SupportCommitment.Status.IN_PROGRESS)
    s.start(premortem, s.today - timedelta(days=15))
    s.close(
        budget,
        s.today - timedelta(days=18),
        Experiment.Status.DONE,
        "The budget ruled out the largest reranker on day one; a distilled one met "
        "it with 1.5 points less recall.",
    )
    s.experiment(
        plan,
        s.today - timedelta(days=10),
        "Owning the rollback plan makes the launch review shorter",
        what_to_try="Write and rehearse the rollback for the reranker launch",
        success_signal="The launch review signs off the rollback without changes",
        due_date=s.today + timedelta(days=60),
    )
    s.commit(
        plan,
        s.today - timedelta(days=10),
        SupportCommitment.Kind.EXPOSURE,
        "Invite Leo to the serving team's incident reviews this quarter",
        due_date=s.today + timedelta(days=30),
    )


def _fresh_plan(s: _Seeder, amara: Person) -> None:
    s.plan(
        amara,
        s.today,
        aspiration=(
            "Design an ablation on my own that isolates one variable and that a reviewer "
            "accepts without asking for a rerun."
        ),
        gap="I change several settings per run and report a single seed.",
    )


def _overdue_review(s: _Seeder, sofia: Person) -> None:
    started = s.today - timedelta(days=12) - REVIEW_INTERVAL  # review due 12 days ago
    plan = s.plan(
        sofia,
        started,
        aspiration="Run the evaluation pipeline for a production model, alerts included.",
        gap="My evaluations stop at offline metrics; nobody is paged when they drift.",
    )
    drift = s.experiment(
        plan,
        started + timedelta(days=5),
        "Drift alerts on the top three features catch a regression before the weekly report",
        what_to_try="Add drift monitors to the ranking features",
        success_signal="An alert links to a real regression",
        due_date=s.today + timedelta(days=10),
    )
    s.commit(
        plan,
        started + timedelta(days=7),
        SupportCommitment.Kind.FEEDBACK,
        "Review Sofia's monitoring design before it ships",
        due_date=s.today - timedelta(days=5),
    )
    s.start(drift, started + timedelta(days=20))


def _two_past_reviews(s: _Seeder, chen: Person) -> None:
    started = s.today - relativedelta(months=5) - REVIEW_INTERVAL  # first review 5 months ago
    plan = s.plan(
        chen,
        started,
        aspiration="Design ablations for retrieval models that isolate one variable at a time.",
        gap="I change the retriever and the prompt in the same run.",
    )
    first_due = plan.next_review_due
    seeds = s.experiment(
        plan,
        started + timedelta(days=3),
        "Three seeds per configuration show whether a gain is real",
        what_to_try="Run every retrieval ablation with three seeds",
        success_signal="Every result table reports variance",
        due_date=first_due + timedelta(days=30),
    )
    prompt = s.experiment(
        plan,
        started + timedelta(days=4),
        "Freezing the prompt makes retriever comparisons fair",
        what_to_try="Pin the prompt template while comparing retrievers",
        success_signal="Two retrievers compared with only the retriever changed",
        due_date=first_due + timedelta(days=60),
    )
    seeds = s.start(seeds, started + timedelta(days=10))
    s.review(
        plan,
        by=chen,
        progress={
            seeds: (PROGRESSING, "Two of five ablations done"),
            prompt: (NO_PROGRESS, ""),
        },
        what_changed="I run three seeds now, and report the spread.",
        next_quarter="Finish the seed runs; start pinning the prompt.",
    )
    # The plan moves on between the two reviews, so comparing them shows something.
    second_due = plan.next_review_due
    plan = s.edit_plan(
        plan,
        first_due + timedelta(days=14),
        aspiration=(
            "Design ablations for ranking models that isolate one variable at a time, "
            "with baselines chosen before the first run."
        ),
        gap="I change one variable at a time now, but pick baselines after seeing results.",
    )
    prompt = s.close(
        prompt,
        second_due - timedelta(days=40),
        Experiment.Status.ABANDONED,
        "The team moved to a fixed prompt anyway.",
    )
    seeds = s.close(
        seeds,
        second_due - timedelta(days=20),
        Experiment.Status.DONE,
        "Half of last quarter's 'gains' were inside seed variance.",
    )
    baselines = s.experiment(
        plan,
        second_due - timedelta(days=15),
        "Choosing baselines before the first run stops me moving the goalposts",
        what_to_try="Write the baselines into the experiment doc before running",
        success_signal="No baseline changes after results come in",
        due_date=s.today + timedelta(days=40),
    )
    baselines = s.start(baselines, second_due - timedelta(days=10))
    s.review(
        plan,
        by=s.manager_of(chen),
        progress={
            seeds: (COMPLETED, "Variance now in every table"),
            prompt: (ABANDONED, "The team fixed the prompt for everyone"),
            baselines: (PROGRESSING, "Baselines written down for two ablations"),
        },
        what_changed="Seed variance is reported everywhere; the prompt experiment was dropped.",
        next_quarter="Baselines chosen before the first run, for every ablation.",
        manager_note="Chen presented the seed-variance finding at the team review.",
    )


def _stagnating_senior(s: _Seeder, rahul: Person) -> None:
    started = s.today - relativedelta(months=5) - REVIEW_INTERVAL  # first review 5 months ago
    plan = s.plan(
        rahul,
        started,
        aspiration="Lead the cross-team retrieval roadmap.",
        gap="I am not in the rooms where the roadmap is decided.",
    )
    first_due = plan.next_review_due
    stale = s.experiment(
        plan,
        started + timedelta(days=10),
        "Writing a one-page proposal gets me into the roadmap review",
        what_to_try="Write a proposal for shared retrieval infrastructure",
        success_signal="Invited to present it at the roadmap review",
        due_date=first_due - timedelta(days=30),
    )
    s.review(
        plan,
        by=s.manager_of(rahul),
        progress={stale: (NO_PROGRESS, "Not started")},
        what_changed="Nothing moved: on-call and the migration took the quarter.",
        next_quarter="Write the proposal.",
        manager_note="Protect two afternoons a month for the proposal.",
    )
    s.commit(
        plan,
        first_due + timedelta(days=2),
        SupportCommitment.Kind.EXPOSURE,
        "Bring Rahul to the next roadmap review as an observer",
        due_date=first_due + timedelta(days=45),
    )
    s.review(
        plan,
        by=rahul,
        progress={stale: (NO_PROGRESS, "Still not started")},
        what_changed="The proposal is still a heading.",
        next_quarter="Write the proposal.",
    )


SEEDERS = [
    (ENGINEER, _active_plan_due_next_week),
    (FRESH, _fresh_plan),
    (OVERDUE, _overdue_review),
    (REVIEWED, _two_past_reviews),
    (STAGNATING, _stagnating_senior),
]


@transaction.atomic
def seed_growth_demo(people: Mapping[str, Person]) -> int:
    """Add the demo growth plans for `people` (by email). Returns how many it created."""
    seeder = _Seeder(timezone.now())
    with_plan = set(
        GrowthPlan.objects.filter(engineer__in=people.values()).values_list(
            "engineer__email", flat=True
        )
    )
    created = 0
    for email, seed in SEEDERS:
        person = people.get(email)
        # Not in the demo org, planned already, or (edited to) without a manager
        # to support and review with: leave them alone.
        if person is None or email in with_plan or person.manager_id is None:
            continue
        seed(seeder, person)
        created += 1
    return created
