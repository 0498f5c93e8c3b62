"""The default ladder from DOMAIN.md §1, seeded by migration growth/0002.

No model imports: the migration passes its historical models to seed_ladder,
tests the real ones. Admins edit everything afterwards in the admin site; re-running the
migration only restores the defaults' own rows, it never deletes anything.
"""

from __future__ import annotations

LEVELS: list[dict] = [
    {
        "level": "junior",
        "order": 1,
        "expected_dwell_days": 540,  # about 18 months
        "description": (
            "Delivers well-scoped tasks with guidance; learning to design experiments "
            "whose results can be trusted."
        ),
    },
    {
        "level": "mid",
        "order": 2,
        "expected_dwell_days": 730,  # about 2 years
        "description": (
            "Designs and runs experiments independently; learning to carry models into "
            "production and keep them healthy there."
        ),
    },
    {
        "level": "senior",
        "order": 3,
        "expected_dwell_days": 1095,  # about 3 years
        "description": (
            "Owns production systems end to end; learning to multiply the work of people "
            "beyond their own team."
        ),
    },
    {
        "level": "staff",
        "order": 4,
        "expected_dwell_days": None,  # top of the ladder: no next transition to stall at
        "description": (
            "Shapes technical direction across teams through influence, judgement under "
            "uncertainty and mentoring."
        ),
    },
]

TRANSITIONS: list[dict] = [
    {
        "from_level": "junior",
        "to_level": "mid",
        "order": 1,
        "focus": "experiment design",
        "summary": (
            "From running the experiments someone else designed to designing experiments "
            "whose results — positive or negative — can be trusted."
        ),
        "support": (
            "Pair on ablation design; review experiment plans before they run, not after; "
            "treat a well-run negative result as a result."
        ),
        "competencies": [
            {
                "name": "Designs a good ablation",
                "behaviours": [
                    "Writes down the hypothesis and the expected effect before running anything",
                    "Removes one component at a time and compares each run against the full system",
                    "Chooses the ablations that would change a decision, not every possible one",
                ],
            },
            {
                "name": "Isolates one variable at a time",
                "behaviours": [
                    "Changes a single factor between compared runs and fixes seeds, data "
                    "and code versions",
                    "Records every run's configuration so a result can be reproduced",
                    "Spots a confound in a comparison and reruns without it",
                ],
            },
            {
                "name": "Knows when a negative result is a real result",
                "behaviours": [
                    "Compares against a strong, tuned baseline",
                    "Reports variance across seeds and only calls a difference real when "
                    "it exceeds that variance",
                    "Checks there is enough data to detect the effect before concluding "
                    "there is none",
                ],
            },
        ],
    },
    {
        "from_level": "mid",
        "to_level": "senior",
        "order": 2,
        "focus": "production thinking",
        "summary": (
            "From a model that works in a notebook to a system that keeps working in "
            "production, within its budgets, and fails in ways someone will notice."
        ),
        "support": (
            "Give them a production-facing project with real latency and cost budgets; "
            "bring them into incident reviews and on-call handovers; review their design "
            "docs for failure modes and rollback before launch."
        ),
        "competencies": [
            {
                "name": "Works to latency budgets",
                "behaviours": [
                    "States the latency and cost budget before choosing a model",
                    "Measures p50/p95/p99 under realistic load before launch",
                    "Trades model quality against the budget explicitly and writes down "
                    "the trade-off",
                ],
            },
            {
                "name": "Anticipates failure modes",
                "behaviours": [
                    "Lists how the system can fail (data drift, bad inputs, dependency "
                    "outages) in the design doc",
                    "Adds fallbacks or guards for the likeliest failures",
                    "Runs a pre-mortem before a launch",
                ],
            },
            {
                "name": "Sets up monitoring",
                "behaviours": [
                    "Ships dashboards and alerts for model quality as well as uptime",
                    "Defines what an alert means and who acts on it",
                    "Notices drift from the monitoring before users report it",
                ],
            },
            {
                "name": "Weighs the cost of being wrong in production",
                "behaviours": [
                    "Estimates the impact of a wrong prediction on users before launch",
                    "Plans a staged rollout with a rollback",
                    "Sets the decision threshold from the cost of errors, not accuracy alone",
                ],
            },
        ],
    },
    {
        "from_level": "senior",
        "to_level": "staff",
        "order": 3,
        "focus": "organizational leverage",
        "summary": (
            "From owning a system to changing how several teams work: influence, judgement "
            "under uncertainty and growing other people."
        ),
        "support": (
            "Give them exposure beyond the team: cross-team problems with no single owner, "
            "a seat where direction is decided, and people to mentor; give feedback on how "
            "their proposals land, not just on whether they were right."
        ),
        "competencies": [
            {
                "name": "Influences without authority",
                "behaviours": [
                    "Gets another team to adopt a practice or tool they proposed",
                    "Writes proposals that people outside the team read and act on",
                    "Builds agreement before a decision meeting rather than in it",
                ],
            },
            {
                "name": "Decides under uncertainty",
                "behaviours": [
                    "Makes a call with incomplete data and states the assumptions behind it",
                    "Names what evidence would change the decision and checks for it",
                    "Reverses a decision openly when that evidence arrives",
                ],
            },
            {
                "name": "Mentors",
                "behaviours": [
                    "Meets regularly with engineers outside their own work and tracks their growth",
                    "Reviews others' experiment designs and explains the why",
                    "Someone they mentored takes over work they used to do",
                ],
            },
        ],
    },
]


def seed_ladder(level_model, transition_model, competency_model) -> None:
    """Create or restore the default ladder rows; idempotent.

    Takes the model classes so the migration can pass its historical models and
    tests (e.g. after a transactional flush) the real ones.
    """
    for row in LEVELS:
        level_model.objects.update_or_create(
            level=row["level"],
            defaults={
                "order": row["order"],
                "description": row["description"],
                "expected_dwell_days": row["expected_dwell_days"],
            },
        )
    for row in TRANSITIONS:
        transition, _ = transition_model.objects.update_or_create(
            from_level=row["from_level"],
            defaults={
                "to_level": row["to_level"],
                "order": row["order"],
                "focus": row["focus"],
                "summary": row["summary"],
                "support": row["support"],
            },
        )
        for order, competency in enumerate(row["competencies"], start=1):
            competency_model.objects.update_or_create(
                transition=transition,
                name=competency["name"],
                defaults={"order": order, "behaviours": "\n".join(competency["behaviours"])},
            )
