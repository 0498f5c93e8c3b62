"""The pipeline API (django-ninja): ML pipelines ask the deployment gate about a model
and record training started, training finished and deployed.

Every route but the schema and its docs takes a person's API token
(`Authorization: Bearer trl_…`, created at /retention/tokens/) and acts as that
person, with the same reporting-line scope and write rules as the pages: a model
outside their line is 404, one they see but may not change is 403. Every refusal is
JSON with a `detail` (and `reasons` where there are several): 401 no or bad token,
403, 404, 409 the gate or the model's status refuses, 413 body too large, 422 bad
input (malformed JSON included). Never a 500 for bad input: tests/retention/
test_api_schema.py runs schemathesis against /api/openapi.json to keep it so.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET
from ninja import NinjaAPI, Path, Query, Schema
from ninja import Status as Reply
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import ConfigDict

from accounts.models import Person
from retention import services
from retention.models import DeploymentPlan, ModelEvent, RegisteredModel, Status
from retention.selectors import with_owners

# A pipeline's request body is a date or two: anything near this size is a mistake.
MAX_BODY_BYTES = 16 * 1024
MAX_ID = 2**63 - 1  # a database id; larger path ids are refused (422), not overflowed
TOKEN_HELP = "Send a person's API token: `Authorization: Bearer <token>` (create one in Trellis)."


class ApiError(Schema):
    detail: str
    reasons: list[str] = []


class OwnerOut(Schema):
    id: int
    name: str


class PlanOut(Schema):
    target_system: str
    owner: str
    success_metric: str
    target_date: date
    rollback: str
    approved: bool
    approved_by: str | None


class ModelOut(Schema):
    id: int
    name: str
    project: str
    problem_type: str
    purpose: Literal["research", "production"]
    status: Literal["planned", "training", "trained", "deployed", "archived"]
    team: str | None
    owners: list[OwnerOut]
    training_started_on: date | None
    trained_on: date | None
    deployed_on: date | None
    archived_on: date | None
    archive_reason: str
    deployment_plan: PlanOut | None
    url: str


class ModelPage(Schema):
    count: int
    items: list[ModelOut]


class GateOut(Schema):
    model_id: int
    allowed: bool
    reasons: list[str]


class StepIn(Schema):
    """The day the step happened (default: today). Not in the future, not before the
    step before it."""

    model_config = ConfigDict(extra="forbid")

    on: date | None = None


class TokenAuth(HttpBearer):
    """A person's API token; the refusal says what is wrong with it."""

    def __call__(self, request: HttpRequest) -> Any:
        # Checked first, before the body is read: a huge body is refused unread.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            raise RequestDataTooBig
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HttpError(401, TOKEN_HELP)
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found, why = services.token_for(token)
        if found is None or why:
            raise HttpError(401, why)
        return found


