"""GET /healthz: what load balancers and docker-compose poll to decide a container is alive."""

from __future__ import annotations

import pytest
from django.db import connections

pytestmark = pytest.mark.django_db


def test_healthz_database_only_without_redis(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_reports_broker_with_real_redis(client, settings, redis_url):
    settings.REDIS_URL = redis_url

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_unreachable_broker_is_503(client, settings):
    # Nothing listens on port 1: the broker check must fail, not hang or pass.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "broker": "error: ConnectionError",
    }


def test_healthz_answers_over_http_when_ssl_redirect_is_on(client, settings):
    # The probe runs inside the container, behind the TLS proxy: it speaks plain http.
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""

    health = client.get("/healthz")
    login = client.get("/accounts/login/")

    assert health.status_code == 200
    assert login.status_code == 301
    assert login["Location"] == "https://testserver/accounts/login/"


def test_healthz_database_down_is_503_naming_the_database(client, settings, monkeypatch):
    settings.REDIS_URL = ""
    database = connections["default"]

    def unreachable(*args, **kwargs):
        # The driver's own error (sqlite3 or psycopg), raised where the real one
        # would be; Django turns it into django.db.OperationalError on the way up.
        raise database.Database.OperationalError("could not connect to server")

    monkeypatch.setattr(database, "create_cursor", unreachable)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error: OperationalError"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_refuses_post(client):
    response = client.post("/healthz")

    assert response.status_code == 405
