"""The default calibration rubric from DOMAIN.md §3, seeded by migration calibration/0002.

Six process dimensions on a 1–4 scale, each point anchored in behaviour someone
could observe in the work itself (the write-up, the repository, the design doc),
never in how the work turned out: there is no outcome dimension, and no anchor
mentions accuracy gained, baselines beaten or launches shipped. Production
thinking counts from Mid, organizational leverage from Senior (weight 0 below).

No model imports: the migration passes its historical models to seed_rubric,
tests the real ones. Admins edit everything afterwards in the admin site;
re-running the seed restores the defaults' own rows and never deletes anything.
"""

from __future__ import annotations

from decimal import Decimal

ONE = Decimal("1")
ZERO = Decimal("0")

DIMENSIONS: list[dict] = [
    {
        "key": "experiment-design",
        "name": "Experiment design",
        "description": (
            "How the work was set up to answer a question: a hypothesis written down "
            "first, a fair baseline, one variable changed at a time, ablations that "
            "would change a decision."
        ),
        "weights": (ONE, ONE, ONE, ONE),
        "anchors": [
            "Runs changes without a written hypothesis or baseline; several things change "
            "between compared runs, so no difference can be attributed to any one of them.",
            "Writes a hypothesis and compares against a baseline, but the baseline is "
            "untuned or copied from a paper, and compared runs still differ in more than "
            "one factor (data, seed, code version).",
            "Writes the hypothesis and the expected effect before running; compares "
            "against a baseline tuned with the same budget; changes one factor per "
            "comparison with seeds, data and code versions fixed.",
            "Picks the ablations whose answer would change a decision and writes down, "
            "before running, which outcome would falsify the hypothesis; teammates reuse "
            "their experiment plans as a template.",
        ],
    },
    {
        "key": "evidence-and-statistics",
        "name": "Evidence and statistics",
        "description": (
            "How conclusions are drawn from runs: variance across seeds, enough data to "
            "see an effect, claims no stronger than the evidence."
        ),
        "weights": (ONE, ONE, ONE, ONE),
        "anchors": [
            "Reports the number from a single run as a finding: no repeated seeds, no "
            "spread, no check of the evaluation set's size.",
            "Repeats runs over a few seeds but reports the best one, or calls a difference "
            "real that lies within run-to-run variance.",
            "Reports mean and spread across seeds; calls a difference real only when it "
            "exceeds that spread; checks the evaluation set is large enough to detect the "
            "effect before concluding there is none.",
            "Fixes the metric, number of seeds and stopping rule before looking at results; "
            "uses confidence intervals or tests where they fit; states in the write-up what "
            "the evidence does not support.",
        ],
    },
    {
        "key": "failure-documentation",
        "name": "Failure documentation",
        "description": (
            "How what did not work is recorded so that nobody repeats it: a negative "
            "result, written up, is a result."
        ),
        "weights": (ONE, ONE, ONE, ONE),
        "anchors": [
            "Failed or abandoned runs leave no trace; the next person tries the same thing again.",
            "Mentions failures in passing (a chat message, a stand-up) without the setup, "
            "the data or a likely reason.",
            "Writes up negative and inconclusive results with the setup, the evidence and "
            "the likely reason, in the place the team looks first.",
            "Turns a failure into a note or post-mortem that changes what the team tries "
            "next, and that others cite when they plan their own work.",
        ],
    },
    {
        "key": "reproducibility",
        "name": "Reproducibility",
        "description": (
            "Whether someone else can rerun the work from what was left behind and get "
            "the same numbers."
        ),
        "weights": (ONE, ONE, ONE, ONE),
        "anchors": [
            "Results live in a notebook or local state nobody else can rerun; the code, "
            "data version or configuration is missing.",
            "Code is committed, but data versions, seeds or the environment are not "
            "recorded; rerunning needs the author's help.",
            "Ties every reported number to a commit, a data version, a configuration and "
            "seeds; a teammate has rerun it from the write-up alone.",
            "Makes rerunning the default for others too: one command reproduces an "
            "experiment, or a shared harness they built checks results in CI.",
        ],
    },
    {
        "key": "production-thinking",
        "name": "Production thinking",
        "description": (
            "Designing for the system a model runs in: latency and cost budgets, failure "
            "modes, monitoring, the cost of being wrong. Counts from Mid."
        ),
        "weights": (ZERO, ONE, ONE, ONE),
        "anchors": [
            "Hands over a model without latency or cost numbers, a list of failure modes, "
            "or a way to tell it is misbehaving.",
            "Measures latency or cost once, offline; monitoring and rollback are left to "
            "others or added after an incident.",
            "States the latency and cost budget before choosing a model; measures p95/p99 "
            "under realistic load; lists failure modes in the design doc; launches with "
            "quality alerts and a rollback plan.",
            "Sets decision thresholds from the cost of errors, stages rollouts, and notices "
            "drift from their own monitoring before users report it; other teams use their "
            "launch checklist.",
        ],
    },
    {
        "key": "organizational-leverage",
        "name": "Organizational leverage",
        "description": (
            "Multiplying the work of people beyond one's own team: influence without "
            "authority, decisions under uncertainty, mentoring. Counts from Senior."
        ),
        "weights": (ZERO, ZERO, ONE, ONE),
        "anchors": [
            "Their work improves only their own output; proposals stay inside the team or "
            "are never written down.",
            "Helps others when asked; writes proposals that nobody outside the team acts "
            "on; waits for complete data before deciding.",
            "Writes a proposal another team adopts; makes calls with incomplete data, "
            "stating the assumptions and what evidence would change the decision; mentors "
            "someone on a regular schedule.",
            "Changes how several teams work (a practice, tool or standard used beyond "
            "their own org); reverses a decision openly when the evidence arrives; someone "
            "they mentored has taken over work they used to do.",
        ],
    },
]

LEVEL_FIELDS = ("weight_junior", "weight_mid", "weight_senior", "weight_staff")


def seed_rubric(dimension_model, anchor_model) -> None:
    """Create or restore the default dimensions and their anchors; idempotent.

    Takes the model classes so the migration can pass its historical models and
    tests (e.g. after a transactional flush) the real ones.
    """
    for order, row in enumerate(DIMENSIONS, start=1):
        dimension, _ = dimension_model.objects.update_or_create(
            key=row["key"],
            defaults={
                "name": row["name"],
                "description": row["description"],
                "order": order,
                **dict(zip(LEVEL_FIELDS, row["weights"], strict=True)),
            },
        )
        for score, behaviour in enumerate(row["anchors"], start=1):
            anchor_model.objects.update_or_create(
                dimension=dimension, score=score, defaults={"behaviour": behaviour}
            )
