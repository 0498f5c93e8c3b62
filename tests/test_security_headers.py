"""Headers that tell the browser what a page may do: CSP, Permissions-Policy, caching, framing.

The policy itself is in config/settings.py (CONTENT_SECURITY_POLICY, django-csp);
the rest comes from config/middleware.py and Django's security settings.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from config.middleware import BrowserDefencesMiddleware
from growth.models import Experiment
from tests.growth.builders import engineer_plan

HTMX = {"HX-Request": "true"}
# Directive -> its sources, in any order (django-csp does not keep the settings' order).
CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"


def parse_csp(header: str) -> dict[str, set[str]]:
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: set(sources) for name, *sources in directives}


def signed_in_pages(org) -> list[tuple[str, dict]]:
    plan = engineer_plan(org)
    experiment = Experiment.objects.create(
        plan=plan,
        hypothesis="Seeds explain the variance",
        what_to_try="Three runs",
        success_signal="Variance under 1%",
        due_date=plan.next_review_due,
    )
    plan_url = reverse("growth:plan_detail", args=[org.engineer.pk])
    return [
        (reverse("home"), {}),
        (plan_url, {}),
        (f"{plan_url}?part=experiments", HTMX),  # a section, as Cancel asks for it
        (reverse("growth:experiment_edit", args=[experiment.pk]), HTMX),  # an inline form
        (reverse("growth:plan_edit", args=[org.engineer.pk]), {}),
    ]


def test_signed_in_pages_and_partials_carry_every_browser_defence(client, org):
    client.force_login(org.engineer)

    for url, headers in signed_in_pages(org):
        response = client.get(url, headers=headers)

        assert response.status_code == 200, url
        assert parse_csp(response["Content-Security-Policy"]) == CSP, url
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert response["X-Frame-Options"] == "DENY", url
        assert "HX-Request" in response["Vary"], url


def test_a_partial_is_a_partial_under_the_same_policy(client, org):
    client.force_login(org.engineer)
    url = signed_in_pages(org)[2][0]

    response = client.get(url, headers=HTMX)

    assert "<html" not in response.content.decode()
    assert parse_csp(response["Content-Security-Policy"]) == CSP


def test_the_admin_runs_under_the_same_strict_policy(client, org):
    client.force_login(org.admin)

    for url in (
        reverse("admin:index"),
        reverse("admin:accounts_person_change", args=[org.engineer.pk]),
        reverse("admin:accounts_person_add"),
    ):
        response = client.get(url)

        assert response.status_code == 200, url
        assert parse_csp(response["Content-Security-Policy"]) == CSP, url
        assert "no-store" in response["Cache-Control"], url


def test_sign_in_page_has_the_policy_too(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert parse_csp(response["Content-Security-Policy"]) == CSP
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["X-Frame-Options"] == "DENY"


def test_healthz_still_answers_with_the_headers_on(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert parse_csp(response["Content-Security-Policy"]) == CSP


def test_an_anonymous_page_keeps_its_own_caching(client, db):
    # Nothing personal on it: the middleware adds no no-store of its own. (Django's
    # login view sets never_cache itself; an anonymous 404 sets nothing.)
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Cache-Control" not in response
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_a_view_that_sets_its_own_caching_keeps_it(org):
    request = RequestFactory().get("/")
    request.user = org.engineer

    def view(request) -> HttpResponse:
        response = HttpResponse("ok")
        response["Cache-Control"] = "private, max-age=60"
        return response

    response = BrowserDefencesMiddleware(view)(request)

    assert response["Cache-Control"] == "private, max-age=60"


@pytest.mark.django_db
def test_static_files_keep_their_own_caching_for_a_signed_in_person(settings, org):
    # WhiteNoise answers static files before the middleware that adds no-store.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # a fresh handler, so WhiteNoise reads the settings above
    client.force_login(org.engineer)

    response = client.get("/static/css/trellis.css")

    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
