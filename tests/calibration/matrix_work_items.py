"""Permission matrix cases for the rubric, work items (evidence) and attribution.

The person of every case is org.engineer: a work item their manager added with
them as its contributor. Anyone signed in adds work items, but only for people in
their own reporting line: for anyone else the form comes back (200) refusing the
contributor, and nothing is saved.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from calibration import services
from calibration.models import Contribution, WorkItem
from calibration.services import ContributorInput
from tests.matrix import REPORTING_LINE, SIGNED_IN, Case, statuses

CONTRIBUTOR_WRITES = statuses(404, person=302, manager=403, director=403)
CONTRIBUTOR_FORM = statuses(404, person=200, manager=403, director=403)
# The line adds a work item for the engineer; everyone else gets the form back, refused.
ADD_FOR_ENGINEER = statuses(200, person=302, manager=302, director=302)


def a_work_item(org: SimpleNamespace) -> WorkItem:
    org.work_item = services.add_work_item(
        actor=org.manager,
        kind=WorkItem.Kind.EXPERIMENT,
        title="Seed-variance study of the ranking model",
        day=timezone.localdate() - timedelta(days=60),
        result=WorkItem.Result.NEGATIVE,
        write_up="Five seeds per arm against a tuned baseline; no effect beyond seed variance.",
        contributors=[
            ContributorInput(
                org.engineer, Contribution.Role.DESIGNED, share=60, statement="Chose the seeds"
            )
        ],
    )
    org.contribution = org.work_item.contributions.get()
    return org.work_item


def the_work_item(org: SimpleNamespace) -> dict:
    return {"work_item_id": a_work_item(org).pk}


def the_contribution(org: SimpleNamespace) -> dict:
    a_work_item(org)
    return {"contribution_id": org.contribution.pk}


def the_engineer(org: SimpleNamespace) -> dict:
    a_work_item(org)  # something to attribute
    return {"person_id": org.engineer.pk}


def with_a_work_item(org: SimpleNamespace) -> dict:
    a_work_item(org)
    return {}


def new_work_item_data(org: SimpleNamespace) -> dict:
    return {
        "title": "Ablation of the reranker features",
        "kind": "experiment",
        "day": (timezone.localdate() - timedelta(days=30)).isoformat(),
        "result": "inconclusive",
        "write_up": "Removed one feature group per run, three seeds each.",
        "link": "",
        "linked_experiment": "",
        "contributors-TOTAL_FORMS": "1",
        "contributors-INITIAL_FORMS": "0",
        "contributors-MIN_NUM_FORMS": "0",
        "contributors-MAX_NUM_FORMS": "20",
        "contributors-0-person": str(org.engineer.pk),
        "contributors-0-role": "ran",
        "contributors-0-share": "",
        "contributors-0-statement": "",
    }


def confirm_data(org: SimpleNamespace) -> dict:
    return {"statement": "Chose the seeds and the baseline"}


CASES = [
    Case("calibration:rubric", SIGNED_IN),
    Case("calibration:work_item_list", SIGNED_IN, kwargs=with_a_work_item),
    Case("calibration:work_item_create", SIGNED_IN),
    Case("calibration:work_item_create", ADD_FOR_ENGINEER, method="post", data=new_work_item_data),
    Case("calibration:work_item_detail", REPORTING_LINE, kwargs=the_work_item),
    Case(
        "calibration:work_item_detail",
        REPORTING_LINE,
        kwargs=the_work_item,
        headers={"HX-Request": "true"},
        label="htmx",
    ),
    Case("calibration:contribution_confirm", CONTRIBUTOR_FORM, kwargs=the_contribution),
    Case(
        "calibration:contribution_confirm",
        CONTRIBUTOR_WRITES,
        kwargs=the_contribution,
        method="post",
        data=confirm_data,
    ),
    Case(
        "calibration:contribution_confirm",
        statuses(404, person=200, manager=403, director=403),
        kwargs=the_contribution,
        method="post",
        data=confirm_data,
        headers={"HX-Request": "true"},
        label="htmx",
    ),
    Case("calibration:attribution", REPORTING_LINE, kwargs=the_engineer),
    Case(
        "calibration:attribution",
        REPORTING_LINE,
        kwargs=the_engineer,
        data=lambda org: {"start": "2026-01-01", "end": "2026-06-30"},
        label="period",
    ),
]
