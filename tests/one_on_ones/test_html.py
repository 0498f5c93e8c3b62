"""The 1:1 pages a person sees after a mistake or a conflict are valid HTML too.

tests/test_html_valid.py checks every page of the permission matrix as each role
gets it; these are the pages only a bad form, a conflict or a consent shows.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from one_on_ones import services
from one_on_ones.models import OneOnOne, Pair
from tests.conftest import service_missing
from tests.test_html_valid import HTMX_ATTRIBUTE, JAVA_OPTIONS, VNU_JAR


def _url(name: str, *args) -> str:
    return reverse(f"one_on_ones:{name}", args=args)


def _pages(client, org) -> dict[str, bytes]:
    today = timezone.localdate()
    # Eli's 1:1 with Omar, his manager before Mara; Eli lets Mara read it.
    earlier = OneOnOne.objects.create(
        pair=Pair.objects.create(manager=org.other_manager, engineer=org.engineer),
        date=today - timedelta(days=60),
        created_by=org.other_manager,
    )
    one = services.log_one_on_one(engineer=org.engineer, manager=org.manager, day=today)
    services.set_history_consent(engineer=org.engineer, actor=org.engineer, consent=True)
    services.save_shared_notes(one_on_one=one, actor=org.manager, version=1, text="**First**")
    pages = {}

    def post(who: str, name: str, args: tuple, data: dict) -> None:
        client.force_login(getattr(org, who))
        response = client.post(_url(name, *args), data)
        assert response.status_code == 200, name
        pages[f"{who} {name}"] = response.content

    post("manager", "log", (org.engineer.pk,), {"date": "2999-01-01"})
    post("manager", "cadence", (org.engineer.pk,), {"cadence": "3"})
    post("engineer", "agenda_add", (one.pk,), {"text": ""})
    post("engineer", "action_add", (one.pk,), {"text": "", "owner": "0", "due_date": ""})
    post("engineer", "pulse", (one.pk,), {"learning": "9", "work_used": "", "direction": "0"})
    post("engineer", "shared_notes", (one.pk,), {"text": "Second", "version": "1"})
    post("engineer", "private_note", (one.pk,), {"body": "x", "version": "not a number"})
    # The earlier 1:1 as Mara reads it: a pulse, and nothing to write.
    services.answer_pulse(
        one_on_one=earlier, engineer=org.engineer, learning=1, work_used=2, direction=3
    )
    client.force_login(org.manager)
    response = client.get(_url("detail", earlier.pk))
    assert b"Read only." in response.content
    pages["manager earlier"] = response.content
    return pages


def test_error_and_conflict_pages_are_valid_html(client, org, tmp_path):
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        service_missing(f"Java and the Nu HTML checker ({VNU_JAR}; make install-dev)")
    files = {}
    for i, (label, content) in enumerate(_pages(client, org).items()):
        path = tmp_path / f"{i:02d}.html"
        path.write_bytes(content)
        files[str(path)] = label

    result = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )

    try:
        messages = json.loads(result.stderr)["messages"]
    except ValueError:
        pytest.fail(f"vnu failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    errors = [
        f"{files.get(urlparse(m.get('url', '')).path, '?')}: line {m.get('lastLine')}: "
        f"{m['message']}"
        for m in messages
        if not HTMX_ATTRIBUTE.search(m["message"])
    ]
    assert len(files) == 8
    assert errors == []
