"""Permission matrix cases for the pipeline API (retention/api.py).

Each role signs in with a real API token of its own, sent as `Authorization: Bearer`
(`sign_in=token_headers`); anonymous sends none (401). The token sees what its person
sees: the engineer's model is 404 outside their reporting line, and the director
above may read it but not change it (403). The schema and its docs are public.
"""

from __future__ import annotations

from types import SimpleNamespace

from retention.models import Purpose, Status
from tests.matrix import ANYONE, Case, statuses
from tests.retention.builders import a_model, token_headers

LINE_READS = statuses(404, person=200, manager=200, director=200, anonymous=401)
LINE_WRITES = statuses(404, person=200, manager=200, director=403, anonymous=401)
JSON = "application/json"


def model_in(status: str, purpose: str = Purpose.RESEARCH):
    def build(org: SimpleNamespace) -> dict:
        org.model = a_model(org, status=status, purpose=purpose)
        return {"model_id": org.model.pk}

    return build


def with_a_model(org: SimpleNamespace) -> dict:
    org.model = a_model(org)
    return {}


def step(url_name: str, status: str, expected, **extra) -> Case:
    return Case(
        url_name,
        expected,
        kwargs=model_in(status, extra.pop("purpose", Purpose.RESEARCH)),
        method="post",
        data=lambda org: {},
        sign_in=token_headers,
        content_type=JSON,
        **extra,
    )


CASES = [
    # django-ninja's root, "/api/": nothing there (404), whatever the method.
    Case("api:api-root", statuses(404, anonymous=404)),
    Case("api:api-root", statuses(404, anonymous=404), method="post"),
    Case("api:openapi-json", ANYONE),
    Case("api:openapi-view", ANYONE),
    Case(
        "api:model_list",
        statuses(200, anonymous=401),
        kwargs=with_a_model,
        sign_in=token_headers,
    ),
    Case("api:model_detail", LINE_READS, kwargs=model_in(Status.TRAINED), sign_in=token_headers),
    Case(
        "api:model_gate",
        LINE_READS,
        kwargs=model_in(Status.PLANNED, Purpose.PRODUCTION),
        sign_in=token_headers,
    ),
    step("api:training_started", Status.PLANNED, LINE_WRITES),
    # The gate refuses a production run without a deployment plan: 409 with the reasons.
    step(
        "api:training_started",
        Status.PLANNED,
        statuses(404, person=409, manager=409, director=403, anonymous=401),
        purpose=Purpose.PRODUCTION,
        label="gate",
    ),
    step("api:training_finished", Status.TRAINING, LINE_WRITES),
    step("api:deployed", Status.TRAINED, LINE_WRITES),
]
