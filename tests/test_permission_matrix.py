"""The permission matrix: every URL name × every role → the expected status.

Cases come from each app's `tests/<app>/matrix.py` (see tests/matrix.py for the
vocabulary); this file collects them and never needs editing for a new view.
A guard test fails when a URL name has no case, so a view cannot ship without
a statement of who may reach it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import LOGIN, ROLE_FIXTURE, ROLES, Case

TESTS_DIR = Path(__file__).parent

# URL names the matrix does not cover, each with the reason.
EXCLUDED_NAMESPACES = {
    # Django's admin site: its own is_staff/permission checks, tested by Django.
    "admin",
}
EXCLUDED_NAMES = {
    # Reached only from a password-reset email with a valid uid and token;
    # covered by the password reset tests, not by a role.
    "password_reset_confirm",
}
# Unnamed patterns that serve files rather than pages (static files in DEBUG).
EXCLUDED_CALLBACK_MODULES = ("django.views.static", "django.contrib.staticfiles")


def _load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(TESTS_DIR.glob("*/matrix.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.matrix")
        cases.extend(module.CASES)
    return cases


CASES = _load_cases()


def _url_names(patterns: list, prefix: str = "") -> Iterator[str]:
    """Every pattern's full name ("ns:name"); an unnamed view yields its route."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.callback.__module__.startswith(EXCLUDED_CALLBACK_MODULES):
                continue
            yield prefix + pattern.name if pattern.name else f"<unnamed {pattern.pattern}>"


@pytest.mark.parametrize(
    ("case", "role"),
    [pytest.param(case, role, id=f"{case.id}-{role}") for case in CASES for role in ROLES],
)
def test_url_answers_role_with_expected_status(client, org, case: Case, role: str):
    url = reverse(case.url_name, kwargs=case.kwargs(org))
    data = case.data(org) if case.data else {}
    if role != "anonymous":
        client.force_login(getattr(org, ROLE_FIXTURE[role]))

    response = getattr(client, case.method)(url, data, headers=dict(case.headers))

    expected = case.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == reverse("login")
    else:
        assert response.status_code == expected


def test_every_url_name_has_a_matrix_case():
    covered = {case.url_name for case in CASES}
    names = set(_url_names(get_resolver().url_patterns)) - EXCLUDED_NAMES

    missing = sorted(names - covered)

    assert "home" in names  # the walk itself works
    assert missing == [], f"Add these to a tests/<app>/matrix.py CASES list: {missing}"


def test_matrix_cases_name_real_urls():
    names = set(_url_names(get_resolver().url_patterns))

    assert sorted({case.url_name for case in CASES} - names) == []
