"""schemathesis against /api/openapi.json, in-process through the whole WSGI stack
(middleware, the token auth, ninja, the services): whatever it sends, the API never
answers 5xx, and every answer has a status, content type and body its schema declares.

It signs in with a real token of the engineer, whose line has models in every status
(research and production), so generated requests reach real rows as well as 404s.
Bounded: a few dozen examples per operation keep the run to seconds.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from retention.models import Purpose, Status
from tests.retention.builders import a_model, a_plan, token_headers

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


# Loaded at collection through the WSGI app (the schema needs no database). The lazy
# `from_fixture` loader does not run under pytest 9 (it sets a node attribute pytest
# removed), so the rows each example may reach come from the `models` fixture instead.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_connection():
    """As Django's test client does: the WSGI handler closes the database connection
    when a request starts and finishes, which would end the test's transaction on
    PostgreSQL (SQLite's in-memory database is never closed)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def models(org, keep_connection):
    for status in (Status.PLANNED, Status.TRAINING, Status.TRAINED, Status.DEPLOYED):
        a_model(org, status=status, name=f"Research run {status}")
    blocked = a_model(org, purpose=Purpose.PRODUCTION, name="Blocked production run")
    a_plan(org, blocked)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema_and_never_answers_5xx(case, org, models):
    case.call_and_validate(headers=token_headers(org.engineer), checks=CHECKS)


def test_the_schema_documents_every_route_and_the_token(client):
    schema = client.get("/api/openapi.json").json()

    assert sorted(schema["paths"]) == [
        "/api/models",
        "/api/models/{model_id}",
        "/api/models/{model_id}/deployed",
        "/api/models/{model_id}/gate",
        "/api/models/{model_id}/training-finished",
        "/api/models/{model_id}/training-started",
    ]
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    refusals = schema["paths"]["/api/models/{model_id}/training-started"]["post"]["responses"]
    assert sorted(refusals) == ["200", "401", "403", "404", "409", "413", "422"]
