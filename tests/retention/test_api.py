"""The pipeline API: the deployment gate and the lifecycle steps, with real tokens.

The first test goes through the real HTTP stack (live_server and urllib: a socket,
the WSGI server, every middleware); the rest use Django's test client, which runs the
same middleware and views in-process.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from retention import services
from retention.models import ApiToken, ModelEvent, Purpose, RegisteredModel, Status
from tests.retention.builders import a_model, a_plan, token_headers

JSON = "application/json"


def _http(url: str, token: str, method: str = "GET", body: bytes | None = None):
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", JSON)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_gate_over_http_denies_then_allows_once_the_plan_is_approved(live_server, org):
    model = a_model(org, purpose=Purpose.PRODUCTION, name="Support answer generator")
    _, raw = services.create_api_token(person=org.engineer, name="pipeline", expires_in_days=30)
    base = f"{live_server.url}/api/models/{model.pk}"

    status, denied = _http(f"{base}/gate", raw)
    start_status, refused = _http(f"{base}/training-started", raw, "POST", b"{}")

    assert status == 200
    assert denied == {
        "model_id": model.pk,
        "allowed": False,
        "reasons": [
            "No deployment plan: a production run needs one (target system, owner, success "
            "metric, target date and rollback) before it trains."
        ],
    }
    assert start_status == 409
    assert refused["reasons"] == denied["reasons"]
    assert RegisteredModel.objects.get(pk=model.pk).status == Status.PLANNED

    plan = a_plan(org, model)
    status, unapproved = _http(f"{base}/gate", raw)
    assert unapproved["reasons"] == [
        "The deployment plan is not approved: an owner's manager approves it."
    ]
    services.approve_deployment_plan(model=model, actor=org.manager, version=plan.version)

    status, allowed = _http(f"{base}/gate", raw)
    start_status, started = _http(f"{base}/training-started", raw, "POST", b"{}")

    assert allowed == {"model_id": model.pk, "allowed": True, "reasons": []}
    assert start_status == 200
    assert started["status"] == "training"
    assert started["training_started_on"] == timezone.localdate().isoformat()
    event = ModelEvent.objects.get(model=model, kind=ModelEvent.Kind.STATUS)
    assert (event.actor, event.via, event.to_status) == (org.engineer, "api", "training")


@pytest.fixture
def model(org):
    return a_model(org, status=Status.TRAINING)


def _post(client, url, body, headers, **extra):
    return client.post(url, body, content_type=JSON, headers=headers, **extra)


def test_a_run_is_recorded_from_training_to_deployed(client, org, model):
    headers = token_headers(org.engineer)
    today = timezone.localdate()

    finished = _post(
        client,
        f"/api/models/{model.pk}/training-finished",
        {"on": (today - timedelta(days=1)).isoformat()},
        headers,
    )
    deployed = _post(client, f"/api/models/{model.pk}/deployed", {}, headers)

    assert finished.status_code == 200
    assert finished.json()["trained_on"] == (today - timedelta(days=1)).isoformat()
    assert deployed.json()["status"] == "deployed"
    assert deployed.json()["deployed_on"] == today.isoformat()


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        (None, "Send a person's API token"),
        ("Basic abc", "Send a person's API token"),
        ("Bearer trl_not-a-token", "This API token is not valid."),
        ("Bearer ", "Send a person's API token"),
    ],
)
def test_no_or_a_bad_token_is_401_with_the_reason(client, model, authorization, reason):
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get(f"/api/models/{model.pk}/gate", headers=headers)

    assert response.status_code == 401
    assert response.json()["detail"].startswith(reason)
    assert response["WWW-Authenticate"] == 'Bearer realm="trellis"'


def test_a_revoked_or_expired_token_is_401_and_changes_nothing(client, org, model):
    revoked, revoked_raw = services.create_api_token(
        person=org.engineer, name="old", expires_in_days=30
    )
    services.revoke_api_token(token=revoked, actor=org.engineer)
    expired, expired_raw = services.create_api_token(
        person=org.engineer, name="short", expires_in_days=1
    )
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    answers = [
        _post(
            client,
            f"/api/models/{model.pk}/training-finished",
            {},
            {"Authorization": f"Bearer {raw}"},
        )
        for raw in (revoked_raw, expired_raw)
    ]

    assert [a.status_code for a in answers] == [401, 401]
    assert [a.json()["detail"] for a in answers] == [
        "This API token was revoked.",
        "This API token has expired.",
    ]
    assert RegisteredModel.objects.get(pk=model.pk).status == Status.TRAINING


def test_a_deactivated_persons_token_is_refused(client, org, model):
    headers = token_headers(org.engineer)
    org.engineer.is_active = False
    org.engineer.save(update_fields=["is_active"])

    response = client.get(f"/api/models/{model.pk}", headers=headers)

    assert response.status_code == 401
    assert response.json()["detail"] == "This API token's person is deactivated."


def test_a_model_outside_the_tokens_line_is_404_not_403(client, org, model):
    response = client.get(f"/api/models/{model.pk}/gate", headers=token_headers(org.peer))
    write = _post(
        client, f"/api/models/{model.pk}/training-finished", {}, token_headers(org.other_manager)
    )

    assert (response.status_code, write.status_code) == (404, 404)
    assert response.json()["detail"] == "No such model in your reporting line."
    assert RegisteredModel.objects.get(pk=model.pk).status == Status.TRAINING


def test_the_director_reads_but_may_not_change_a_model(client, org, model):
    headers = token_headers(org.director)

    read = client.get(f"/api/models/{model.pk}", headers=headers)
    write = _post(client, f"/api/models/{model.pk}/training-finished", {}, headers)

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["detail"] == "Only the model's owners and their managers change it."


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "The request body is not valid JSON."),
        (b'{"on": "yesterday"}', "The request is not valid."),
        (b'{"on": "2026-01-01", "extra": 1}', "The request is not valid."),
        (b"[1, 2]", "The request is not valid."),
    ],
)
def test_malformed_bodies_are_422_with_a_reason_and_change_nothing(
    client, org, model, body, detail
):
    response = _post(
        client, f"/api/models/{model.pk}/training-finished", body, token_headers(org.engineer)
    )

    assert response.status_code == 422
    assert response.json()["detail"] == detail
    assert RegisteredModel.objects.get(pk=model.pk).status == Status.TRAINING


def test_an_oversized_body_is_413_unread(client, org, model):
    body = json.dumps({"on": "2026-01-01", "pad": "x" * 20_000})

    response = _post(
        client, f"/api/models/{model.pk}/training-finished", body, token_headers(org.engineer)
    )

    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is larger than 16384 bytes."


def test_dates_out_of_order_or_in_the_future_are_422(client, org, model):
    headers = token_headers(org.engineer)
    started = model.training_started_on

    before = _post(
        client,
        f"/api/models/{model.pk}/training-finished",
        {"on": (started - timedelta(days=1)).isoformat()},
        headers,
    )
    future = _post(
        client,
        f"/api/models/{model.pk}/training-finished",
        {"on": (timezone.localdate() + timedelta(days=1)).isoformat()},
        headers,
    )

    assert (before.status_code, future.status_code) == (422, 422)
    assert before.json()["detail"].startswith("The dates are out of order:")
    assert future.json()["detail"] == "That day is in the future."
    assert RegisteredModel.objects.get(pk=model.pk).trained_on is None


def test_a_step_out_of_turn_is_409(client, org, model):
    headers = token_headers(org.engineer)

    again = _post(client, f"/api/models/{model.pk}/training-started", {}, headers)
    early = _post(client, f"/api/models/{model.pk}/deployed", {}, headers)

    assert (again.status_code, early.status_code) == (409, 409)
    assert again.json()["detail"] == "The model is training: it cannot move to training."


def test_the_list_is_the_tokens_line_only(client, org):
    mine = a_model(org, name="Eli's run")
    a_model(org, owners=[org.peer], name="Priya's run")

    response = client.get("/api/models?limit=10", headers=token_headers(org.engineer))

    assert response.json()["count"] == 1
    assert [m["name"] for m in response.json()["items"]] == [mine.name]
    assert response.json()["items"][0]["owners"] == [
        {"id": org.engineer.pk, "name": "Eli Engineer"}
    ]


def test_the_docs_page_serves_swagger_from_our_own_origin(client):
    response = client.get("/api/docs")

    body = response.content.decode()
    assert response.status_code == 200
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in body
    assert "cdn" not in body
    assert "script-src 'self'" in response["Content-Security-Policy"]