api = NinjaAPI(
    title="Trellis pipeline API",
    version="1",
    description=(
        "For ML pipelines: ask the deployment gate about a model, record training "
        "started, training finished and deployed. Authenticate with a person's API "
        "token (`Authorization: Bearer <token>`); the token sees what its person sees."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    # The schema and its docs page are public and read-only.
    docs_decorator=require_GET,
)


def _error(request: HttpRequest, status: int, detail: str, reasons: list[str] | None = None):
    response = api.create_response(
        request, {"detail": detail, "reasons": reasons or []}, status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="trellis"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return _error(request, 422, "The request body is not valid JSON.")
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    reasons = [
        f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
        for error in exc.errors
    ]
    return _error(request, 422, "The request is not valid.", reasons)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "No such model in your reporting line.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Not allowed.")


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")


def _person(request: HttpRequest) -> Person:
    return request.auth.person  # type: ignore[attr-defined]


def _model_for(request: HttpRequest, model_id: int) -> RegisteredModel:
    """The model if the token's person may see it (404 otherwise, as on the pages)."""
    qs = _with_plan(RegisteredModel.objects.visible_to(_person(request)))
    return get_object_or_404(qs, pk=model_id)


def _with_plan(models):
    return with_owners(models).select_related("plan__owner", "plan__approved_by")


def _plan_out(model: RegisteredModel) -> PlanOut | None:
    try:
        plan = model.plan
    except DeploymentPlan.DoesNotExist:
        return None
    return PlanOut(
        target_system=plan.target_system,
        owner=plan.owner.name,
        success_metric=plan.success_metric,
        target_date=plan.target_date,
        rollback=plan.rollback,
        approved=plan.is_approved,
        approved_by=plan.approved_by.name if plan.approved_by else None,
    )


def _model_out(model: RegisteredModel) -> ModelOut:
    return ModelOut(
        id=model.pk,
        name=model.name,
        project=model.project,
        problem_type=model.problem_type.name,
        purpose=model.purpose,  # type: ignore[arg-type]
        status=model.status,  # type: ignore[arg-type]
        team=model.team.name if model.team else None,
        owners=[OwnerOut(id=o.pk, name=o.name) for o in model.owners.all()],
        training_started_on=model.training_started_on,
        trained_on=model.trained_on,
        deployed_on=model.deployed_on,
        archived_on=model.archived_on,
        archive_reason=model.archive_reason,
        deployment_plan=_plan_out(model),
        url=reverse("retention:model_detail", args=[model.pk]),
    )


ModelId = Path(..., ge=1, le=MAX_ID, description="The model's id in the registry.")
READ = {401: ApiError, 404: ApiError, 413: ApiError, 422: ApiError}
WRITE = {
    200: ModelOut,
    401: ApiError,
    403: ApiError,
    404: ApiError,
    409: ApiError,
    413: ApiError,
    422: ApiError,
}


@api.get(
    "/models",
    response={200: ModelPage, 401: ApiError, 413: ApiError, 422: ApiError},
    url_name="model_list",
    summary="Models in your reporting line",
)
def list_models(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    models = RegisteredModel.objects.visible_to(_person(request))
    page = _with_plan(models.order_by("-created_at", "-pk"))[offset : offset + limit]
    return {"count": models.count(), "items": [_model_out(m) for m in page]}


@api.get(
    "/models/{model_id}",
    response={**READ, 200: ModelOut},
    url_name="model_detail",
    summary="One model: status, dates, owners, deployment plan",
)
def get_model(request: HttpRequest, model_id: int = ModelId):
    return _model_out(_model_for(request, model_id))


@api.get(
    "/models/{model_id}/gate",
    response={**READ, 200: GateOut},
    url_name="model_gate",
    summary="May this model train? Allowed, or denied with reasons",
)
def ask_gate(request: HttpRequest, model_id: int = ModelId):
    model = _model_for(request, model_id)
    decision = model.gate(_plan(model))
    return GateOut(model_id=model.pk, allowed=decision.allowed, reasons=decision.reasons)


def _plan(model: RegisteredModel) -> DeploymentPlan | None:
    try:
        return model.plan
    except DeploymentPlan.DoesNotExist:
        return None


def _step(request: HttpRequest, model_id: int, to: str, payload: StepIn | None):
    model = _model_for(request, model_id)
    try:
        services.move_model(
            model=model,
            actor=_person(request),
            to=to,
            on=payload.on if payload else None,
            via=ModelEvent.Via.API,
        )
    except services.GateClosed as closed:
        detail = "The deployment gate refused: " + " ".join(closed.reasons)
        return Reply(409, {"detail": detail, "reasons": closed.reasons})
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        status = 409 if "to" in error.message_dict else 422
        return Reply(status, {"detail": " ".join(messages), "reasons": messages})
    return _model_out(_model_for(request, model_id))


@api.post(
    "/models/{model_id}/training-started",
    response=WRITE,
    url_name="training_started",
    summary="Record that training started (a production run goes through the gate)",
)
def training_started(request: HttpRequest, model_id: int = ModelId, payload: StepIn | None = None):
    return _step(request, model_id, Status.TRAINING, payload)


@api.post(
    "/models/{model_id}/training-finished",
    response=WRITE,
    url_name="training_finished",
    summary="Record that training finished",
)
def training_finished(request: HttpRequest, model_id: int = ModelId, payload: StepIn | None = None):
    return _step(request, model_id, Status.TRAINED, payload)


@api.post(
    "/models/{model_id}/deployed",
    response=WRITE,
    url_name="deployed",
    summary="Record that the model is deployed",
)
def deployed(request: HttpRequest, model_id: int = ModelId, payload: StepIn | None = None):
    return _step(request, model_id, Status.DEPLOYED, payload)
