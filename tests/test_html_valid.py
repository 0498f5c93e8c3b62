"""Every page is valid HTML, as each role gets it (the Nu HTML checker, vnu).

The pages are the permission matrix's: each GET case (tests/<app>/matrix.py)
is fetched by every role whose answer is 200, plus a few forms re-rendered with
errors, in an org with something on every page (_fill_org). htmx partials and
JSON are left out: only whole pages are checked. All pages go through one vnu
run, since the JVM is slow to start.

vnu comes from npm (`make install-dev`, pinned in the Makefile) and runs on
Java 17. It does not know htmx, so its errors about `hx-*` attributes are
dropped; every other error fails the test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from growth.models import Experiment, GrowthPlan
from growth.review_services import PROGRESSING, submit_quarterly_review
from growth.services import (
    add_plan_comment,
    add_support_commitment,
    close_experiment,
    create_experiment,
)
from tests.conftest import service_missing
from tests.growth.builders import engineer_plan, the_plan
from tests.growth.matrix import MANAGER_FORM, OWNER_FORM, a_commitment, an_experiment
from tests.growth.matrix_reviews import REVIEWERS_FORM
from tests.matrix import ADMIN_ONLY, ANYONE, ROLE_FIXTURE, SIGNED_IN, Case, statuses
from tests.test_permission_matrix import CASES

VNU_JAR = Path(__file__).resolve().parents[1] / (
    ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
)
# vnu names the attribute in quotes: “Attribute “hx-get” not allowed on element …”.
HTMX_ATTRIBUTE = re.compile(r"\bAttribute “hx-[a-z-]+” ")
CANARY = '<!DOCTYPE html><html lang="en"><title>canary</title><div disabled></div></html>'

# Forms sent back with errors, each by one role that may send it: the page a
# person sees after a mistake.
INVALID_FORMS = [
    (
        "anonymous",
        Case(
            "login",
            ANYONE,
            method="post",
            data=lambda org: {"username": "eli@example.com", "password": "wrong"},
            label="invalid",
        ),
    ),
    (
        "person",
        Case(
            "password_change",
            SIGNED_IN,
            method="post",
            data=lambda org: {"old_password": "wrong"},
            label="invalid",
        ),
    ),
    (
        "anonymous",
        Case(
            "password_reset",
            ANYONE,
            method="post",
            data=lambda org: {"email": "not an email"},
            label="invalid",
        ),
    ),
    (
        "admin",
        Case(
            "accounts:org_import",
            ADMIN_ONLY,
            method="post",
            data=lambda org: {"file": SimpleUploadedFile("people.csv", b"email,name\nnobody,\n")},
            label="invalid",
        ),
    ),
    (
        "person",
        Case(
            "growth:plan_edit",
            OWNER_FORM,
            kwargs=the_plan,
            method="post",
            data=lambda org: {"aspiration": "", "gap": "", "version": str(org.plan.version)},
            label="invalid",
        ),
    ),
    (
        "person",
        Case(
            "growth:experiment_create",
            OWNER_FORM,
            kwargs=the_plan,
            method="post",
            data=lambda org: {"hypothesis": "", "due_date": ""},
            label="invalid",
        ),
    ),
    (
        "person",
        Case(
            "growth:experiment_edit",
            OWNER_FORM,
            kwargs=an_experiment,
            method="post",
            data=lambda org: {"hypothesis": "", "version": str(org.experiment.version)},
            label="invalid",
        ),
    ),
    (
        "manager",
        Case(
            "growth:commitment_create",
            MANAGER_FORM,
            kwargs=the_plan,
            method="post",
            data=lambda org: {"description": "", "version": "0"},
            label="invalid",
        ),
    ),
    (
        "manager",
        Case(
            "growth:commitment_edit",
            MANAGER_FORM,
            kwargs=a_commitment,
            method="post",
            data=lambda org: {"description": "", "version": str(org.commitment.version)},
            label="invalid",
        ),
    ),
    (
        "manager",
        Case(
            "growth:review_create",
            REVIEWERS_FORM,
            kwargs=the_plan,
            method="post",
            data=lambda org: {"what_changed": "", "next_quarter": ""},
            label="invalid",
        ),
    ),
    # A stagnating engineer's plan, with the evidence and the support it needs.
    (
        "manager",
        Case(
            "growth:plan_detail",
            statuses(404, peer=200, manager=200, director=200),
            kwargs=lambda org: {"person_id": org.peer.pk},
            label="stagnating",
        ),
    ),
    # A comparison with nothing chosen: a 400 page that offers the chooser again.
    (
        "person",
        Case(
            "growth:review_compare",
            statuses(404, person=400, manager=400, director=400),
            kwargs=the_plan,
            label="invalid",
        ),
    ),
    # A profile with reports under it.
    (
        "director",
        Case(
            "home:person_detail",
            statuses(404, manager=200, director=200),
            kwargs=lambda org: {"person_id": org.manager.pk},
            label="manager",
        ),
    ),
]

# For one run of a few seconds the JVM's quick compiler (C1) alone halves the CPU
# time; its larger frames overflow the default stack in vnu's schema code.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss8m"]


def _visits() -> list[tuple[Case, list[str]]]:
    """Each GET of the matrix with the roles that get the page, then the invalid forms."""
    visits = [
        (case, [role for role, expected in case.expected.items() if expected == 200])
        for case in CASES
        # API routes (signed in with a token, not a session) answer JSON, not pages.
        if case.method == "get" and case.sign_in is None
    ]
    visits += [(case, [role]) for role, case in INVALID_FORMS]
    return [(case, roles) for case, roles in visits if roles]


def _fill_org(org: SimpleNamespace) -> None:
    """Give the pages something to show: a plan with every kind of row, a past
    review, and a stagnating report on the manager's home."""
    today = timezone.localdate()
    plan = engineer_plan(org)
    running = create_experiment(
        plan=plan,
        actor=org.engineer,
        hypothesis="Fixing the seed halves the variance",
        what_to_try="Three seeds per configuration",
        success_signal="Variance reported with every result",
        due_date=today + timedelta(days=20),
    )
    done = create_experiment(
        plan=plan,
        actor=org.engineer,
        hypothesis="A baseline first saves a week",
        what_to_try="Reproduce the baseline before any change",
        success_signal="Baseline within 1% of the paper",
        due_date=today + timedelta(days=5),
    )
    close_experiment(
        experiment=done,
        actor=org.engineer,
        version=done.version,
        status=Experiment.Status.DONE,
        learned="Seeds matter",
    )
    add_support_commitment(
        plan=plan,
        manager=org.manager,
        kind="feedback",
        description="Review one experiment design a week",
        due_date=today + timedelta(days=30),
    )
    add_plan_comment(plan=plan, author=org.manager, body="Which baseline will you start from?")
    submit_quarterly_review(
        plan=plan,
        submitted_by=org.engineer,
        what_changed="Ran one ablation per week",
        next_quarter="Report variance across seeds",
        manager_note="",
        progress={running.pk: (PROGRESSING, "Two of three seeds run")},
    )
    # Priya stagnates with her review due soon; Sam's review is overdue.
    org.peer.level_since = date(2015, 1, 1)
    org.peer.save(update_fields=["level_since"])
    for engineer, due in ((org.peer, 5), (org.other_engineer, -5)):
        GrowthPlan.objects.create(
            engineer=engineer,
            aspiration="Lead an evaluation",
            gap="Never chose the metrics",
            next_review_due=today + timedelta(days=due),
        )


