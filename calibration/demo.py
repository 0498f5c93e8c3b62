"""Demo calibration for the demo org (accounts/demo.py): evidence, one published cycle,
one cycle in its calibration session.

`seed_calibration_demo(people)` is safe to run again: if any demo person already has
work items or is in a cycle, it adds nothing, so a demo someone has been clicking
around in is never reset and never doubled.

Everything goes through calibration/services.py with the right person acting and a
past `at`, relative to the day of seeding: managers add their team's work items, the
engineers confirm their own contribution, the director (Dana) opens each cycle, every
manager drafts and locks ratings for their reports (Dana for her managers), Dana moves
the cycle on. The rubric is whatever is in the database (migration calibration/0002
seeds it); without dimensions there is nothing to rate and nothing is seeded.

The stories worth seeing, in the cycle being calibrated:

- Priya (manager@example.com) rates mostly 4s, Keiko mostly 2s: the session shows
  one lenient and one severe manager beside two in line;
- Diego's lucky learning-rate sweep is rated 4 on experiment design because it "beat
  the baseline by 3 points and shipped" (outcome-justified?);
- Fatima's pre-registered judge study found nothing, rigorously; Keiko rates her
  evidence 2 on two negative results (negative result penalised?);
- Kwame's reproducibility rating cites only work from the period's last weeks (recency);
- Keiko raises Ben after her draft is locked and she has seen a result (changed after
  seeing results);
- Jonas built the load-testing harness that Leo's latency experiment ran on, and Amara
  found the leak in the RAG eval set: the attribution view answers who did what.

And the cycle before, published: Leo (engineer@example.com) reads his final ratings;
the session lowered two of Priya's 4s and raised one of Keiko's 2s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Person
from calibration import services
from calibration.models import (
    CalibrationCycle,
    Contribution,
    CycleMember,
    Dimension,
    Rating,
    WorkItem,
)
from calibration.services import ContributorInput
from growth.panels import experiments_of

DIRECTOR = "director@example.com"  # Dana: opens and runs both cycles
LENIENT = "manager@example.com"  # Priya: mostly 4s
SEVERE = "keiko.tanaka@example.com"  # Keiko: mostly 2s
ENGINEER = "engineer@example.com"  # Leo: reads the published cycle

PERIOD_DAYS = 181  # about six months
# The cycle being calibrated ends two weeks before the day of seeding.
CURRENT_ENDS_DAYS_AGO = 14

Kind = WorkItem.Kind
Result = WorkItem.Result
Role = Contribution.Role

# Each manager's habit, cycled through their ratings in order. Story ratings below
# override single scores.
HABITS: dict[str, list[int]] = {
    LENIENT: [4, 4, 3, 4, 4, 4, 4, 4, 3, 4],
    SEVERE: [2, 2, 3, 2, 2, 2, 1, 2, 3, 2],
}
IN_LINE = [3, 3, 4, 3, 2, 3, 3, 4, 3, 3]

ROLE_STATEMENTS: dict[str, str] = {
    Role.DESIGNED: "Wrote the hypothesis, the baseline and the ablation plan before the first run.",
    Role.FOUND_DATA_ISSUE: "Spotted the problem in the data and traced it to its source.",
    Role.BUILT_INFRA: "Built the tooling the runs depended on and kept it working.",
    Role.RAN: "Ran the experiment: configs, seeds and the run log.",
    Role.ANALYSED: "Analysed the runs: variance across seeds and what the numbers support.",
    Role.WROTE_UP: "Wrote it up for the team, including what did not work.",
}

# Process justifications by dimension key, for scores 3–4 ("high") and 1–2 ("low").
# None of them speaks of outcomes: the one outcome-justified rating is a story below.
JUSTIFICATIONS: dict[tuple[str, str], list[str]] = {
    ("experiment-design", "high"): [
        "Wrote the hypothesis and the baseline down before the first run and changed one "
        "factor per comparison, with seeds and data versions fixed.",
        "Chose ablations whose answer would change a decision, and wrote down in advance "
        "what would falsify the idea.",
    ],
    ("experiment-design", "low"): [
        "Compared runs differ in more than one factor (data, prompt and seed), so no "
        "difference can be attributed to one of them.",
        "The hypothesis was written after the runs, and the baseline was copied from a "
        "paper rather than tuned with the same budget.",
    ],
    ("evidence-and-statistics", "high"): [
        "Reports mean and spread over three seeds and calls a difference real only when "
        "it exceeds that spread.",
        "Checked the eval set was large enough to detect the effect before concluding, "
        "and stated in the write-up what the evidence does not support.",
    ],
    ("evidence-and-statistics", "low"): [
        "Single-seed numbers reported as findings; no check of run-to-run variance.",
        "Picked the best of several seeds for the table instead of the mean and spread.",
    ],
    ("failure-documentation", "high"): [
        "Wrote up the runs that did not work, with the setup and the likely reason, "
        "where the team looks first.",
        "The post-mortem changed what the team tried next; two people cited it in their "
        "own experiment plans.",
    ],
    ("failure-documentation", "low"): [
        "Abandoned runs left no trace; a teammate repeated one of them a month later.",
        "Failures came up in stand-up but were never written down with their setup.",
    ],
    ("reproducibility", "high"): [
        "Every number in the write-up ties to a commit, a data version and seeds; a "
        "teammate reran the main table from the write-up alone.",
        "One command reruns the experiment, and the harness checks it in CI.",
    ],
    ("reproducibility", "low"): [
        "The main table lives in a notebook nobody else can rerun; the data snapshot "
        "was not recorded.",
        "Code is committed but the environment and seeds are not; rerunning needed the "
        "author's help.",
    ],
    ("production-thinking", "high"): [
        "Set the latency and cost budget before choosing the model and listed the "
        "failure modes in the design doc, with alerts and a rollback plan.",
        "Measured p95 under realistic load and staged the rollout behind monitoring.",
    ],
    ("production-thinking", "low"): [
        "Handed off at offline evaluation: no latency numbers, no monitoring, no rollback plan.",
        "Latency was measured once on a laptop; failure modes were left to the serving team.",
    ],
    ("organizational-leverage", "high"): [
        "Wrote the proposal another team adopted, stating the assumptions and what "
        "evidence would change the decision; mentors a junior every week.",
        "The shared tooling is used by two other teams, and the reading group on "
        "ablation design runs without them now.",
    ],
    ("organizational-leverage", "low"): [
        "Proposals stayed inside the team and were not written down.",
        "Helps when asked, but the tooling stays in their own notebooks and others rebuild it.",
    ],
}
GENERIC = {
    "high": ["Careful, documented process throughout the period; see the cited work."],
    "low": ["The cited work shows gaps in process that the next cycle should close."],
}


@dataclass(frozen=True)
class Item:
    key: str
    day: int  # days after the period starts
    kind: str
    result: str
    title: str
    write_up: str
    contributors: tuple[tuple[str, str], ...]  # (email, role)
    actor: str  # who adds it: a manager of everyone on it, or the director


@dataclass(frozen=True)
class Story:
    """One rating told on purpose: its score, justification and cited work items."""

    score: int
    justification: str
    evidence: tuple[str, ...]


LEO = ENGINEER
AMARA = "amara.nwosu@example.com"
RAHUL = "rahul.iyer@example.com"
SOFIA = "sofia.marchetti@example.com"
CHEN = "chen.wei@example.com"
HANNAH = "hannah.berg@example.com"
DIEGO = "diego.ramirez@example.com"
TOMASZ = "tomasz.nowak@example.com"
YUSUF = "yusuf.demir@example.com"
MAYA = "maya.goldberg@example.com"
KWAME = "kwame.boateng@example.com"
ELENA = "elena.petrova@example.com"
JONAS = "jonas.lindqvist@example.com"
AIKO = "aiko.sato@example.com"
KEIKO = SEVERE
FATIMA = "fatima.el.amrani@example.com"
OLIVER = "oliver.grant@example.com"
NADIA = "nadia.haddad@example.com"
RAVI = "ravi.shankar@example.com"
LUCIA = "lucia.torres@example.com"
BEN = "ben.adeyemi@example.com"
SAMUEL = "samuel.mensah@example.com"
INGRID = "ingrid.halvorsen@example.com"
MARCO = "marco.bianchi@example.com"
ZAINAB = "zainab.bello@example.com"
THOMAS = "thomas.keller@example.com"
ANIKA = "anika.sharma@example.com"
HUGO = "hugo.laurent@example.com"
GRACE = "grace.osei@example.com"
PRIYA = LENIENT

# The cycle being calibrated. The last fifth of a 181-day period starts on day 145.
CURRENT_ITEMS = [
    Item(
        "hybrid",
        18,
        Kind.EXPERIMENT,
        Result.POSITIVE,
        "Hybrid BM25 + dense retrieval on the support corpus",
        "Three seeds per configuration, baseline tuned with the same budget.",
        ((RAHUL, Role.DESIGNED), (CHEN, Role.RAN), (SOFIA, Role.ANALYSED)),
        PRIYA,
    ),
    Item(
        "cache",
        30,
        Kind.INFRASTRUCTURE,
        Result.POSITIVE,
        "Shared embedding cache for the RAG services",
        "Keyed by model and data version so cached vectors are never mixed.",
        ((HANNAH, Role.BUILT_INFRA), (LEO, Role.RAN)),
        PRIYA,
    ),
    Item(
        "leak",
        40,
        Kind.INCIDENT,
        Result.NEGATIVE,
        "Queries leaking between the train and eval splits of the RAG eval set",
        "Near-duplicate queries sat on both sides of the split; last quarter's gains on "
        "this set are not evidence. Split rebuilt by query cluster.",
        ((AMARA, Role.FOUND_DATA_ISSUE), (SOFIA, Role.ANALYSED), (PRIYA, Role.WROTE_UP)),
        PRIYA,
    ),
    Item(
        "sweep",
        75,
        Kind.EXPERIMENT,
        Result.POSITIVE,
        "Learning-rate and warmup sweep on the reranker",
        "Forty settings, one seed each; the best is 3 nDCG points over the baseline on the "
        "dev set. Why it helps was not looked into, and the gain was not rerun.",
        ((DIEGO, Role.RAN), (DIEGO, Role.ANALYSED)),
        PRIYA,
    ),
    Item(
        "evalset",
        120,
        Kind.PROJECT,
        Result.POSITIVE,
        "Retrieval eval set v2 with held-out query clusters",
        "Built after the leak: clusters assigned to splits before any labelling.",
        ((HANNAH, Role.DESIGNED), (AMARA, Role.BUILT_INFRA), (CHEN, Role.WROTE_UP)),
        PRIYA,
    ),
    Item(
        "grounding",
        135,
        Kind.PROJECT,
        Result.INCONCLUSIVE,
        "Citation grounding checks for generated answers",
        "Agreement with raters is within noise at this sample size; more labels needed.",
        (
            (SOFIA, Role.DESIGNED),
            (DIEGO, Role.RAN),
            (RAHUL, Role.ANALYSED),
            (PRIYA, Role.WROTE_UP),
        ),
        PRIYA,
    ),
    # Leo's experiment ran on the load-testing harness Jonas (Serving) built: the
    # director adds it, since it crosses two teams.
    Item(
        "distilled",
        140,
        Kind.EXPERIMENT,
        Result.POSITIVE,
        "Distilled reranker under a p95 latency budget",
        "Budget written before training; the largest reranker was ruled out on day one. "
        "The distilled model meets the budget with 1.5 points less recall.",
        ((LEO, Role.DESIGNED), (LEO, Role.RAN), (JONAS, Role.BUILT_INFRA)),
        DIRECTOR,
    ),
    Item(
        "harness",
        10,
        Kind.INFRASTRUCTURE,
        Result.POSITIVE,
        "Load-testing harness for model endpoints",
        "Replays recorded traffic at 1×–5× and reports p50/p95/p99 per endpoint.",
        ((JONAS, Role.BUILT_INFRA), (AIKO, Role.RAN)),
        TOMASZ,
    ),
    Item(
        "int8",
        45,
        Kind.EXPERIMENT,
        Result.POSITIVE,
        "INT8 quantisation of the ranking model under a p95 budget",
        "Quality checked per traffic slice, not only on the aggregate.",
        ((MAYA, Role.DESIGNED), (YUSUF, Role.BUILT_INFRA), (KWAME, Role.RAN)),
        TOMASZ,
    ),
    Item(
        "stale",
        80,
        Kind.INCIDENT,
        Result.NEGATIVE,
        "Stale features served after the nightly snapshot job failed",
        "Four days of stale features; no alert fired. Freshness check added.",
        ((JONAS, Role.FOUND_DATA_ISSUE), (ELENA, Role.ANALYSED), (TOMASZ, Role.WROTE_UP)),
        TOMASZ,
    ),
    Item(
        "canary",
        115,
        Kind.PROJECT,
        Result.POSITIVE,
        "Canary rollout with automatic rollback",
        "Rolls back on error rate or latency regressions within ten minutes.",
        (
            (ELENA, Role.DESIGNED),
            (YUSUF, Role.RAN),
            (AIKO, Role.WROTE_UP),
            (TOMASZ, Role.ANALYSED),
        ),
        TOMASZ,
    ),
    # Kwame's late work: both in the last fifth of the period.
    Item(
        "pinned",
        150,
        Kind.INFRASTRUCTURE,
        Result.POSITIVE,
        "Pinned dependencies for the serving images",
        "Every image builds from a lock file; a rebuild is byte-for-byte the same.",
        ((KWAME, Role.BUILT_INFRA),),
        TOMASZ,
    ),
    Item(
        "batching",
        165,
        Kind.EXPERIMENT,
        Result.INCONCLUSIVE,
        "Batching window sweep for GPU inference",
        "Throughput and p95 per window size; differences within noise above 8 ms.",
        ((MAYA, Role.DESIGNED), (KWAME, Role.RAN), (KWAME, Role.ANALYSED)),
        TOMASZ,
    ),
    Item(
        "runner",
        15,
        Kind.INFRASTRUCTURE,
        Result.POSITIVE,
        "Eval runner with pinned seeds and dataset hashes",
        "Every eval result records the dataset hash, seeds and commit.",
        ((RAVI, Role.BUILT_INFRA), (LUCIA, Role.RAN), (OLIVER, Role.ANALYSED)),
        KEIKO,
    ),
    # The rigorous negative result: pre-registered, three seeds, held-out raters.
    Item(
        "judge-cot",
        25,
        Kind.EXPERIMENT,
        Result.NEGATIVE,
        "Pre-registered: does a chain-of-thought judge agree better with human raters?",
        "Hypothesis, metric and stopping rule registered before the runs; three seeds; "
        "held-out raters. No difference in agreement (95% CI spans zero). Written up so "
        "nobody pays for the longer prompts again.",
        ((FATIMA, Role.DESIGNED), (OLIVER, Role.RAN), (FATIMA, Role.ANALYSED)),
        KEIKO,
    ),
    Item(
        "calibration",
        50,
        Kind.PROJECT,
        Result.POSITIVE,
        "Judge calibration against 2,000 human labels",
        "Per-slice agreement with confidence intervals; thresholds set per slice.",
        ((BEN, Role.DESIGNED), (RAVI, Role.RAN), (NADIA, Role.ANALYSED), (FATIMA, Role.WROTE_UP)),
        KEIKO,
    ),
    Item(
        "labels",
        60,
        Kind.INCIDENT,
        Result.POSITIVE,
        "Label noise in the summarisation eval",
        "One rater's batch was labelled against the old guidelines; relabelled.",
        ((LUCIA, Role.FOUND_DATA_ISSUE), (KEIKO, Role.WROTE_UP)),
        KEIKO,
    ),
    Item(
        "long-context",
        90,
        Kind.EXPERIMENT,
        Result.NEGATIVE,
        "A larger judge model on the long-context eval",
        "Same agreement as the small judge at four times the cost; three seeds.",
        ((FATIMA, Role.DESIGNED), (LUCIA, Role.RAN)),
        KEIKO,
    ),
    Item(
        "drift",
        110,
        Kind.EXPERIMENT,
        Result.INCONCLUSIVE,
        "Toxicity classifier drift on the new traffic mix",
        "Drift is visible on two slices; too few labels yet to say whether it matters.",
        (
            (NADIA, Role.DESIGNED),
            (BEN, Role.ANALYSED),
            (OLIVER, Role.WROTE_UP),
            (KEIKO, Role.ANALYSED),
        ),
        KEIKO,
    ),
    Item(
        "pretraining",
        12,
        Kind.EXPERIMENT,
        Result.POSITIVE,
        "Self-supervised pretraining on unlabelled shelf images",
        "Ablated against ImageNet initialisation with the same fine-tuning budget.",
        ((INGRID, Role.DESIGNED), (MARCO, Role.RAN), (THOMAS, Role.ANALYSED)),
        SAMUEL,
    ),
    Item(
        "mislabels",
        55,
        Kind.INCIDENT,
        Result.NEGATIVE,
        "Mislabelled classes in the defect dataset",
        "Two defect classes swapped in one supplier's batch since January.",
        ((ZAINAB, Role.FOUND_DATA_ISSUE), (GRACE, Role.ANALYSED)),
        SAMUEL,
    ),
    Item(
        "tta",
        85,
        Kind.EXPERIMENT,
        Result.INCONCLUSIVE,
        "Test-time augmentation ablation",
        "Gains within seed variance on every slice but glare.",
        ((ANIKA, Role.DESIGNED), (HUGO, Role.RAN), (ZAINAB, Role.ANALYSED)),
        SAMUEL,
    ),
    Item(
        "annotation",
        105,
        Kind.INFRASTRUCTURE,
        Result.POSITIVE,
        "Annotation review tool",
        "Second-rater review with disagreement queues.",
        ((GRACE, Role.BUILT_INFRA), (HUGO, Role.RAN), (SAMUEL, Role.WROTE_UP)),
        SAMUEL,
    ),
    Item(
        "edge",
        130,
        Kind.PROJECT,
        Result.POSITIVE,
        "Edge deployment of the defect detector",
        "Latency budget per device class; fallback to the server model on timeouts.",
        (
            (THOMAS, Role.DESIGNED),
            (ANIKA, Role.BUILT_INFRA),
            (MARCO, Role.WROTE_UP),
            (INGRID, Role.ANALYSED),
            (SAMUEL, Role.ANALYSED),
        ),
        SAMUEL,
    ),
]

OUTCOME_JUSTIFICATION = "Beat the baseline by 3 points and shipped it to the reranker."
CURRENT_STORIES: dict[tuple[str, str], Story] = {
    # Outcome-justified?: a lucky tuning win rated on its result.
    (DIEGO, "experiment-design"): Story(4, OUTCOME_JUSTIFICATION, ("sweep", "grounding")),
    # Negative result penalised?: two rigorous negative results, rated down.
    (FATIMA, "evidence-and-statistics"): Story(
        2,
        "Two studies this half, the judge-agreement one and the long-context judge, and "
        "neither found anything. I need to see her work land before I rate this higher.",
        ("judge-cot", "long-context"),
    ),
    # Recency: only the last weeks of the period are cited.
    (KWAME, "reproducibility"): Story(
        3,
        "Pinned every serving image to a lock file and reran the batching sweep from a "
        "clean checkout.",
        ("pinned", "batching"),
    ),
}
# Changed after seeing results: Keiko locks, sees the calibration work came out
# positive, and raises Ben.
AFTER_RESULTS = (BEN, "evidence-and-statistics")
AFTER_RESULTS_SCORE = 3
AFTER_RESULTS_REASON = (
    "After locking I saw the judge calibration project came out positive, so I am "
    "raising this from 2."
)

# The cycle before, published: three pieces of work per team.
PREVIOUS_ITEMS = [
    Item(
        "rewrite",
        20,
        Kind.EXPERIMENT,
        Result.POSITIVE,
        "Query rewriting for multi-hop questions",
        "Hypothesis and baseline written first; one factor per comparison.",
        ((LEO, Role.DESIGNED), (LEO, Role.RAN), (CHEN, Role.ANALYSED), (SOFIA, Role.WROTE_UP)),
        PRIYA,
    ),
    Item(
        "chunking",
        70,
        Kind.EXPERIMENT,
        Result.NEGATIVE,
        "Re-chunking the knowledge base by section headings",
        "No change in answer quality across three seeds; the write-up lists why.",
        (
            (RAHUL, Role.DESIGNED),
            (AMARA, Role.RAN),
            (DIEGO, Role.ANALYSED),
            (HANNAH, Role.ANALYSED),
            (LEO, Role.WROTE_UP),
        ),
        PRIYA,
    ),
    Item(
        "regression",
        120,
        Kind.INFRASTRUCTURE,
        Result.POSITIVE,
        "Nightly retrieval regression suite",
        "Runs the eval set nightly against the serving index and posts the diff.",
        (
            (HANNAH, Role.BUILT_INFRA),
            (SOFIA, Role.RAN),
            (CHEN, Role.RAN),
            (RAHUL, Role.ANALYSED),
            (AMARA, Role.ANALYSED),
            (DIEGO, Role.RAN),
            (PRIYA, Role.DESIGNED),
        ),
        PRIYA,
    ),
    Item(
        "autoscaling",
        25,
        Kind.INFRASTRUCTURE,
        Result.POSITIVE,
        "GPU node pool autoscaling",
        "Scale-up on queue depth, with a floor for the morning peak.",
        (
            (ELENA, Role.DESIGNED),
            (YUSUF, Role.BUILT_INFRA),
            (JONAS, Role.RAN),
            (TOMASZ, Role.WROTE_UP),
        ),
        TOMASZ,
    ),
    Item(
        "tokenizer",
        85,
        Kind.INCIDENT,
        Result.NEGATIVE,
        "Tokenizer version skew between training and serving",
        "Serving used the previous tokenizer for a week; quality checks missed it.",
        ((KWAME, Role.FOUND_DATA_ISSUE), (MAYA, Role.ANALYSED), (AIKO, Role.WROTE_UP)),
        TOMASZ,
    ),
    Item(
        "speculative",
        130,
        Kind.EXPERIMENT,
        Result.POSITIVE,
        "Speculative decoding for the summariser",
        "p95 per request length, quality checked on the full eval set.",
        (
            (MAYA, Role.DESIGNED),
            (AIKO, Role.RAN),
            (KWAME, Role.RAN),
            (JONAS, Role.ANALYSED),
            (YUSUF, Role.WROTE_UP),
            (ELENA, Role.ANALYSED),
            (TOMASZ, Role.ANALYSED),
        ),
        TOMASZ,
    ),
    Item(
        "guidelines",
        30,
        Kind.PROJECT,
        Result.POSITIVE,
        "Human-rater guidelines for the summarisation eval",
        "Inter-rater agreement measured before and after.",
        ((BEN, Role.DESIGNED), (FATIMA, Role.RAN), (LUCIA, Role.RAN), (KEIKO, Role.WROTE_UP)),
        KEIKO,
    ),
    Item(
        "pairwise",
        90,
        Kind.EXPERIMENT,
        Result.INCONCLUSIVE,
        "Pairwise versus pointwise judging",
        "Pairwise agrees slightly more with raters, within the confidence interval.",
        (
            (NADIA, Role.DESIGNED),
            (RAVI, Role.RAN),
            (OLIVER, Role.ANALYSED),
            (FATIMA, Role.WROTE_UP),
        ),
        KEIKO,
    ),
    Item(
        "dashboard",
        140,
        Kind.INFRASTRUCTURE,
        Result.POSITIVE,
        "Eval dashboard with per-slice confidence intervals",
        "Every slice shows its interval; slices under 200 examples are greyed out.",
        (
            (RAVI, Role.BUILT_INFRA),
            (OLIVER, Role.RAN),
            (LUCIA, Role.ANALYSED),
            (BEN, Role.ANALYSED),
            (NADIA, Role.WROTE_UP),
            (KEIKO, Role.DESIGNED),
        ),
        KEIKO,
    ),
    Item(
        "synthetic",
        15,
        Kind.EXPERIMENT,
        Result.POSITIVE,
        "Synthetic defect images for rare classes",
        "Ablated per class; real held-out images only in the test set.",
        ((THOMAS, Role.DESIGNED), (ZAINAB, Role.RAN), (HUGO, Role.RAN), (GRACE, Role.ANALYSED)),
        SAMUEL,
    ),
    Item(
        "resolution",
        75,
        Kind.EXPERIMENT,
        Result.NEGATIVE,
        "Higher input resolution for small defects",
        "No change in recall on small defects at twice the latency.",
        (
            (ANIKA, Role.DESIGNED),
            (MARCO, Role.RAN),
            (INGRID, Role.ANALYSED),
            (SAMUEL, Role.WROTE_UP),
        ),
        SAMUEL,
    ),
    Item(
        "guidelines-v3",
        135,
        Kind.PROJECT,
        Result.POSITIVE,
        "Labelling guidelines v3 with inter-annotator agreement",
        "Agreement per class before and after; disputed classes split.",
        (
            (INGRID, Role.DESIGNED),
            (GRACE, Role.BUILT_INFRA),
            (MARCO, Role.ANALYSED),
            (ZAINAB, Role.WROTE_UP),
            (HUGO, Role.ANALYSED),
            (ANIKA, Role.RAN),
            (THOMAS, Role.ANALYSED),
            (SAMUEL, Role.ANALYSED),
        ),
        SAMUEL,
    ),
]
# The published cycle's drafts worth a session change, and the changes:
# (engineer, dimension key, final score, reason).
PREVIOUS_STORIES: dict[tuple[str, str], Story] = {
    (LEO, "experiment-design"): Story(
        4,
        "Wrote the hypothesis and baseline before the query-rewriting runs and changed "
        "one factor per comparison.",
        ("rewrite", "chunking"),
    ),
    (HANNAH, "organizational-leverage"): Story(
        4,
        "The regression suite she built runs for the whole RAG team every night.",
        ("regression", "chunking"),
    ),
    (RAVI, "reproducibility"): Story(
        2,
        "The dashboard is new; the pairwise study's runs were not tied to data versions.",
        ("pairwise", "dashboard"),
    ),
}
PREVIOUS_SESSION = [
    (
        LEO,
        "experiment-design",
        3,
        "Beside the other mids: a careful design, but not yet choosing ablations whose "
        "answer would change a decision (the 4 anchor).",
    ),
    (
        HANNAH,
        "organizational-leverage",
        3,
        "The suite is used inside the RAG team only so far; the 4 anchor asks for use "
        "beyond her own org.",
    ),
    (
        RAVI,
        "reproducibility",
        3,
        "The dashboard ties every number to a data version and seeds, and Evals reran "
        "from it: that is the 3 anchor, whatever the pairwise runs lacked.",
    ),
]


class _Seeder:
    def __init__(self, people: Mapping[str, Person], director: Person, now: datetime) -> None:
        self.people = people
        self.director = director
        self.now = now
        self.today = timezone.localdate(now)
        self.dimensions = list(Dimension.objects.all())
        self.habit_position: dict[int, int] = defaultdict(int)
        self.scopes: dict[int, set[int]] = {}

    def on(self, day: date, hour: int = 10) -> datetime:
        """A moment on `day`, never later than now."""
        return min(timezone.make_aware(datetime.combine(day, time(hour))), self.now)

    def scope(self, actor: Person) -> set[int]:
        if actor.pk not in self.scopes:
            self.scopes[actor.pk] = set(
                Person.objects.visible_to(actor).values_list("pk", flat=True)
            )
        return self.scopes[actor.pk]

    # --- evidence ---------------------------------------------------------------------

    def add_items(
        self, specs: list[Item], start: date, end: date, *, links: Mapping[str, int] | None = None
    ) -> tuple[dict[str, WorkItem], dict[int, list[WorkItem]]]:
        """The work items, added by their manager on their date; then each contributor
        confirms their own part a few days later (those from the last three weeks of
        the period are still waiting)."""
        items: dict[str, WorkItem] = {}
        by_person: dict[int, list[WorkItem]] = defaultdict(list)
        for spec in specs:
            actor = self.people.get(spec.actor, self.director)
            contributors = [
                ContributorInput(self.people[email], role, statement=ROLE_STATEMENTS[role])
                for email, role in spec.contributors
                if email in self.people
            ]
            if not all(c.person.pk in self.scope(actor) for c in contributors):
                actor = self.director  # the demo was edited: the director adds it
            contributors = [c for c in contributors if c.person.pk in self.scope(actor)]
            if not contributors:
                continue
            day = min(start + timedelta(days=spec.day), end)
            item = services.add_work_item(
                actor=actor,
                kind=spec.kind,
                title=spec.title,
                day=day,
                result=spec.result,
                contributors=contributors,
                write_up=spec.write_up,
                linked_experiment_id=(links or {}).get(spec.key),
                at=self.on(day, hour=16),
            )
            items[spec.key] = item
            for person_pk in dict.fromkeys(c.person.pk for c in contributors):
                by_person[person_pk].append(item)
        pending_from = end - timedelta(days=21)
        waiting = Contribution.objects.filter(
            work_item__in=items.values(),
            confirmed_at__isnull=True,
            work_item__date__lt=pending_from,
        ).select_related("work_item", "person")
        for contribution in waiting:
            services.confirm_contribution(
                contribution=contribution,
                actor=contribution.person,
                statement=contribution.statement,
                at=self.on(contribution.work_item.date + timedelta(days=3)),
            )
        return items, by_person

    # --- drafting ---------------------------------------------------------------------

    def score_from_habit(self, manager: Person) -> int:
        habit = HABITS.get(manager.email, IN_LINE)
        position = self.habit_position[manager.pk]
        self.habit_position[manager.pk] += 1
        return habit[position % len(habit)]

    @staticmethod
    def justification(dimension: Dimension, score: int, variant: int) -> str:
        band = "high" if score >= 3 else "low"
        texts = JUSTIFICATIONS.get((dimension.key, band), GENERIC[band])
        return texts[variant % len(texts)]

    @staticmethod
    def default_evidence(cycle: CalibrationCycle, own: list[WorkItem]) -> list[WorkItem]:
        """Two pieces of work where there are two: the earliest that is not a negative
        result (and not from the period's last fifth), and the next one. At most half
        negative, and not all late: the flags stay for the stories."""
        ordered = sorted(own, key=lambda item: (item.date, item.pk))
        first = next(
            (
                item
                for item in ordered
                if item.result != Result.NEGATIVE and item.date < cycle.last_fifth_starts
            ),
            ordered[0],
        )
        rest = [item for item in ordered if item.pk != first.pk]
        return [first, *rest[:1]]

    def draft(
        self,
        cycle: CalibrationCycle,
        items: Mapping[str, WorkItem],
        by_person: Mapping[int, list[WorkItem]],
        *,
        stories: Mapping[tuple[str, str], Story],
        drafted_on: date,
    ) -> dict[tuple[str, str], Rating]:
        """Every manager rates each of their reports on every dimension, then locks."""
        ratings: dict[tuple[str, str], Rating] = {}
        members = list(cycle.members.select_related("engineer", "manager", "cycle"))
        for index, member in enumerate(members):
            own = by_person.get(member.engineer_id, [])
            if not own:
                continue  # no evidence this period: left undrafted
            at = self.on(drafted_on + timedelta(days=index % 5), hour=9 + index % 8)
            drafts = []
            for variant, dimension in enumerate(self.dimensions):
                if not dimension.applies_to(member.engineer.level):
                    continue
                story = stories.get((member.engineer.email, dimension.key))
                evidence = [items[key] for key in story.evidence if key in items] if story else []
                # A story's evidence must still involve the engineer (the demo may be edited).
                if story is not None and evidence and all(item in own for item in evidence):
                    score, text = story.score, story.justification
                    # Keep the manager's habit moving, so the rest reads the same.
                    self.score_from_habit(member.manager)
                else:
                    score = self.score_from_habit(member.manager)
                    text = self.justification(dimension, score, index + variant)
                    evidence = self.default_evidence(cycle, own)
                drafts.append(services.DraftInput(dimension, score, text, evidence))
            if not drafts:
                continue  # no dimension applies at their level (an edited rubric)
            # One form per engineer: every dimension saved at once, and locked.
            saved = services.draft_ratings(
                member=member, actor=member.manager, drafts=drafts, lock=True, at=at
            )
            for draft, rating in zip(drafts, saved, strict=True):
                ratings[(member.engineer.email, draft.dimension.key)] = rating
        return ratings

    # --- the two cycles ---------------------------------------------------------------

    def open(self, start: date, end: date) -> CalibrationCycle:
        return services.open_cycle(
            director=self.director,
            name=f"{start:%b %Y} – {end:%b %Y}",
            period_start=start,
            period_end=end,
            at=self.on(end + timedelta(days=1)),
        )

    def advance(self, cycle: CalibrationCycle, to: str, day: date) -> CalibrationCycle:
        return services.advance_cycle(cycle=cycle, actor=self.director, to=to, at=self.on(day))

    def previous_cycle(self, start: date, end: date) -> CalibrationCycle:
        items, by_person = self.add_items(PREVIOUS_ITEMS, start, end)
        cycle = self.open(start, end)
        ratings = self.draft(
            cycle, items, by_person, stories=PREVIOUS_STORIES, drafted_on=end + timedelta(days=2)
        )
        cycle = self.advance(cycle, CalibrationCycle.State.CALIBRATING, end + timedelta(days=9))
        # Two of Priya's 4s come down, one of Keiko's 2s goes up.
        for email, key, score, reason in PREVIOUS_SESSION:
            rating = ratings.get((email, key))
            if rating is None:
                continue
            services.change_in_session(
                rating=rating,
                actor=self.director,
                score=score,
                reason=reason,
                at=self.on(end + timedelta(days=12)),
            )
        return self.advance(cycle, CalibrationCycle.State.PUBLISHED, end + timedelta(days=14))

    def current_cycle(self, start: date, end: date, leo: Person | None) -> CalibrationCycle:
        # Leo's distilled-reranker work is the growth-plan experiment he ran on it.
        links = {}
        if leo is not None:
            budget = next(
                (e for e in experiments_of([leo]) if "latency budget" in e.hypothesis), None
            )
            if budget is not None:
                links["distilled"] = budget.pk
        items, by_person = self.add_items(CURRENT_ITEMS, start, end, links=links)
        cycle = self.open(start, end)
        ratings = self.draft(
            cycle, items, by_person, stories=CURRENT_STORIES, drafted_on=end + timedelta(days=2)
        )
        # Keiko drafted Ben low, locked, saw the results, and raised him with a reason.
        rating = ratings.get(AFTER_RESULTS)
        if rating is not None and rating.draft_score != AFTER_RESULTS_SCORE:
            member = CycleMember.objects.select_related("engineer", "cycle").get(
                pk=rating.member_id
            )
            services.save_draft_rating(
                member=member,
                actor=member.manager,
                dimension=rating.dimension,
                score=AFTER_RESULTS_SCORE,
                justification=rating.justification,
                evidence=list(rating.evidence.all()),
                reason=AFTER_RESULTS_REASON,
                at=self.on(end + timedelta(days=8)),
            )
        return self.advance(cycle, CalibrationCycle.State.CALIBRATING, end + timedelta(days=10))


@transaction.atomic
def seed_calibration_demo(people: Mapping[str, Person]) -> int:
    """Add the demo work items and cycles for `people` (by email). Returns how many
    cycles it created: 2, or 0 when calibration was seeded (or used) already."""
    director = people.get(DIRECTOR)
    if director is None or not Dimension.objects.exists():
        return 0
    everyone = list(people.values())
    if (
        Contribution.objects.filter(person__in=everyone).exists()
        or CycleMember.objects.filter(engineer__in=everyone).exists()
        or CalibrationCycle.objects.filter(director__in=everyone).exists()
    ):
        return 0
    if not Person.objects.below(director).filter(is_active=True, manager__isnull=False).exists():
        return 0
    seeder = _Seeder(people, director, timezone.now())
    current_end = seeder.today - timedelta(days=CURRENT_ENDS_DAYS_AGO)
    current_start = current_end - timedelta(days=PERIOD_DAYS)
    previous_end = current_start - timedelta(days=1)
    previous_start = previous_end - timedelta(days=PERIOD_DAYS)
    seeder.previous_cycle(previous_start, previous_end)
    seeder.current_cycle(current_start, current_end, people.get(ENGINEER))
    return 2
