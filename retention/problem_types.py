"""The default problem types (DOMAIN.md §4: rotate RAG → serving infrastructure →
evals …). Admins add, rename and reorder them in the admin."""

from __future__ import annotations

DEFAULTS = [
    ("RAG", "Retrieval-augmented generation: retrieval, ranking, grounding."),
    ("Serving infrastructure", "Latency budgets, scaling, deployment and rollback."),
    ("Evals", "Evaluation sets, metrics, judges and regression suites."),
    ("Training", "Pre-training and fine-tuning runs, optimisation, distillation."),
    ("Data", "Collection, labelling, cleaning and data pipelines."),
]


def seed_problem_types(problem_type_model) -> None:
    """Create the defaults that are missing (by name); never change existing rows.

    Takes the model class so the migration can pass its historical model and tests
    (after a transactional flush) the real one.
    """
    for order, (name, description) in enumerate(DEFAULTS, start=1):
        problem_type_model.objects.get_or_create(
            name=name, defaults={"description": description, "order": order}
        )
