"""Models, plans, tokens and audits for retention's tests, built through the services
with the right person acting."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import Person
from retention import services
from retention.models import ProblemType, Purpose, RegisteredModel, Status

TODAY = date(2026, 3, 2)


def problem_type(name: str = "RAG") -> ProblemType:
    return ProblemType.objects.get_or_create(name=name, defaults={"order": 1})[0]


def a_model(
    org: SimpleNamespace,
    *,
    purpose: str = Purpose.RESEARCH,
    status: str = Status.PLANNED,
    owners: list[Person] | None = None,
    name: str = "Reranker v2",
    trained_days_ago: int = 90,
) -> RegisteredModel:
    """A model owned by org.engineer (registered by their manager), moved to `status`."""
    owners = owners or [org.engineer]
    manager = owners[0].manager or org.manager
    model = services.register_model(
        actor=manager,
        name=name,
        project="Search quality",
        problem_type=problem_type(),
        purpose=purpose,
        owners=owners,
    )
    if purpose == Purpose.PRODUCTION and status != Status.PLANNED:
        a_plan(org, model, approved=True)
    today = timezone.localdate()
    trained_on = today - timedelta(days=trained_days_ago)
    steps = {
        Status.TRAINING: trained_on - timedelta(days=3),
        Status.TRAINED: trained_on,
        Status.DEPLOYED: trained_on + timedelta(days=1),
    }
    # An archived model was trained first (archived with a reason instead of deployed).
    last = Status.TRAINED if status == Status.ARCHIVED else status
    for step in (Status.TRAINING, Status.TRAINED, Status.DEPLOYED):
        if last == Status.PLANNED:
            break
        services.move_model(model=model, actor=manager, to=step, on=min(steps[step], today))
        if step == last:
            break
    if status == Status.ARCHIVED:
        services.archive_model(model=model, actor=manager, reason="Superseded by v3")
    model.refresh_from_db()
    return model


def a_plan(org: SimpleNamespace, model: RegisteredModel, *, approved: bool = False):
    plan = services.save_deployment_plan(
        model=model,
        actor=org.manager,
        version=0,
        target_system="Search ranking service",
        owner=org.engineer,
        success_metric="+2% clicks on the first result, latency p95 under 80 ms",
        target_date=timezone.localdate() + timedelta(days=30),
        rollback="Feature flag back to v1; the v1 index stays warm for a month.",
    )
    if approved:
        plan = services.approve_deployment_plan(
            model=model, actor=org.manager, version=plan.version
        )
    return plan


def token_headers(person: Person) -> dict[str, str]:
    """A real token for `person`, in the header a pipeline sends."""
    _, raw = services.create_api_token(person=person, name="pipeline", expires_in_days=30)
    return {"Authorization": f"Bearer {raw}"}