def _is_page(response) -> bool:
    """A whole HTML page, not an htmx partial or JSON."""
    start = response.content.lstrip()[:15].lower()
    return response["Content-Type"].startswith("text/html") and start == b"<!doctype html>"


def _fetch_pages(client, org: SimpleNamespace, tmp_path: Path) -> dict[str, str]:
    """Write each whole page to tmp_path; answer file path → "role METHOD url"."""
    pages: dict[str, str] = {}
    for case, roles in _visits():
        # Each case's objects are rolled back, as if it were a test of its own.
        with transaction.atomic():
            url = reverse(case.url_name, kwargs=case.kwargs(org))
            for role in roles:
                client.logout()
                if role != "anonymous":
                    client.force_login(getattr(org, ROLE_FIXTURE[role]))
                data = case.data(org) if case.data else {}
                response = getattr(client, case.method)(url, data, headers=dict(case.headers))
                assert response.status_code == case.expected[role], f"{case.id} as {role}"
                if not _is_page(response):
                    continue
                path = tmp_path / f"{len(pages):03d}-{case.id.replace(':', '_')}-{role}.html"
                path.write_bytes(response.content)
                pages[str(path)] = f"{role} {case.method.upper()} {url}"
            transaction.set_rollback(True)
    return pages


def _error_pages(client, org: SimpleNamespace, tmp_path: Path) -> dict[str, str]:
    """The 403 and 404 pages, signed in and not."""
    plan = {"person_id": org.engineer.pk}
    visits = [
        (org.manager, reverse("growth:plan_edit", kwargs=plan), 403),
        (org.other_manager, reverse("growth:plan_detail", kwargs=plan), 404),
        (None, "/no-such-page/", 404),
    ]
    pages: dict[str, str] = {}
    for person, url, status in visits:
        client.logout()
        if person is not None:
            client.force_login(person)
        response = client.get(url)
        assert response.status_code == status, url
        path = tmp_path / f"error-{status}-{len(pages)}.html"
        path.write_bytes(response.content)
        pages[str(path)] = f"{person or 'anonymous'} GET {url} ({status})"
    return pages


def test_every_page_is_valid_html(client, org, tmp_path):
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        service_missing(f"Java and the Nu HTML checker ({VNU_JAR}; make install-dev)")
    _fill_org(org)
    pages = _fetch_pages(client, org, tmp_path)
    pages.update(_error_pages(client, org, tmp_path))

    # A page known to be invalid proves the checker read the files (given file://
    # URIs instead of paths, it reads nothing and reports nothing).
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY)

    # vnu writes its JSON report to stderr.
    result = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        + [str(canary), *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )

    try:
        messages = json.loads(result.stderr)["messages"]
    except ValueError:
        pytest.fail(f"vnu failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    by_page: dict[str, list[str]] = {}
    for message in messages:
        # The file's URL, "file:/tmp/…"; a message about no file (a vnu failure) is kept too.
        page = urlparse(message.get("url", "")).path
        if not HTMX_ATTRIBUTE.search(message["message"]):
            by_page.setdefault(page, []).append(
                f"line {message.get('lastLine')}: {message['message']}"
            )
    assert by_page.pop(str(canary), None), "vnu reported nothing for a page with an error"
    errors = [
        f"{pages.get(page, page)}\n    " + "\n    ".join(found) for page, found in by_page.items()
    ]
    assert len(pages) > 50  # the matrix was walked
    assert errors == [], "\n".join(errors)
