"""The permission matrix: every URL name × every role → the expected status.

Cases come from each app's `tests/<app>/matrix*.py` files (see tests/matrix.py
for the vocabulary); this file collects them and never needs editing for a new
view. Guard tests fail when a URL name has no case, or when a URL answers a
method (GET or POST) that no case sends, so a view cannot ship without a
statement of who may reach it. A matrix file that fails to import fails the run.
"""

from __future__ import annotations

import importlib
import sys
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


def _matrix_modules(tests_dir: Path = TESTS_DIR, package: str = "tests") -> list[str]:
    """Every `<package>/<app>/matrix*.py`, as a module name."""
    return [
        f"{package}.{path.parent.name}.{path.stem}"
        for path in sorted(tests_dir.glob("*/matrix*.py"))
    ]


def _load_cases(tests_dir: Path = TESTS_DIR, package: str = "tests") -> list[Case]:
    # No try/except: a matrix file that cannot be imported (a renamed model, a
    # typo) must stop the run, not quietly take its cases out of it.
    cases: list[Case] = []
    for name in _matrix_modules(tests_dir, package):
        cases.extend(importlib.import_module(name).CASES)
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
    headers = dict(case.headers)
    if role != "anonymous" and case.sign_in is not None:
        headers.update(case.sign_in(getattr(org, ROLE_FIXTURE[role])))
    elif role != "anonymous":
        client.force_login(getattr(org, ROLE_FIXTURE[role]))
    body_type = {"content_type": case.content_type} if case.content_type else {}

    response = getattr(client, case.method)(url, data, headers=headers, **body_type)

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


def test_matrix_case_ids_are_unique():
    ids = [case.id for case in CASES]

    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_every_matrix_file_is_collected():
    on_disk = {
        ".".join(path.relative_to(TESTS_DIR.parent).with_suffix("").parts)
        for path in TESTS_DIR.rglob("matrix*.py")
    } - {"tests.matrix"}  # the vocabulary, not cases

    assert "tests.growth.matrix_reviews" in on_disk  # the walk itself works
    assert sorted(on_disk - set(_matrix_modules())) == []


@pytest.fixture
def matrix_package(tmp_path, monkeypatch):
    """A throwaway `matrixprobe/app/` package on sys.path to write matrix files into."""
    app = tmp_path / "matrixprobe" / "app"
    app.mkdir(parents=True)
    (app.parent / "__init__.py").write_text("")
    (app / "__init__.py").write_text("")
    (app / "matrix.py").write_text("CASES = ['plan case']\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield app
    for name in [name for name in sys.modules if name.partition(".")[0] == "matrixprobe"]:
        del sys.modules[name]


def test_load_cases_reads_every_matrix_file(matrix_package):
    (matrix_package / "matrix_reviews.py").write_text("CASES = ['review case']\n")

    cases = _load_cases(matrix_package.parent, "matrixprobe")

    assert cases == ["plan case", "review case"]


def test_load_cases_raises_on_a_matrix_file_that_fails_to_import(matrix_package):
    (matrix_package / "matrix_reviews.py").write_text(
        "from growth.models import NoSuchModel\n\nCASES = ['review case']\n"
    )

    with pytest.raises(ImportError, match="NoSuchModel"):
        _load_cases(matrix_package.parent, "matrixprobe")


def test_load_cases_raises_on_a_matrix_file_without_cases(matrix_package):
    (matrix_package / "matrix_reviews.py").write_text("REVIEW_CASES = ['review case']\n")

    with pytest.raises(AttributeError, match="CASES"):
        _load_cases(matrix_package.parent, "matrixprobe")


def _reaching_role(url_name: str) -> str:
    """A signed-in role some case lets through (2xx/3xx), so scoping cannot hide a 405."""
    for case in CASES:
        if case.url_name != url_name:
            continue
        for role in ROLE_FIXTURE:
            answer = case.expected[role]
            if isinstance(answer, int) and 200 <= answer < 400:
                return role
    return "person"


def test_every_method_a_url_answers_has_a_matrix_case(client, org):
    # Each URL is asked GET and POST (empty) as a role that may reach it; anything
    # but 405 means the view takes that method, so some case must send it.
    first_case = {}
    for case in CASES:
        first_case.setdefault(case.url_name, case)
    answered = set()
    for url_name, case in first_case.items():
        url = reverse(url_name, kwargs=case.kwargs(org))
        user = getattr(org, ROLE_FIXTURE[_reaching_role(url_name)])
        for method in ("get", "post"):
            client.force_login(user)  # again: POST to logout signs out
            if getattr(client, method)(url).status_code != 405:
                answered.add((url_name, method))

    missing = sorted(answered - {(case.url_name, case.method) for case in CASES})

    assert {("login", "get"), ("logout", "post")} <= answered  # the probe itself works
    assert ("logout", "get") not in answered
    assert missing == [], f"Add cases for these (URL name, method) pairs: {missing}"
