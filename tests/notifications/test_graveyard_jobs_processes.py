"""The graveyard audit run by two OS processes at the same moment tells nobody twice,
on PostgreSQL (SQLite serialises whole-database writes, so it says nothing there: skipped
locally on SQLite; CI runs it on PostgreSQL, where it must pass)."""

from __future__ import annotations

import os

import pytest

from notifications.models import JobRun, Notification
from retention.models import AuditRun, GraveyardSettings, Status
from tests.conftest import make_person
from tests.notifications.test_processes import run_twice_at_once
from tests.retention.builders import a_model

MODELS = 12

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
    reason="concurrency needs PostgreSQL (DATABASE_URL); SQLite serialises all writes",
)


def test_two_processes_running_the_audit_at_once_tell_everyone_once(org, transactional_db, smtp):
    GraveyardSettings.load()
    for i in range(MODELS):
        engineer = make_person(
            f"eng{i}@example.com", f"Engineer {i}", manager=org.manager, team=org.vision
        )
        a_model(org, status=Status.TRAINED, owners=[engineer], name=f"Model {i}")
    sent = run_twice_at_once(
        smtp,
        imports="from retention.jobs import run_scheduled_graveyard_audit",
        job="run_scheduled_graveyard_audit()",
    )
    assert sum(sent) == 2 * MODELS  # each engineer, and Mara once per model
    assert Notification.objects.filter(kind="graveyard_finding").count() == 2 * MODELS
    recipients = smtp.recipients()
    assert len(recipients) == 2 * MODELS
    assert recipients.count("mara@example.com") == MODELS
    assert len(set(recipients)) == MODELS + 1
    assert AuditRun.objects.count() == 2
    assert sorted(
        JobRun.objects.filter(job="graveyard-audit").values_list("outcome", flat=True)
    ) == [
        "succeeded",
        "succeeded",
    ]
